package io.rewardannotator.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class HttpEndpointTest {
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private static HttpResponse<String> get(int port, String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void shouldAnswerReadyOnlyWhileReadyAndServeMetricsAsPrometheusText() throws Exception {
        AtomicBoolean ready = new AtomicBoolean(false);
        try (HttpEndpoint http = HttpEndpoint.start("127.0.0.1", 0, () -> "up 1\n", () -> true, ready::get)) {
            assertThat(get(http.port(), HttpEndpoint.READY).statusCode()).isEqualTo(503);
            assertThat(get(http.port(), HttpEndpoint.LIVE).statusCode()).isEqualTo(200);

            ready.set(true);

            assertThat(get(http.port(), HttpEndpoint.READY).statusCode()).isEqualTo(200);
            HttpResponse<String> metrics = get(http.port(), HttpEndpoint.METRICS);
            assertThat(metrics.body()).isEqualTo("up 1\n");
            assertThat(metrics.headers().firstValue("Content-Type")).hasValueSatisfying(
                    type -> assertThat(type).startsWith("text/plain; version=0.0.4"));
        }
    }

    @Test
    void shouldAnswer404ForEveryPathButMetricsAndHealth() throws Exception {
        try (HttpEndpoint http = HttpEndpoint.start("127.0.0.1", 0, () -> "up 1\n", () -> true, () -> true)) {
            for (String path : new String[] {"/", "/config", "/env", "/metrics/", "/metrics/x", "/metricsx",
                    "/health", "/health/ready/x", "/health/live.json", "/actuator/env"}) {
                assertThat(get(http.port(), path).statusCode()).as(path).isEqualTo(404);
            }
            assertThat(get(http.port(), HttpEndpoint.METRICS + "?name=up").statusCode()).isEqualTo(200);
        }
    }

    @Test
    void shouldListenOnTheBindAddressGiven() throws Exception {
        try (HttpEndpoint loopback = HttpEndpoint.start("127.0.0.1", 0, () -> "", () -> true, () -> true);
             HttpEndpoint everywhere = HttpEndpoint.start(
                     (String) AnnotatorConfig.configDef().defaultValues().get(AnnotatorConfig.HTTP_BIND_ADDRESS), 0,
                     () -> "", () -> true, () -> true)) {
            assertThat(loopback.address().isLoopbackAddress()).isTrue();
            assertThat(everywhere.address().isAnyLocalAddress()).as("the default serves every interface").isTrue();
            assertThat(get(everywhere.port(), HttpEndpoint.LIVE).statusCode()).isEqualTo(200);
        }
    }
}
