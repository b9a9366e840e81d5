package io.rewardannotator.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsParameters;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility.SchemaCompatibilityType;
import org.apache.avro.SchemaCompatibility;

/**
 * A test stand-in for a Confluent Schema Registry: an in-process HTTP server implementing the REST
 * endpoints the client uses, with the registry's JSON answers and error bodies, BACKWARD compatibility,
 * optional basic auth, injected failures, and a log of the requests it received.
 */
public final class RegistryHttpFixture implements AutoCloseable {

    /** A request as the fixture received it. */
    record Request(String method, String path, String authorization, String contentType, String body) {
    }

    private static final Pattern REGISTER = Pattern.compile("/subjects/([^/]+)/versions");
    private static final Pattern LATEST = Pattern.compile("/subjects/([^/]+)/versions/latest");
    private static final Pattern LOOKUP = Pattern.compile("/subjects/([^/]+)");
    private static final Pattern BY_ID = Pattern.compile("/schemas/ids/(\\d+)");
    private static final Pattern COMPATIBILITY = Pattern.compile("/compatibility/subjects/([^/]+)/versions/latest");

    private final HttpServer server;
    private final String scheme;
    private final ObjectMapper json = new ObjectMapper();
    private final List<Request> requests = new CopyOnWriteArrayList<>();
    // guarded by this
    private final Map<String, List<Integer>> versionsBySubject = new HashMap<>();
    private final Map<Integer, Schema> schemasById = new HashMap<>();
    private final Map<String, Integer> idsByText = new HashMap<>();
    private final Deque<Answer> injected = new ArrayDeque<>();
    private String requiredAuthorization;
    private CountDownLatch stall;
    private boolean unavailable;
    private boolean idLookupsUnavailable;

    private RegistryHttpFixture(HttpServer server, String scheme) {
        this.server = server;
        this.scheme = scheme;
        server.createContext("/", this::handle);
        server.start();
    }

