package io.rewardannotator.streams;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rewardannotator.event.ChatMessage;
import io.rewardannotator.event.GeneratedResponse;
import io.rewardannotator.event.RewardStats;
import io.rewardannotator.event.ScoredResponse;
import io.rewardannotator.registry.MockSchemaRegistry;
import io.rewardannotator.scoring.ScoringService;
import io.rewardannotator.streams.groups.GroupSettings;
import io.rewardannotator.streams.stats.ExpectedStats;
import io.rewardannotator.streams.stats.HistogramBins;
import io.rewardannotator.streams.stats.StatsSettings;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The statistics branch through the whole topology and the real tiny model: event time from the piped
 * timestamps, the micro-batch drain from the driver's wall clock. Expected figures are computed here from the
 * scored events the topology wrote, and the percentiles by sorting them.
 */
class RewardStatsTopologyTest {
    private static final String SCOPE = "reward-stats-topology-test";
    private static final Map<String, Object> SERDE_CONFIG = Map.of("schema.registry.url", "mock://" + SCOPE);
    private static final AnnotatorTopics TOPICS = new AnnotatorTopics(List.of("generated-responses"),
            "scored-responses", "dead-letters");
    /** A multiple of 60 s, so that windows of 10 s and 60 s start here. */
    private static final long BASE = 1_700_000_040_000L;
    private static final HistogramBins BINS = new HistogramBins(-5, 15, 400);
    private static final double LOWER_TAIL = 1.0;

    private static final ScoringService service = TinyScorer.shared();

    private final RecordingListener listener = new RecordingListener();
    private final List<TestRecord<byte[], ScoredResponse>> scored = new ArrayList<>();
    private final List<TestRecord<byte[], RewardStats>> stats = new ArrayList<>();
    private final Map<String, String> policyById = new HashMap<>();
    private TopologyTestDriver driver;
    private TestInputTopic<byte[], GeneratedResponse> input;
    private TestOutputTopic<byte[], ScoredResponse> scoredOut;
    private TestOutputTopic<byte[], byte[]> deadLetterOut;
    private TestOutputTopic<byte[], RewardStats> statsOut;

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

    private void start(StatsSettings settings) {
        var props = StreamsProperties.build("stats-test", "unused:9092", StreamsConfig.AT_LEAST_ONCE, TOPICS,
                BatchingSettings.defaults(), listener, Map.of());
        AnnotatorDriver annotator = new AnnotatorDriver(AnnotatorTopology.build(TOPICS, SERDE_CONFIG, service,
                BatchingSettings.defaults(), settings, GroupSettings.disabled(), listener), props, TOPICS,
                SERDE_CONFIG);
        driver = annotator.driver;
        input = annotator.input;
        scoredOut = annotator.output;
        deadLetterOut = annotator.deadLetters;
        statsOut = annotator.avroOutput(settings.topic(), new ByteArrayDeserializer(), RewardStats.class,
                SERDE_CONFIG);
    }

    private static StatsSettings settings(Duration window, Duration grace) {
        return new StatsSettings(true, "reward-stats", window, grace, LOWER_TAIL, BINS);
    }

    /** A valid event ({@code valid}) or one the validator dead-letters (a prompt ending with the assistant). */
    private void pipe(String id, String policy, String version, boolean valid, long offsetMillis) {
        List<ChatMessage> prompt = valid
                ? List.of(new ChatMessage("user", "Question " + id + " " + "why ".repeat(id.length() % 7)))
                : List.of(new ChatMessage("user", "hi"), new ChatMessage("assistant", "hello"));
        policyById.put(id, policy + "/" + version);
        input.pipeInput(id.getBytes(StandardCharsets.UTF_8),
                TestEvents.event(id, prompt, "Answer " + id + " " + "because ".repeat(id.hashCode() & 7), policy,
                        version), BASE + offsetMillis);
    }

    /** Drains the scorer and reads what the topology wrote until {@code scoredCount} and {@code statsCount}. */
    private void awaitOutputs(int scoredCount, int statsCount) {
        WallClock.advanceUntil(driver, () -> {
            scored.addAll(scoredOut.readRecordsToList());
            stats.addAll(statsOut.readRecordsToList());
            return scored.size() >= scoredCount && stats.size() >= statsCount;
        });
        driver.advanceWallClockTime(Duration.ofMillis(200));
        stats.addAll(statsOut.readRecordsToList());
    }

