package io.rewardannotator.app;

import static org.assertj.core.api.Assertions.assertThat;

import ai.onnxruntime.OrtException;
import io.rewardannotator.event.GeneratedResponse;
import io.rewardannotator.event.ScoredResponse;
import io.rewardannotator.kafka.KafkaCluster;
import io.rewardannotator.kafka.KafkaClusterExtension;
import io.rewardannotator.scoring.InjectedScorers;
import io.rewardannotator.scoring.RewardScorer;
import io.rewardannotator.scoring.ScoringConfig;
import io.rewardannotator.scoring.ScoringService;
import io.rewardannotator.streams.AnnotationListener;
import io.rewardannotator.streams.AnnotatorTopics;
import io.rewardannotator.streams.AnnotatorTopology;
import io.rewardannotator.streams.BatchingSettings;
import io.rewardannotator.streams.StreamsProperties;
import io.rewardannotator.streams.TestEvents;
import io.rewardannotator.streams.groups.GroupSettings;
import io.rewardannotator.streams.stats.StatsSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The topology on a real broker with a scorer that is full, slow or broken: intake slows, transactions are not
 * fenced, records are never blamed for the device, and a restart scores what was left buffered.
 */
@ExtendWith(KafkaClusterExtension.class)
class ScorerFaultsIntegrationTest {
    private static final Duration WAIT = Duration.ofSeconds(120);

    private static KafkaCluster kafka;

    @TempDir
    Path tmp;

    @BeforeAll
    static void setUp(KafkaCluster cluster) {
        kafka = cluster;
    }

    /** One streams instance over the annotator's topology, recording its states and its fatal error. */
    private final class Instance implements AutoCloseable {
        final KafkaStreams streams;
        final List<KafkaStreams.State> states = new CopyOnWriteArrayList<>();
        final AtomicReference<Throwable> fatal = new AtomicReference<>();
        final Map<String, Integer> inFlight = new ConcurrentHashMap<>();

