package io.rewardannotator.devkit;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.rewardannotator.registry.RegisteredSchema;
import io.rewardannotator.registry.SchemaRegistryClient;
import io.rewardannotator.registry.SchemaRegistryException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The demo's in-JVM registry ({@code mock://}) over HTTP, read-only, in the Confluent Schema Registry's REST API:
 * what consumers outside the JVM ({@code kcat -s avro}, confluent-kafka's {@code AvroDeserializer}) ask for to
 * decode a record, {@code GET /schemas/ids/{id}} and {@code GET /subjects/{subject}/versions/latest}. Listens on
 * 127.0.0.1 only.
 *
 * <p>Not the test suite's {@code RegistryHttpFixture}: that one is a whole registry of its own (registration,
 * compatibility, injected failures); this one shows a registry that already exists.
 */
public final class RegistryHttpServer implements AutoCloseable {
    private static final String CONTENT_TYPE = "application/vnd.schemaregistry.v1+json";
    private static final Pattern BY_ID = Pattern.compile("/schemas/ids/(\\d+)");
    private static final Pattern LATEST = Pattern.compile("/subjects/([^/]+)/versions/latest");

    private final HttpServer server;
    private final SchemaRegistryClient registry;
    private final ObjectMapper json = new ObjectMapper();

    private RegistryHttpServer(HttpServer server, SchemaRegistryClient registry) {
        this.server = server;
        this.registry = registry;
        server.createContext("/", this::handle);
        server.start();
    }

    /** Serves {@code registry} on a free port of 127.0.0.1. */
    public static RegistryHttpServer start(SchemaRegistryClient registry) {
        try {
            return new RegistryHttpServer(HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(),
                    0), 0), registry);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot serve the registry on 127.0.0.1", e);
        }
    }

    /** The base URL for {@code schema.registry.url}, such as {@code http://127.0.0.1:40123}. */
    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    @Override
    public void close() {
        server.stop(0);
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getRawPath();
            int status = 200;
            ObjectNode body;
            Matcher m;
            try {
                if (!"GET".equals(exchange.getRequestMethod())) {
                    status = 405;
                    body = error(405, "this registry is read-only");
                } else if ((m = BY_ID.matcher(path)).matches()) {
                    body = json.createObjectNode().put("schema",
                            registry.schemaById(Integer.parseInt(m.group(1))).toString());
                } else if ((m = LATEST.matcher(path)).matches()) {
                    RegisteredSchema latest = registry.latestVersion(URLDecoder.decode(m.group(1),
                            StandardCharsets.UTF_8));
                    body = json.createObjectNode().put("subject", latest.subject()).put("version", latest.version())
                            .put("id", latest.id()).put("schema", latest.schema().toString());
                } else {
                    status = 404;
                    body = error(404, "HTTP 404 Not Found");
                }
            } catch (SchemaRegistryException | NumberFormatException e) {
                status = 404;
                body = error(40403, e.getMessage());
            }
            byte[] bytes = body.toString().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", CONTENT_TYPE);
            exchange.sendResponseHeaders(status, bytes.length);
            exchange.getResponseBody().write(bytes);
        }
    }

    private ObjectNode error(int code, String message) {
        return json.createObjectNode().put("error_code", code).put("message", message);
    }
}
