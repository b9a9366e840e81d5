package io.rewardannotator.streams;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.rewardannotator.event.ChatMessage;
import io.rewardannotator.event.GeneratedResponse;
import io.rewardannotator.event.ScoredResponse;
import io.rewardannotator.registry.MockSchemaRegistry;
import io.rewardannotator.scoring.RewardResult;
import io.rewardannotator.scoring.RewardScorer;
import io.rewardannotator.scoring.ScorerFailedException;
import io.rewardannotator.scoring.ScoringService;
import io.rewardannotator.streams.groups.GroupSettings;
import io.rewardannotator.streams.stats.StatsSettings;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class AnnotatorTopologyTest {
    private static final String SCOPE = "annotator-topology-test";
    private static final Map<String, Object> SERDE_CONFIG = Map.of("schema.registry.url", "mock://" + SCOPE);
    private static final AnnotatorTopics TOPICS = new AnnotatorTopics(List.of("generated-responses"),
            "scored-responses", "dead-letters");

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
        if (driver != null) {
            driver.close();
        }
    }

    private void start(RewardScorer scorer, BatchingSettings settings) {
        start(scorer, settings, AnnotationListener.NONE);
    }

    private void start(RewardScorer scorer, BatchingSettings settings, AnnotationListener listener) {
        var props = StreamsProperties.build("annotator-test", "unused:9092", StreamsConfig.AT_LEAST_ONCE, TOPICS,
                settings, listener, Map.of());
        AnnotatorDriver annotator = new AnnotatorDriver(
                AnnotatorTopology.build(TOPICS, SERDE_CONFIG, scorer, settings,
                StatsSettings.defaults(), GroupSettings.defaults(), listener), props,
                TOPICS, SERDE_CONFIG);
        driver = annotator.driver;
        input = annotator.input;
        rawInput = annotator.rawInput;
        output = annotator.output;
        deadLetters = annotator.deadLetters;
    }

    private static byte[] key(String id) {
        return id.getBytes(StandardCharsets.UTF_8);
    }

    /** Advances wall-clock time (the drain punctuator) until {@code done} holds, for at most 30 s. */
    private void await(BooleanSupplier done) {
        WallClock.advanceUntil(driver, done);
    }

    private List<TestRecord<byte[], ScoredResponse>> readScored(int n) {
        List<TestRecord<byte[], ScoredResponse>> out = new ArrayList<>();
        await(() -> {
            out.addAll(output.readRecordsToList());
            return out.size() >= n;
        });
        return out;
    }

    @Test
    void shouldScoreEveryEventInInputOrderWithTheScorersResult() throws Exception {
        start(service, BatchingSettings.defaults());
        List<GeneratedResponse> events = TestEvents.valid("r", 30);

        events.forEach(e -> input.pipeInput(key(e.getResponseId()), e));
        List<TestRecord<byte[], ScoredResponse>> scored = readScored(events.size());

        assertThat(scored).hasSize(events.size());
        for (int i = 0; i < events.size(); i++) {
            GeneratedResponse in = events.get(i);
            ScoredResponse out = scored.get(i).value();
            assertThat(new String(scored.get(i).key(), StandardCharsets.UTF_8)).isEqualTo(in.getResponseId());
            assertThat(out.getResponseId()).isEqualTo(in.getResponseId());
            assertThat(out.getPrompt()).isEqualTo(in.getPrompt());
            assertThat(out.getMetadata()).containsEntry("temperature", "0.7");
            assertThat(out.getPolicy().getVersion()).isEqualTo("v1");
            RewardResult direct = service.score(service.encode(EventMapping.conversation(in))).join();
            assertThat(out.getReward().getScore()).isCloseTo(direct.score(), within(1e-5));
            assertThat(out.getReward().getTokenCount()).isEqualTo(direct.numTokens());
            assertThat(out.getReward().getQuantiles()).hasSize(19);
            assertThat(out.getReward().getAttributes().get(0).getName()).isEqualTo("helpsteer-helpfulness");
            assertThat(out.getScorer().getModelRevision()).isEqualTo(service.info().revision());
            assertThat(out.getScorer().getBundleDigest()).isEqualTo(service.info().bundleDigest());
            assertThat(header(scored.get(i).headers(), MicroBatchProcessor.SOURCE_OFFSET_HEADER))
                    .isEqualTo(Integer.toString(i));
            assertThat(header(scored.get(i).headers(), MicroBatchProcessor.SOURCE_TOPIC_HEADER))
                    .isEqualTo("generated-responses");
        }
        assertThat(deadLetters.isEmpty()).isTrue();
    }

    @Test
    void shouldDeadLetterPoisonAndInvalidRecordsAndScoreTheRest() {
        start(service, BatchingSettings.defaults());
        byte[] wrongMagic = {1, 0, 0, 0, 1, 2, 3};
        byte[] unknownId = {0, 0, 0, 0x7f, 0x7f, 2, 3};
        byte[] truncated = {0, 0, 0};

        input.pipeInput(key("ok-1"), TestEvents.event("ok-1", "hi", "hello"));
        rawInput.pipeInput(key("magic"), wrongMagic);
        rawInput.pipeInput(key("unknown"), unknownId);
        rawInput.pipeInput(key("short"), truncated);
        input.pipeInput(key("robot"), TestEvents.event("robot", List.of(new ChatMessage("robot", "beep")), "boop",
                "policy-a", "v1"));
        input.pipeInput(key("assistant-last"), TestEvents.event("assistant-last",
                List.of(new ChatMessage("user", "hi"), new ChatMessage("assistant", "hello")), "again", "policy-a",
                "v1"));
        input.pipeInput(key("too-long"), TestEvents.event("too-long", "long ".repeat(6000), "x"));
        rawInput.pipeInput(key("tombstone"), (byte[]) null);
        input.pipeInput(key("ok-2"), TestEvents.event("ok-2", "hi again", "hello again"));
        int piped = 9;

        List<TestRecord<byte[], ScoredResponse>> scored = readScored(2);
        List<TestRecord<byte[], byte[]>> dead = new ArrayList<>();
        await(() -> {
            dead.addAll(deadLetters.readRecordsToList());
            return dead.size() >= piped - 2;
        });

        assertThat(scored).extracting(r -> r.value().getResponseId()).containsExactly("ok-1", "ok-2");
        assertThat(scored.size() + dead.size()).isEqualTo(piped);
        assertThat(dead).extracting(r -> new String(r.key(), StandardCharsets.UTF_8))
                .containsExactlyInAnyOrder("magic", "unknown", "short", "robot", "assistant-last", "too-long",
                        "tombstone");
        TestRecord<byte[], byte[]> magic = byKey(dead, "magic");
        assertThat(magic.value()).isEqualTo(wrongMagic);
        assertThat(header(magic.headers(), DeadLetters.STAGE)).isEqualTo("deserialize");
        assertThat(header(magic.headers(), DeadLetters.OFFSET)).isEqualTo("1");
        assertThat(header(byKey(dead, "unknown").headers(), DeadLetters.STAGE)).isEqualTo("deserialize");
        assertThat(header(byKey(dead, "short").headers(), DeadLetters.STAGE)).isEqualTo("deserialize");
        assertThat(header(byKey(dead, "robot").headers(), DeadLetters.REASON)).isEqualTo("INVALID_ROLE");
        assertThat(header(byKey(dead, "robot").headers(), DeadLetters.STAGE)).isEqualTo("validate");
        assertThat(header(byKey(dead, "assistant-last").headers(), DeadLetters.REASON))
                .isEqualTo("PROMPT_NOT_ENDING_WITH_USER");
        assertThat(header(byKey(dead, "too-long").headers(), DeadLetters.REASON)).isEqualTo("TOO_LONG");
        assertThat(header(byKey(dead, "tombstone").headers(), DeadLetters.REASON)).isEqualTo("MALFORMED_INPUT");
        assertThat(header(byKey(dead, "robot").headers(), DeadLetters.MESSAGE)).contains("robot");
        assertThat(header(magic.headers(), DeadLetters.REASON)).isEqualTo("WRONG_MAGIC_BYTE");
        assertThat(header(byKey(dead, "unknown").headers(), DeadLetters.REASON)).isEqualTo("UNKNOWN_SCHEMA_ID");
        assertThat(header(byKey(dead, "short").headers(), DeadLetters.REASON)).isEqualTo("TRUNCATED_PAYLOAD");
        assertThat(dead).extracting(r -> header(r.headers(), DeadLetters.REASON))
                .allSatisfy(reason -> assertThat(DeadLetterReason.valueOf(reason).name()).isEqualTo(reason));
    }

    @Test
    void shouldKeepInputOrderWhenResultsFinishOutOfOrder() {
        ControllableScorer slow = new ControllableScorer(service);
        start(slow, BatchingSettings.defaults());
        List<GeneratedResponse> events = TestEvents.valid("o", 5);
        events.forEach(e -> input.pipeInput(key(e.getResponseId()), e));

        slow.release(4, 3, 2, 1);
        driver.advanceWallClockTime(Duration.ofMillis(100));
        assertThat(output.isEmpty()).as("nothing may overtake the first record").isTrue();
        slow.release(0);
        List<TestRecord<byte[], ScoredResponse>> scored = readScored(5);

        assertThat(scored).extracting(r -> r.value().getResponseId()).containsExactly("o-0", "o-1", "o-2", "o-3",
                "o-4");
    }

    @Test
    void shouldWaitForResultsWhenTooManyRecordsAreInFlight() {
        ControllableScorer slow = new ControllableScorer(service);
        BatchingSettings settings = new BatchingSettings(3, Duration.ofSeconds(4), Duration.ofSeconds(20), Duration.ofMillis(20));
        start(slow, settings);
        List<Integer> outstandingWhenPiped = new ArrayList<>();
        Thread releaser = new Thread(() -> {
            int released = 0;
            while (released < 12 && !Thread.currentThread().isInterrupted()) {
                if (slow.submitted() > released) {
                    slow.release(released++);
                } else {
                    LockSupport.parkNanos(Duration.ofMillis(5).toNanos());
                }
            }
        });
        releaser.start();
        try {
            for (GeneratedResponse e : TestEvents.valid("bp", 12)) {
                input.pipeInput(key(e.getResponseId()), e);
                outstandingWhenPiped.add(slow.submitted() - (int) output.getQueueSize());
            }
            assertThat(readScored(12)).hasSizeGreaterThanOrEqualTo(1);
        } finally {
            releaser.interrupt();
        }

        // after each pipeInput returns, at most max-in-flight records are held unforwarded
        assertThat(outstandingWhenPiped).allSatisfy(n -> assertThat(n).isLessThanOrEqualTo(3));
    }

    @Test
    void shouldStopWhenARecordWaitsLongerThanTheResultTimeout() {
        ControllableScorer stuck = new ControllableScorer(service);
        start(stuck, new BatchingSettings(10, Duration.ofMillis(50), Duration.ofMillis(50), Duration.ofMillis(10)));
        input.pipeInput(key("stuck"), TestEvents.event("stuck", "hi", "hello"));

        assertThatThrownBy(() -> await(() -> false))
                .hasRootCauseInstanceOf(ScorerFailedException.class)
                .rootCause().hasMessageContaining("waited more than 50 ms");
    }

    @Test
    void shouldTakeMoreInputAfterMaxBlockInsteadOfBlockingTheTransaction() {
        ControllableScorer slow = new ControllableScorer(service);
        start(slow, new BatchingSettings(2, Duration.ofMillis(100), Duration.ofSeconds(30), Duration.ofMillis(10)));
        List<GeneratedResponse> events = TestEvents.valid("mb", 4);

        events.forEach(e -> input.pipeInput(key(e.getResponseId()), e));

        assertThat(slow.submitted()).as("every record was taken although none was scored").isEqualTo(4);
        assertThat(output.isEmpty()).isTrue();
        slow.releaseAll();
        assertThat(readScored(4)).extracting(r -> r.value().getResponseId())
                .containsExactly("mb-0", "mb-1", "mb-2", "mb-3");
    }

    @Test
    void shouldCancelPendingRequestsAndReportNothingInFlightWhenTheTaskCloses() {
        ControllableScorer slow = new ControllableScorer(service);
        Map<String, Integer> inFlight = new ConcurrentHashMap<>();
        start(slow, BatchingSettings.defaults(), new AnnotationListener() {
            @Override
            public void inFlight(String taskId, int records) {
                inFlight.put(taskId, records);
            }
        });
        TestEvents.valid("close", 3).forEach(e -> input.pipeInput(key(e.getResponseId()), e));
        assertThat(inFlight.values()).containsExactly(3);

        driver.close();
        driver = null;

        assertThat(slow.cancelled()).as("the scorer may skip them and free their room").isEqualTo(3);
        assertThat(inFlight.values()).as("the in-flight gauge drops").containsExactly(0);
    }

    @Test
    void shouldRenewTheThreadsWaitBudgetWhenItsTasksCommit() {
        start(service, BatchingSettings.defaults());
        WaitBudget budget = WaitBudget.ofThisThread();
        budget.spend(BatchingSettings.DEFAULT_MAX_BLOCK.toNanos());
        assertThat(budget.leftNanos(BatchingSettings.DEFAULT_MAX_BLOCK)).isZero();

        // the test driver processes and commits on the calling thread
        input.pipeInput(key("commit"), TestEvents.event("commit", "hi", "hello"));

        assertThat(budget.leftNanos(BatchingSettings.DEFAULT_MAX_BLOCK))
                .isEqualTo(BatchingSettings.DEFAULT_MAX_BLOCK.toNanos());
    }

    private static TestRecord<byte[], byte[]> byKey(List<TestRecord<byte[], byte[]>> records, String key) {
        return records.stream().filter(r -> new String(r.key(), StandardCharsets.UTF_8).equals(key)).findFirst()
                .orElseThrow();
    }

    static String header(Headers headers, String name) {
        Header header = headers.lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }
}
