package io.rewardannotator.streams;

import static org.assertj.core.api.Assertions.assertThat;

import io.rewardannotator.event.GeneratedResponse;
import io.rewardannotator.event.ScoredResponse;
import io.rewardannotator.registry.MockSchemaRegistry;
import io.rewardannotator.scoring.ScoringService;
import io.rewardannotator.streams.groups.GroupSettings;
import io.rewardannotator.streams.stats.StatsSettings;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The replay's topology: only records below the slice's bound are scored or dead-lettered. */
class SliceTopologyTest {
    private static final String SCOPE = "slice-topology-test";
    private static final Map<String, Object> SERDE_CONFIG = Map.of("schema.registry.url", "mock://" + SCOPE);
    private static final AnnotatorTopics TOPICS = new AnnotatorTopics(List.of("generated-responses"),
            "scored-responses", "dead-letters");
    /** The test driver writes every input record to partition 0, offsets 0, 1, 2, ... */
    private static final SliceBounds FIRST_FOUR = new SliceBounds(
            Map.of(new TopicPartition("generated-responses", 0), 4L));

    private static final ScoringService service = TinyScorer.shared();

    private TopologyTestDriver driver;
    private TestInputTopic<byte[], GeneratedResponse> input;
    private TestInputTopic<byte[], byte[]> rawInput;
    private TestOutputTopic<byte[], ScoredResponse> output;
    private TestOutputTopic<byte[], byte[]> deadLetters;

    @AfterAll
    static void dropRegistryScope() {
        MockSchemaRegistry.dropScope(SCOPE);
    }

    @AfterEach
    void closeDriver() {
        driver.close();
    }

    private void start(SliceBounds slice) {
        BatchingSettings settings = BatchingSettings.defaults();
        var props = StreamsProperties.boundTo(StreamsProperties.build("slice-test", "unused:9092",
                StreamsConfig.AT_LEAST_ONCE, TOPICS, settings, AnnotationListener.NONE, Map.of()), slice);
        AnnotatorDriver annotator = new AnnotatorDriver(
                AnnotatorTopology.build(TOPICS, SERDE_CONFIG, service, settings,
                StatsSettings.disabled(), GroupSettings.disabled(), AnnotationListener.NONE, slice), props,
                TOPICS, SERDE_CONFIG);
        driver = annotator.driver;
        input = annotator.input;
        rawInput = annotator.rawInput;
        output = annotator.output;
        deadLetters = annotator.deadLetters;
    }

    @Test
    void shouldScoreOnlyTheRecordsBelowTheBound() {
        start(FIRST_FOUR);

        TestEvents.valid("s", 7).forEach(e -> input.pipeInput(key(e.getResponseId()), e));

        List<TestRecord<byte[], ScoredResponse>> scored = readScored(4);
        driver.advanceWallClockTime(Duration.ofMillis(200));
        scored.addAll(output.readRecordsToList());
        assertThat(scored).extracting(r -> r.value().getResponseId()).containsExactly("s-0", "s-1", "s-2", "s-3");
    }

    @Test
    void shouldDeadLetterUndecodableRecordsInsideTheSliceAndSkipThoseOutside() {
        start(FIRST_FOUR);

        rawInput.pipeInput(key("poison-inside"), new byte[] {9, 9, 9, 9, 9, 9});
        TestEvents.valid("d", 3).forEach(e -> input.pipeInput(key(e.getResponseId()), e));
        rawInput.pipeInput(key("poison-outside"), new byte[] {9, 9, 9, 9, 9, 9});

        List<TestRecord<byte[], ScoredResponse>> scored = readScored(3);
        assertThat(scored).extracting(r -> r.value().getResponseId()).containsExactly("d-0", "d-1", "d-2");
        assertThat(deadLetters.readRecordsToList()).extracting(r -> new String(r.key(), StandardCharsets.UTF_8))
                .containsExactly("poison-inside");
    }

    @Test
    void shouldReadNothingFromAPartitionTheSliceDoesNotList() {
        start(new SliceBounds(Map.of(new TopicPartition("generated-responses", 1), 100L)));

        TestEvents.valid("n", 2).forEach(e -> input.pipeInput(key(e.getResponseId()), e));
        rawInput.pipeInput(key("poison"), new byte[] {9, 9, 9, 9, 9, 9});

        driver.advanceWallClockTime(Duration.ofMillis(200));
        assertThat(output.readRecordsToList()).isEmpty();
        assertThat(deadLetters.readRecordsToList()).isEmpty();
    }

    private static byte[] key(String id) {
        return id.getBytes(StandardCharsets.UTF_8);
    }

    private List<TestRecord<byte[], ScoredResponse>> readScored(int n) {
        List<TestRecord<byte[], ScoredResponse>> out = new ArrayList<>();
        await(() -> {
            out.addAll(output.readRecordsToList());
            return out.size() >= n;
        });
        return out;
    }

    /** Advances wall-clock time (the drain punctuator) until {@code done} holds, for at most 30 s. */
    private void await(BooleanSupplier done) {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!done.getAsBoolean()) {
            assertThat(System.nanoTime()).as("condition not met within 30 s").isLessThan(deadline);
            driver.advanceWallClockTime(Duration.ofMillis(20));
            LockSupport.parkNanos(Duration.ofMillis(1).toNanos());
        }
    }
}