    public static RegistryHttpFixture start() {
        try {
            return new RegistryHttpFixture(HttpServer.create(loopback(), 0), "http");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static RegistryHttpFixture startTls(SSLContext serverContext) {
        return startTls(serverContext, false);
    }

    /** Over https; with {@code requireClientCertificate}, only to clients presenting one the context trusts. */
    static RegistryHttpFixture startTls(SSLContext serverContext, boolean requireClientCertificate) {
        try {
            HttpsServer server = HttpsServer.create(loopback(), 0);
            server.setHttpsConfigurator(new HttpsConfigurator(serverContext) {
                @Override
                public void configure(HttpsParameters params) {
                    SSLParameters parameters = serverContext.getDefaultSSLParameters();
                    parameters.setNeedClientAuth(requireClientCertificate);
                    params.setSSLParameters(parameters);
                }
            });
            return new RegistryHttpFixture(server, "https");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The base URL, such as {@code http://127.0.0.1:40123}. */
    public String url() {
        return scheme + "://127.0.0.1:" + server.getAddress().getPort();
    }

    /** From now on, answer 401 unless the request carries these basic credentials. */
    synchronized void requireBasicAuth(String authorizationHeader) {
        this.requiredAuthorization = authorizationHeader;
    }

    /** Answer the next {@code times} requests with this status and registry error body. */
    synchronized void failNext(int times, int status, int errorCode) {
        for (int i = 0; i < times; i++) {
            injected.add(error(status, errorCode, "Injected failure " + errorCode));
        }
    }

    /** Answer the next request with this status and a raw, non-registry body (a proxy's page). */
    synchronized void failNextWithRawBody(int status, String body) {
        injected.add(new Answer(status, body));
    }

    /** From now on (until called with false), answer every request 503, as a registry that is down behind its proxy. */
    public synchronized void unavailable(boolean down) {
        this.unavailable = down;
    }

    /**
     * From now on (until called with false), answer 503 to schema-by-id lookups only: a registry that fails
     * once a reader meets a schema id it has not cached, while registrations and checks still pass.
     */
    public synchronized void idLookupsUnavailable(boolean down) {
        this.idLookupsUnavailable = down;
    }

    /** Hold the answer to the next request until {@code release} opens (at most 30 s). */
    synchronized void stallNext(CountDownLatch release) {
        stall = release;
    }

    List<Request> requests() {
        return List.copyOf(requests);
    }

    @Override
    public void close() {
        server.stop(0);
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            String path = exchange.getRequestURI().getRawPath();
            requests.add(new Request(exchange.getRequestMethod(), path,
                    exchange.getRequestHeaders().getFirst("Authorization"),
                    exchange.getRequestHeaders().getFirst("Content-Type"), body));
            awaitStall();
            Answer answer = answer(exchange.getRequestMethod(), path, body,
                    exchange.getRequestHeaders().getFirst("Authorization"));
            byte[] bytes = answer.body().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", RestTransport.CONTENT_TYPE);
            exchange.sendResponseHeaders(answer.status(), bytes.length);
            exchange.getResponseBody().write(bytes);
        }
    }

    private void awaitStall() {
        CountDownLatch release;
        synchronized (this) {
            release = stall;
            stall = null;
        }
        if (release != null) {
            try {
                release.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private record Answer(int status, String body) {
    }

    private synchronized Answer answer(String method, String path, String body, String authorization) {
        if (!injected.isEmpty()) {
            return injected.poll();
        }
        if (unavailable) {
            return new Answer(503, "<html>503 Service Unavailable</html>");
        }
        if (requiredAuthorization != null && !requiredAuthorization.equals(authorization)) {
            return error(401, 401, "Unauthorized");
        }
        Matcher m;
        if ("POST".equals(method) && (m = REGISTER.matcher(path)).matches()) {
            return register(decode(m.group(1)), body);
        }
        if ("GET".equals(method) && (m = LATEST.matcher(path)).matches()) {
            return latest(decode(m.group(1)));
        }
        if ("POST".equals(method) && (m = LOOKUP.matcher(path)).matches()) {
            return lookup(decode(m.group(1)), body);
        }
        if ("GET".equals(method) && (m = BY_ID.matcher(path)).matches()) {
            if (idLookupsUnavailable) {
                return new Answer(503, "<html>503 Service Unavailable</html>");
            }
            Schema schema = schemasById.get(Integer.parseInt(m.group(1)));
            return schema == null
                    ? error(404, 40403, "Schema " + m.group(1) + " not found")
                    : ok(json.createObjectNode().put("schema", schema.toString()));
        }
        if ("POST".equals(method) && (m = COMPATIBILITY.matcher(path)).matches()) {
            return compatibility(decode(m.group(1)), body);
        }
        return error(404, 404, "HTTP 404 Not Found");
    }

    private Answer register(String subject, String body) {
        Schema schema = parse(body);
        if (schema == null) {
            return error(422, 42201, "Invalid schema");
        }
        List<Integer> versions = versionsBySubject.computeIfAbsent(subject, s -> new ArrayList<>());
        Integer id = idsByText.get(schema.toString());
        if (id == null || !versions.contains(id)) {
            if (!versions.isEmpty() && !canRead(schema, schemasById.get(versions.get(versions.size() - 1)))) {
                return error(409, 409, "Schema being registered is incompatible with an earlier schema for subject \""
                        + subject + "\"");
            }
            id = idsByText.computeIfAbsent(schema.toString(), text -> schemasById.size() + 1);
            schemasById.put(id, schema);
            versions.add(id);
        }
        return ok(json.createObjectNode().put("id", id));
    }

    private Answer latest(String subject) {
        List<Integer> versions = versionsBySubject.get(subject);
        if (versions == null || versions.isEmpty()) {
            return error(404, 40401, "Subject '" + subject + "' not found.");
        }
        return ok(version(subject, versions.size(), versions.get(versions.size() - 1)));
    }

    private Answer lookup(String subject, String body) {
        List<Integer> versions = versionsBySubject.get(subject);
        if (versions == null || versions.isEmpty()) {
            return error(404, 40401, "Subject '" + subject + "' not found.");
        }
        Schema schema = parse(body);
        Integer id = schema == null ? null : idsByText.get(schema.toString());
        if (id == null || !versions.contains(id)) {
            return error(404, 40403, "Schema not found");
        }
        return ok(version(subject, versions.indexOf(id) + 1, id));
    }

    private Answer compatibility(String subject, String body) {
        List<Integer> versions = versionsBySubject.get(subject);
        if (versions == null || versions.isEmpty()) {
            return error(404, 40401, "Subject '" + subject + "' not found.");
        }
        Schema schema = parse(body);
        if (schema == null) {
            return error(422, 42201, "Invalid schema");
        }
        boolean compatible = canRead(schema, schemasById.get(versions.get(versions.size() - 1)));
        return ok(json.createObjectNode().put("is_compatible", compatible));
    }

    private ObjectNode version(String subject, int version, int id) {
        return json.createObjectNode().put("subject", subject).put("version", version).put("id", id)
                .put("schema", schemasById.get(id).toString());
    }

    private Schema parse(String body) {
        try {
            JsonNode request = json.readTree(body);
            return new Schema.Parser().parse(request.path("schema").asText());
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    private static boolean canRead(Schema reader, Schema writer) {
        return SchemaCompatibility.checkReaderWriterCompatibility(reader, writer).getType()
                == SchemaCompatibilityType.COMPATIBLE;
    }

    private Answer ok(ObjectNode body) {
        return new Answer(200, body.toString());
    }

    private Answer error(int status, int errorCode, String message) {
        return new Answer(status, json.createObjectNode().put("error_code", errorCode).put("message", message).toString());
    }

    private static String decode(String segment) {
        return URLDecoder.decode(segment, StandardCharsets.UTF_8);
    }

    private static InetSocketAddress loopback() {
        try {
            return new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
