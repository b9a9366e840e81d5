package io.rewardannotator.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.rewardannotator.app.Annotator;
import io.rewardannotator.app.AnnotatorConfig;
import io.rewardannotator.app.AnnotatorMetrics;
import io.rewardannotator.app.AnnotatorTestConfig;
import io.rewardannotator.app.HttpEndpoint;
import io.rewardannotator.app.KafkaTestClients;
import io.rewardannotator.event.ChatMessage;
import io.rewardannotator.event.GeneratedResponse;
import io.rewardannotator.kafka.KafkaCluster;
import io.rewardannotator.kafka.KafkaClusterExtension;
import io.rewardannotator.streams.TestEvents;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Grafana dashboard and the PrometheusRule query only series a running annotator exposes: one is started
 * against the test broker, fed scored events, a dead letter and a closed reward-stats window, and its
 * {@code /metrics} is scraped over HTTP.
 */
@ExtendWith(KafkaClusterExtension.class)
class MonitoringIntegrationTest {
    private static final Duration WAIT = Duration.ofSeconds(90);
    private static final long WINDOW_START = 1_700_000_000_000L;
    private static final String SECRET = "s3cret-in-config";

    @TempDir
    Path tmp;

    static final Path DASHBOARD = RepositoryFiles.path("deploy", "grafana", "reward-annotator.json");
    static final Path RULES = RepositoryFiles.path("deploy", "base", "prometheusrule.yaml");

    /** Every PromQL expression of the dashboard's panels and variables and of the alerting rules. */
    static List<String> expressions() throws Exception {
        JsonNode dashboard = new ObjectMapper().readTree(DASHBOARD.toFile());
        List<String> out = new ArrayList<>();
        dashboard.findValues("expr").forEach(e -> out.add(e.asText()));
        dashboard.at("/templating/list").forEach(variable -> {
            if (variable.path("type").asText().equals("query")) {
                out.add(variable.path("query").asText());
            }
        });
        JsonNode rule = RepositoryFiles.yaml(RULES);
        assertThat(rule.path("kind").asText()).isEqualTo("PrometheusRule");
        rule.at("/spec/groups").forEach(group -> group.path("rules").forEach(r -> out.add(r.path("expr").asText())));
        return out;
    }

    @Test
    void shouldExposeEverySeriesTheDashboardAndAlertsQuery(KafkaCluster kafka) throws Exception {
        List<PromQl.Query> queries = expressions().stream().map(PromQl::read).toList();
        Map<String, List<Map<String, String>>> exposed = PromQl.series(scrapeBusyAnnotator(kafka));

        assertThat(queries).as("queries found in the dashboard and the rules").hasSizeGreaterThan(20)
                .allSatisfy(q -> assertThat(q.selectors()).as(q.expression()).isNotEmpty());
        assertThat(queries.stream().flatMap(q -> q.selectors().stream()).map(PromQl.Selector::metric))
                .contains("reward_annotator_tokens_scored_total", "reward_annotator_records_dead_lettered_total",
                        "kafka_consumer_fetch_manager_records_lag_max", "reward_annotator_stats_window_lower_tail_rate");
        assertThat(queries.stream().flatMap(q -> PromQl.problems(q, exposed).stream()).toList()).isEmpty();
    }

    /** An annotator that scored events, dead-lettered one and closed a stats window; its /metrics text. */
    private String scrapeBusyAnnotator(KafkaCluster kafka) throws Exception {
        String id = UUID.randomUUID().toString().substring(0, 8);
        Map<String, Object> config = AnnotatorTestConfig.of(kafka, "monitoring", id, 2, tmp);
        Map<String, Object> serde = AnnotatorTestConfig.serde(config);
        kafka.createTopics(2, "stats-" + id);
        config.put("stats.topic", "stats-" + id);
        config.put("stats.window.ms", 2000);
        config.put("stats.grace.ms", 0);
        config.put("registry.basic.auth.credentials.source", "USER_INFO");
        config.put("registry.basic.auth.user.info", "annotator:" + SECRET);
        config.put("kafka.commit.interval.ms", 100);
        try (AnnotatorMetrics metrics = new AnnotatorMetrics(3);
             Annotator annotator = Annotator.start(new AnnotatorConfig(config), metrics, metrics, WAIT)) {
            metrics.bind(annotator.streams(), annotator::queueDepth, annotator::registryUnreachableCount);
            List<GeneratedResponse> events = new ArrayList<>(TestEvents.valid("m", 10));
            events.add(TestEvents.event("m-bad", List.of(new ChatMessage("tool", "x")), "y", "policy-a", "v1"));
            KafkaTestClients.produceAt(kafka.bootstrapServers(), serde, "in-" + id, events, WINDOW_START + 500);
            KafkaTestClients.readScored(kafka.bootstrapServers(), serde, "out-" + id, r -> r.size() >= 10, WAIT);
            // a later event moves event time past the window's end on each partition: the window closes
            List<GeneratedResponse> closers = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                closers.add(TestEvents.event("m-later-" + i, "later", "still here"));
            }
            KafkaTestClients.produceAt(kafka.bootstrapServers(), serde, "in-" + id, closers, WINDOW_START + 5_000);
            try (HttpEndpoint http = HttpEndpoint.start("127.0.0.1", 0, metrics::scrape, () -> true, () -> true)) {
                String scraped = awaitScrape(http.port(), text -> text.contains("reward_annotator_stats_window_count{"));
                assertThat(scraped).as("no configuration on /metrics").doesNotContain(SECRET);
                return scraped;
            }
        }
    }

    private static String awaitScrape(int port, java.util.function.Predicate<String> done) throws Exception {
        HttpClient client = HttpClient.newHttpClient();
        long deadline = System.nanoTime() + WAIT.toNanos();
        String body;
        do {
            body = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + HttpEndpoint.METRICS))
                    .build(), HttpResponse.BodyHandlers.ofString()).body();
            if (done.test(body)) {
                return body;
            }
            Thread.sleep(200);
        } while (System.nanoTime() < deadline);
        throw new AssertionError("no closed stats window in /metrics within " + WAIT + ":\n" + body);
    }
}