    private List<ScoredResponse> scoredIn(String policy, long fromOffset, long toOffset) {
        return scored.stream()
                .filter(r -> r.timestamp() >= BASE + fromOffset && r.timestamp() < BASE + toOffset)
                .map(TestRecord::value)
                .filter(s -> (s.getPolicy().getName() + "/" + s.getPolicy().getVersion()).equals(policy))
                .toList();
    }

    private RewardStats statsOf(String policy, long windowOffset) {
        return stats.stream()
                .filter(r -> new String(r.key(), StandardCharsets.UTF_8).equals(policy))
                .map(TestRecord::value)
                .filter(s -> s.getWindowStart().toEpochMilli() == BASE + windowOffset)
                .findFirst().orElseThrow(() -> new AssertionError("no stats for " + policy + " at +" + windowOffset));
    }

    @Test
    void shouldEmitOneRecordPerPolicyAndWindowWithTheFiguresOfItsScoredResponses() {
        // given: window [BASE, BASE+60s) with three policies (one only dead-lettered), and the next window begun
        start(settings(Duration.ofSeconds(60), Duration.ofSeconds(10)));
        for (int i = 0; i < 20; i++) {
            pipe("a-" + i, "policy-a", "v1", true, i * 2_500L);
        }
        for (int i = 0; i < 8; i++) {
            pipe("b-" + i, "policy-b", "v2", true, 1_000 + i * 5_000L);
        }
        pipe("a-bad-1", "policy-a", "v1", false, 3_000);
        pipe("a-bad-2", "policy-a", "v1", false, 59_999);
        pipe("b-bad", "policy-b", "v2", false, 30_000);
        pipe("c-bad", "policy-c", "v1", false, 40_000);
        for (int i = 0; i < 3; i++) {
            pipe("a-next-" + i, "policy-a", "v1", true, 61_000 + i);
        }

        // when: event time reaches the window's end plus grace
        pipe("b-closer", "policy-b", "v2", true, 70_000);
        awaitOutputs(32, 3);

        // then: one event per policy for the first window, none yet for the second
        assertThat(stats).extracting(r -> new String(r.key(), StandardCharsets.UTF_8))
                .containsExactlyInAnyOrder("policy-a/v1", "policy-b/v2", "policy-c/v1");
        assertThat(stats).allSatisfy(r -> {
            assertThat(r.value().getWindowStart().toEpochMilli()).isEqualTo(BASE);
            assertThat(r.value().getWindowEnd().toEpochMilli()).isEqualTo(BASE + 60_000);
        });
        assertFiguresMatch(statsOf("policy-a/v1", 0), scoredIn("policy-a/v1", 0, 60_000));
        assertFiguresMatch(statsOf("policy-b/v2", 0), scoredIn("policy-b/v2", 0, 60_000));
        assertThat(statsOf("policy-a/v1", 0).getCount()).isEqualTo(20);
        assertThat(statsOf("policy-b/v2", 0).getCount()).isEqualTo(8);
        RewardStats onlyDeadLetters = statsOf("policy-c/v1", 0);
        assertThat(onlyDeadLetters.getCount()).isZero();
        assertThat(onlyDeadLetters.getMeanScore()).isNull();
        assertThat(onlyDeadLetters.getScoreP50()).isNull();
        Map<String, Long> deadLettersPerPolicy = new HashMap<>();
        deadLetterOut.readRecordsToList().forEach(r -> deadLettersPerPolicy.merge(
                policyById.get(new String(r.key(), StandardCharsets.UTF_8)), 1L, Long::sum));
        assertThat(deadLettersPerPolicy).containsOnly(Map.entry("policy-a/v1", 2L), Map.entry("policy-b/v2", 1L),
                Map.entry("policy-c/v1", 1L));
        stats.forEach(r -> assertThat(r.value().getDeadLetterCount())
                .isEqualTo(deadLettersPerPolicy.get(new String(r.key(), StandardCharsets.UTF_8))));
        assertThat(listener.closed).containsExactlyInAnyOrderElementsOf(stats.stream().map(TestRecord::value).toList());
        assertThat(listener.late).isEmpty();
    }

