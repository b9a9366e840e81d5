package io.rewardannotator.app;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * The operator's HTTP endpoint (the JDK's server, one thread): {@code /metrics} in Prometheus text format,
 * {@code /health/live} (the process can go on) and {@code /health/ready} (streams RUNNING, model loaded). Those
 * three exact paths and nothing else: any other path, sub-paths included, is 404, so no configuration or
 * other state can leak through a handler that matches by prefix.
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

    /**
     * Serves on {@code port} (0 picks a free one, for tests) of {@code bindAddress}: an interface's address, or
     * {@code 0.0.0.0} for every interface (what Kubernetes probes and Prometheus need from outside the pod).
     */
    public static HttpEndpoint start(String bindAddress, int port, Supplier<String> metrics, BooleanSupplier live,
                                     BooleanSupplier ready) {
        HttpServer server;
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getByName(bindAddress), port), 0);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot serve http.bind.address " + bindAddress + " http.port " + port
                    + ": " + e.getMessage() + " (choose a local address and a free port, or http.port=0 to turn "
                    + "the endpoint off)", e);
        }
        Map<String, HttpHandler> routes = Map.of(
                METRICS, exchange -> respond(exchange, 200, PROMETHEUS_TEXT, metrics.get()),
                LIVE, exchange -> health(exchange, live.getAsBoolean()),
                READY, exchange -> health(exchange, ready.getAsBoolean()));
        server.createContext("/", exchange -> {
            HttpHandler route = routes.get(exchange.getRequestURI().getPath());
            if (route == null) {
                respond(exchange, 404, "application/json", "{\"status\":\"NOT_FOUND\"}");
            } else {
                route.handle(exchange);
            }
        });
        server.start();
        return new HttpEndpoint(server);
    }

    public int port() {
        return server.getAddress().getPort();
    }

    /** The address served, e.g. {@code /0.0.0.0} or {@code /127.0.0.1}. */
    public InetAddress address() {
        return server.getAddress().getAddress();
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
