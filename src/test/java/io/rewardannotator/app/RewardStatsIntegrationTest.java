package io.rewardannotator.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.rewardannotator.TestBundles;
import io.rewardannotator.event.ChatMessage;
import io.rewardannotator.event.GeneratedResponse;
import io.rewardannotator.event.RewardStats;
import io.rewardannotator.event.ScoredResponse;
import io.rewardannotator.kafka.KafkaCluster;
import io.rewardannotator.kafka.KafkaClusterExtension;
import io.rewardannotator.streams.AnnotationListener;
import io.rewardannotator.streams.TestEvents;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** One window of reward statistics end to end, against a real broker, under exactly-once. */
@ExtendWith(KafkaClusterExtension.class)
class RewardStatsIntegrationTest {
    private static final Duration WAIT = Duration.ofSeconds(90);
    /** A multiple of the 2 s window: the window under test is [WINDOW_START, WINDOW_START + 2000). */
    private static final long WINDOW_START = 1_700_000_000_000L;

    @TempDir
    Path tmp;

    @Test
    void shouldEmitAClosedWindowOncePerPolicyWithTheFiguresOfItsScoredEvents(KafkaCluster kafka) throws Exception {
        // 1. topics and an annotator with 2 s windows and no grace, over three input partitions
        String id = UUID.randomUUID().toString().substring(0, 8);
        String in = "in-" + id;
        String out = "out-" + id;
        String dlq = "dlq-" + id;
        String statsTopic = "stats-" + id;
        Map<String, Object> serde = Map.of("schema.registry.url", "mock://stats-it-" + id);
        kafka.createTopics(3, in, out, dlq, statsTopic);
        List<RewardStats> closed = new CopyOnWriteArrayList<>();
        AnnotationListener listener = new AnnotationListener() {
            @Override
            public void windowClosed(RewardStats stats) {
                closed.add(stats);
            }
        };
        Map<String, Object> config = new HashMap<>();
        config.put("bootstrap.servers", kafka.bootstrapServers());
        config.put("application.id", "stats-" + id);
        config.put("model.dir", TestBundles.TINY.toString());
        config.put("input.topics", in);
        config.put("output.topic", out);
        config.put("dead.letter.topic", dlq);
        config.put("schema.registry.url", serde.get("schema.registry.url"));
        config.put("num.stream.threads", 2);
        config.put("kafka.state.dir", tmp.toString());
        config.put("kafka.commit.interval.ms", 100);
        config.put("stats.topic", statsTopic);
        config.put("stats.window.ms", 2000);
        config.put("stats.grace.ms", 0);

        try (Annotator annotator = Annotator.start(new AnnotatorConfig(config), listener, WAIT)) {
            // 2. two policies' events and one dead letter inside the window; wait until all are written
            List<GeneratedResponse> window = new ArrayList<>(TestEvents.valid("a", 12));
            for (int i = 0; i < 6; i++) {
                window.add(TestEvents.event("b-" + i, List.of(new ChatMessage("user", "Question " + i)),
                        "Answer " + "so ".repeat(i), "policy-b", "v2"));
            }
            window.add(TestEvents.event("a-bad", List.of(new ChatMessage("tool", "x")), "y", "policy-a", "v1"));
            KafkaTestClients.produceAt(kafka.bootstrapServers(), serde, in, window, WINDOW_START + 500);
            List<ConsumerRecord<byte[], ScoredResponse>> scored = KafkaTestClients.readScored(
                    kafka.bootstrapServers(), serde, out, r -> r.size() >= 18, WAIT);
            assertThat(scored).hasSize(18);

            // 3. one later event per policy moves event time past the window's end
            KafkaTestClients.produceAt(kafka.bootstrapServers(), serde, in, List.of(
                    TestEvents.event("a-closer", "later", "still here"),
                    TestEvents.event("b-closer", List.of(new ChatMessage("user", "later")), "here", "policy-b",
                            "v2")), WINDOW_START + 5_000);

            // 4. one event per policy, read committed, with the figures of that policy's scored events
            List<ConsumerRecord<byte[], RewardStats>> stats = KafkaTestClients.readAvro(kafka.bootstrapServers(),
                    serde, statsTopic, RewardStats.class, r -> r.size() >= 2, WAIT);
            assertThat(stats).extracting(KafkaTestClients::key).containsExactlyInAnyOrder("policy-a/v1", "policy-b/v2");
            for (ConsumerRecord<byte[], RewardStats> record : stats) {
                RewardStats s = record.value();
                List<Double> scores = scored.stream().map(ConsumerRecord::value)
                        .filter(e -> (e.getPolicy().getName() + "/" + e.getPolicy().getVersion())
                                .equals(KafkaTestClients.key(record)))
                        .map(e -> e.getReward().getScore()).toList();
                assertThat(s.getWindowStart().toEpochMilli()).isEqualTo(WINDOW_START);
                assertThat(s.getWindowEnd().toEpochMilli()).isEqualTo(WINDOW_START + 2_000);
                assertThat(s.getCount()).isEqualTo(scores.size());
                assertThat(s.getMeanScore()).isCloseTo(
                        scores.stream().mapToDouble(Double::doubleValue).average().orElseThrow(), within(1e-9));
                assertThat(s.getDeadLetterCount()).isEqualTo(s.getPolicy().getName().equals("policy-a") ? 1 : 0);
            }
            assertThat(closed).containsExactlyInAnyOrderElementsOf(stats.stream().map(ConsumerRecord::value).toList());
        }
    }
}