    private static void assertFiguresMatch(RewardStats actual, List<ScoredResponse> responses) {
        ExpectedStats.assertFiguresMatch(actual, responses, LOWER_TAIL, BINS);
    }

    @Test
    void shouldCountARecordWithinGraceAndReportOneAfterGraceToTheListener() {
        // given: windows of 10 s with a grace of 5 s
        start(settings(Duration.ofSeconds(10), Duration.ofSeconds(5)));

        // when
        pipe("w0-first", "policy-a", "v1", true, 1_000);
        pipe("w1-first", "policy-a", "v1", true, 12_000);
        pipe("w0-within-grace", "policy-a", "v1", true, 2_000);   // event time 12 s: window 0 closes at 15 s
        pipe("w1-second", "policy-a", "v1", true, 16_000);        // event time 16 s: window 0 closes
        pipe("w0-after-grace", "policy-a", "v1", true, 3_000);    // late by 1 s
        pipe("w3-closer", "policy-a", "v1", true, 31_000);        // window 1 closes at 25 s
        awaitOutputs(6, 2);

        // then
        assertThat(stats).extracting(r -> r.value().getWindowStart().toEpochMilli() - BASE)
                .containsExactly(0L, 10_000L);
        assertFiguresMatch(statsOf("policy-a/v1", 0), scored.stream().map(TestRecord::value)
                .filter(s -> s.getResponseId().startsWith("w0-") && !s.getResponseId().endsWith("after-grace"))
                .toList());
        assertThat(statsOf("policy-a/v1", 0).getCount()).isEqualTo(2);
        assertThat(statsOf("policy-a/v1", 10_000).getCount()).isEqualTo(2);
        assertThat(listener.late).containsExactly(new RecordingListener.Late("policy-a", "v1", 1_000));
    }

    @Test
    void shouldEmitTheLastWindowOnWallClockTimeOnceTrafficStops() {
        // given: three responses of one policy in the window [BASE, BASE+10s), then no traffic at all
        start(settings(Duration.ofSeconds(10), Duration.ofSeconds(2)));
        pipe("q1", "policy-a", "v1", true, 1_000);
        pipe("q2", "policy-a", "v1", true, 2_000);
        pipe("q3", "policy-a", "v1", true, 3_000);

        // when: wall-clock time passes the window's end and grace
        awaitOutputs(3, 0);
        driver.advanceWallClockTime(Duration.ofSeconds(15));
        stats.addAll(statsOut.readRecordsToList());

        // then: the window is emitted once, with its three responses, and not again as time goes on
        assertThat(statsOf("policy-a/v1", 0).getCount()).isEqualTo(3);
        driver.advanceWallClockTime(Duration.ofSeconds(60));
        stats.addAll(statsOut.readRecordsToList());
        assertThat(stats).hasSize(1);
    }

    @Test
    void shouldBuildNoStatisticsBranchWhenDisabled() {
        StatsSettings disabled = StatsSettings.disabled();

        String description = AnnotatorTopology.build(TOPICS, SERDE_CONFIG, service, BatchingSettings.defaults(),
                disabled, GroupSettings.disabled(), listener).describe().toString();
        start(disabled);
        pipe("only", "policy-a", "v1", true, 0);
        pipe("later", "policy-a", "v1", true, 3_600_000);
        awaitOutputs(2, 0);

        assertThat(description).doesNotContain("reward-stats").doesNotContain("repartition");
        assertThat(stats).isEmpty();
        assertThat(driver.producedTopicNames()).doesNotContain("reward-stats");
    }

    @Test
    void shouldRefuseAStatsTopicThatIsAnotherOfTheAnnotatorsTopics() {
        StatsSettings clashing = new StatsSettings(true, "scored-responses", Duration.ofMinutes(1),
                Duration.ZERO, 0, BINS);

        assertThatThrownBy(() -> AnnotatorTopology.build(TOPICS, SERDE_CONFIG, service, BatchingSettings.defaults(),
                clashing, GroupSettings.disabled(), listener)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("stats.topic");
    }
}