        Instance(Setup s, RewardScorer scorer, BatchingSettings batching, int threads, Map<String, Object> overrides)
                throws InterruptedException {
            AnnotationListener listener = new AnnotationListener() {
                @Override
                public void inFlight(String taskId, int records) {
                    inFlight.put(taskId, records);
                }
            };
            Properties props = StreamsProperties.build(s.appId, kafka.bootstrapServers(),
                    StreamsConfig.EXACTLY_ONCE_V2, s.topics(), batching, listener, overrides);
            props.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, threads);
            props.put(StreamsConfig.STATE_DIR_CONFIG, tmp.resolve(UUID.randomUUID().toString()).toString());
            props.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, 100);
            streams = new KafkaStreams(AnnotatorTopology.build(s.topics(), s.serde, scorer, batching,
                    StatsSettings.disabled(), GroupSettings.disabled(), listener), props);
            streams.setStateListener((now, before) -> states.add(now));
            streams.setUncaughtExceptionHandler(e -> {
                fatal.compareAndSet(null, e);
                return StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
            });
            streams.start();
            await(() -> streams.state() == KafkaStreams.State.RUNNING);
        }

        int inFlightTotal() {
            return inFlight.values().stream().mapToInt(Integer::intValue).sum();
        }

        @Override
        public void close() {
            streams.close(Duration.ofSeconds(30));
        }
    }

    private record Setup(String in, String out, String dlq, String appId, Map<String, Object> serde) {
        static Setup create(int partitions) {
            String id = UUID.randomUUID().toString().substring(0, 8);
            Setup s = new Setup("in-" + id, "out-" + id, "dlq-" + id, "faults-" + id,
                    Map.of("schema.registry.url", "mock://faults-" + id));
            kafka.createTopics(partitions, s.in, s.out, s.dlq);
            return s;
        }

        AnnotatorTopics topics() {
            return new AnnotatorTopics(List.of(in), out, dlq);
        }
    }

    @Test
    void shouldScoreEverythingWhenRestoredBuffersAndTasksHoldFarMoreThanTheScorerAdmits() throws Exception {
        // 1. a first instance buffers every event while its model is stuck, and stops cleanly
        Setup s = Setup.create(3);
        List<GeneratedResponse> events = TestEvents.valid("overload", 300);
        CountDownLatch stuck = new CountDownLatch(1);
        BatchingSettings roomy = new BatchingSettings(1_000, Duration.ofMillis(500), Duration.ofMinutes(2),
                Duration.ofMillis(20));
        try (ScoringService blocked = InjectedScorers.tiny(InjectedScorers.capacity(1_000), rows -> awaitQuietly(stuck));
             Instance first = new Instance(s, blocked, roomy, 1, Map.of())) {
            KafkaTestClients.produce(kafka.bootstrapServers(), s.serde, s.in, events.subList(0, 200));
            await(() -> first.inFlightTotal() == 200);
            first.close();
            stuck.countDown();
        }

        // 2. a second instance restores 200 buffered records, gets 100 more, with room for 2 in its scorer
        BatchingSettings tight = new BatchingSettings(16, Duration.ofMillis(500), Duration.ofMinutes(2),
                Duration.ofMillis(20));
        try (ScoringService small = InjectedScorers.tiny(InjectedScorers.capacity(2), rows -> { });
             Instance second = new Instance(s, small, tight, 2, Map.of())) {
            KafkaTestClients.produce(kafka.bootstrapServers(), s.serde, s.in, events.subList(200, 300));
            KafkaTestClients.readScored(kafka.bootstrapServers(), s.serde, s.out, r -> r.size() >= 300, WAIT);
            second.close();

            // 3. everything scored exactly once, and the instance never stopped
            assertThat(second.fatal.get()).isNull();
            assertThat(second.states).doesNotContain(KafkaStreams.State.ERROR);
        }
        assertScoredExactlyOnce(s, events);
    }

    @Test
    void shouldNotFenceAThreadWhoseTasksAllWaitForASlowScorer() throws Exception {
        // 1. one stream thread with four tasks; every model run outlasts one task's whole wait budget
        Setup s = Setup.create(4);
        List<GeneratedResponse> events = TestEvents.valid("slow", 24);
        BatchingSettings batching = new BatchingSettings(1, Duration.ofMillis(1_500), Duration.ofMinutes(2),
                Duration.ofMillis(20));
        Map<String, Object> overrides = Map.of(StreamsConfig.producerPrefix("transaction.timeout.ms"), 3_000);
        try (ScoringService slow = InjectedScorers.tiny(ScoringConfig.defaults(), rows -> sleepQuietly(4_000));
             Instance instance = new Instance(s, slow, batching, 1, overrides)) {
            // 2. every partition busy at once
            KafkaTestClients.produce(kafka.bootstrapServers(), s.serde, s.in, events);
            KafkaTestClients.readScored(kafka.bootstrapServers(), s.serde, s.out, r -> r.size() >= events.size(),
                    WAIT);
            instance.close();

            // 3. never fenced (a fenced thread rebalances), nothing lost or doubled
            assertThat(instance.fatal.get()).isNull();
            assertThat(instance.states.subList(instance.states.indexOf(KafkaStreams.State.RUNNING),
                    instance.states.size())).as("states after start").doesNotContain(KafkaStreams.State.REBALANCING);
        }
        assertScoredExactlyOnce(s, events);
    }

    @Test
    void shouldKeepRecordsBufferedWhenTheDeviceFailsAndScoreThemAfterARestart() throws Exception {
        // 1. the device fails on every run
        Setup s = Setup.create(3);
        List<GeneratedResponse> events = TestEvents.valid("device", 60);
        try (ScoringService broken = InjectedScorers.tiny(ScoringConfig.defaults(), rows -> {
                 throw new OrtException("CUDA error: device lost");
             });
             Instance first = new Instance(s, broken, BatchingSettings.defaults(), 1, Map.of())) {
            KafkaTestClients.produce(kafka.bootstrapServers(), s.serde, s.in, events);

            // 2. the application stops with the scorer's error; nothing is blamed on the records
            await(() -> first.streams.state() == KafkaStreams.State.ERROR);
            assertThat(first.fatal.get()).hasRootCauseMessage("CUDA error: device lost");
        }
        assertThat(KafkaTestClients.readToEnd(kafka.bootstrapServers(), s.dlq, new ByteArrayDeserializer(), WAIT))
                .isEmpty();

        // 3. a restart on a healthy device scores every record
        try (ScoringService healthy = InjectedScorers.tiny(ScoringConfig.defaults(), rows -> { });
             Instance second = new Instance(s, healthy, BatchingSettings.defaults(), 1, Map.of())) {
            KafkaTestClients.readScored(kafka.bootstrapServers(), s.serde, s.out, r -> r.size() >= 60, WAIT);
        }
        assertScoredExactlyOnce(s, events);
        assertThat(KafkaTestClients.readToEnd(kafka.bootstrapServers(), s.dlq, new ByteArrayDeserializer(), WAIT))
                .isEmpty();
    }

    /** Reads the whole output, after the instances have stopped: a late duplicate would be in it. */
    private static void assertScoredExactlyOnce(Setup s, List<GeneratedResponse> events) {
        List<ConsumerRecord<byte[], ScoredResponse>> all = KafkaTestClients.readToEnd(kafka.bootstrapServers(),
                s.out, KafkaTestClients.scoredDeserializer(s.serde), WAIT);
        assertThat(all).extracting(r -> r.value().getResponseId())
                .containsExactlyInAnyOrderElementsOf(events.stream().map(GeneratedResponse::getResponseId).toList());
        AnnotatorIntegrationTest.assertOrderedPerSourcePartition(all);
    }

    private static void await(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("condition within %s", WAIT).isLessThan(deadline);
            TimeUnit.MILLISECONDS.sleep(50);
        }
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void sleepQuietly(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
