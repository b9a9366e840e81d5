package io.rewardannotator.app;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * The operator's HTTP endpoint (the JDK's server, one thread): {@code /metrics} in Prometheus text format,
 * {@code /health/live} (the process can go on) and {@code /health/ready} (streams RUNNING, model loaded).
 */
public final class HttpEndpoint implements AutoCloseable {
    public static final String METRICS = "/metrics";
    public static final String LIVE = "/health/live";
    public static final String READY = "/health/ready";
    private static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";

    private final HttpServer server;

    private HttpEndpoint(HttpServer server) {
        this.server = server;
    }

    /** Serves on {@code port} (0 picks a free one, for tests) on every interface. */
    public static HttpEndpoint start(int port, Supplier<String> metrics, BooleanSupplier live, BooleanSupplier ready) {
        HttpServer server;
        try {
            server = HttpServer.create(new InetSocketAddress(port), 0);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot serve http.port " + port + ": " + e.getMessage()
                    + " (choose a free port, or 0 to turn the endpoint off)", e);
        }
        server.createContext(METRICS, exchange -> respond(exchange, 200, PROMETHEUS_TEXT, metrics.get()));
        server.createContext(LIVE, exchange -> health(exchange, live.getAsBoolean()));
        server.createContext(READY, exchange -> health(exchange, ready.getAsBoolean()));
        server.start();
        return new HttpEndpoint(server);
    }

    public int port() {
        return server.getAddress().getPort();
    }

    private static void health(HttpExchange exchange, boolean ok) throws IOException {
        respond(exchange, ok ? 200 : 503, "application/json", ok ? "{\"status\":\"UP\"}" : "{\"status\":\"DOWN\"}");
    }

    private static void respond(HttpExchange exchange, int status, String type, String body) throws IOException {
        try (exchange) {
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", type);
            exchange.sendResponseHeaders(status, bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
