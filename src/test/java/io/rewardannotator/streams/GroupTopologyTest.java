package io.rewardannotator.streams;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.rewardannotator.event.ChatMessage;
import io.rewardannotator.event.GeneratedResponse;
import io.rewardannotator.event.GroupMember;
import io.rewardannotator.event.RewardStats;
import io.rewardannotator.event.ScoredGroup;
import io.rewardannotator.event.ScoredResponse;
import io.rewardannotator.registry.MockSchemaRegistry;
import io.rewardannotator.scoring.ScoringService;
import io.rewardannotator.streams.groups.GroupSettings;
import io.rewardannotator.streams.stats.HistogramBins;
import io.rewardannotator.streams.stats.StatsSettings;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The group branch through the whole topology and the real tiny model. Expected figures (advantages, ranks,
 * p_better) are computed here, by plain loops, from the scored events the topology wrote for the same responses.
 */
class GroupTopologyTest {
    private static final String SCOPE = "group-topology-test";
    private static final Map<String, Object> SERDE_CONFIG = Map.of("schema.registry.url", "mock://" + SCOPE);
    private static final AnnotatorTopics TOPICS = new AnnotatorTopics(List.of("generated-responses"),
            "scored-responses", "dead-letters");
    private static final long BASE = 1_700_000_040_000L;
    private static final Duration MAX_WAIT = Duration.ofMinutes(10);
    private static final double EPSILON = 1e-4;

    private static final ScoringService service = TinyScorer.shared();

    private final RecordingListener listener = new RecordingListener();
    private final Map<String, ScoredResponse> scored = new HashMap<>();
    private final List<TestRecord<String, ScoredGroup>> groups = new ArrayList<>();
    private TopologyTestDriver driver;
    private TestInputTopic<byte[], GeneratedResponse> input;
    private TestOutputTopic<byte[], ScoredResponse> scoredOut;
    private TestOutputTopic<String, ScoredGroup> groupsOut;
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

    private void start(GroupSettings settings, StatsSettings stats) {
        var props = StreamsProperties.build("group-test", "unused:9092", StreamsConfig.AT_LEAST_ONCE, TOPICS,
                BatchingSettings.defaults(), listener, Map.of());
        AnnotatorDriver annotator = new AnnotatorDriver(AnnotatorTopology.build(TOPICS, SERDE_CONFIG, service,
                BatchingSettings.defaults(), stats, settings, listener), props, TOPICS, SERDE_CONFIG);
        driver = annotator.driver;
        input = annotator.input;
        scoredOut = annotator.output;
        groupsOut = annotator.avroOutput(settings.topic(), new StringDeserializer(), ScoredGroup.class, SERDE_CONFIG);
        statsOut = annotator.avroOutput(stats.topic(), new ByteArrayDeserializer(), RewardStats.class,
                SERDE_CONFIG);
    }

    private void start() {
        start(settings(16), StatsSettings.disabled());
    }

    private static GroupSettings settings(int pairsMaxSize) {
        return new GroupSettings(true, "scored-groups", MAX_WAIT, EPSILON, pairsMaxSize, Duration.ofHours(1));
    }

    /** A member of {@code promptId}'s group; {@code valid = false}: a prompt the validator dead-letters. */
    private void pipe(String id, String promptId, Integer groupSize, boolean valid, long offsetMillis) {
        List<ChatMessage> prompt = valid
                ? List.of(new ChatMessage("user", "Question " + promptId))
                : List.of(new ChatMessage("user", "hi"), new ChatMessage("assistant", "hello"));
        GeneratedResponse event = TestEvents.event(id, prompt, "Answer " + id + " " + "because ".repeat(id.hashCode() & 7),
                "policy-a", "v1");
        event.setPromptId(promptId);
        event.setGroupSize(groupSize);
        input.pipeInput(id.getBytes(StandardCharsets.UTF_8), event, BASE + offsetMillis);
    }

    /** Drives the scorer until {@code scoredCount} responses are scored and {@code groupCount} groups emitted. */
    private void awaitOutputs(int scoredCount, int groupCount) {
        WallClock.advanceUntil(driver, () -> {
            readOutputs();
            return scored.size() >= scoredCount && groups.size() >= groupCount;
        });
    }

    private void readOutputs() {
        scoredOut.readValuesToList().forEach(s -> scored.put(s.getResponseId(), s));
        groups.addAll(groupsOut.readRecordsToList());
    }

    private ScoredGroup group(String promptId) {
        List<ScoredGroup> found = groups.stream().map(TestRecord::value)
                .filter(g -> g.getPromptId().equals(promptId)).toList();
        assertThat(found).as("ScoredGroup events for %s", promptId).hasSize(1);
        return found.get(0);
    }

    @Test
    void shouldEmitACompleteGroupOnceWithAdvantagesRanksAndPBetterFromItsMembersScores() {
        start();
        for (int i = 0; i < 4; i++) {
            pipe("r" + i, "prompt-1", 4, true, i * 100L);
        }

        awaitOutputs(4, 1);
        driver.advanceWallClockTime(MAX_WAIT.multipliedBy(2));
        readOutputs();

        ScoredGroup group = group("prompt-1");
        assertThat(groups).hasSize(1);
        assertThat(groups.get(0).key()).isEqualTo("prompt-1");
        assertThat(groups.get(0).timestamp()).as("the last member's event time").isEqualTo(BASE + 300);
        assertThat(group.getComplete()).isTrue();
        assertThat(group.getExpectedSize()).isEqualTo(4);
        assertThat(group.getMissing()).isEmpty();
        assertThat(group.getFirstScoredAt().toEpochMilli()).isEqualTo(BASE);
        assertThat(group.getPolicy().getName()).isEqualTo("policy-a");
        assertThat(group.getScorer()).isEqualTo(scored.get("r0").getScorer());
        List<GroupMember> members = group.getMembers();
        assertThat(members).extracting(GroupMember::getResponseId).containsExactlyInAnyOrder("r0", "r1", "r2", "r3");

        double[] scores = members.stream().mapToDouble(m -> scored.get(m.getResponseId()).getReward().getScore())
                .toArray();
        double mean = (scores[0] + scores[1] + scores[2] + scores[3]) / 4;
        double squares = 0;
        for (double s : scores) {
            squares += (s - mean) * (s - mean);
        }
        double std = Math.sqrt(squares / 3);
        for (int i = 0; i < 4; i++) {
            GroupMember m = members.get(i);
            ScoredResponse response = scored.get(m.getResponseId());
            assertThat(m.getScore()).isEqualTo(response.getReward().getScore());
            assertThat(m.getCvar()).isEqualTo(response.getReward().getCvar());
            assertThat(m.getSpread()).isEqualTo(response.getReward().getSpread());
            assertThat(m.getCentered()).isCloseTo(scores[i] - mean, within(1e-12));
            assertThat(m.getAdvantage()).isCloseTo((scores[i] - mean) / (std + EPSILON), within(1e-12));
            int higher = 0;
            for (double other : scores) {
                higher += other > scores[i] ? 1 : 0;
            }
            assertThat(m.getRank()).isEqualTo(higher + 1);
        }
        List<List<Double>> p = group.getPBetter();
        assertThat(p).hasSize(4);
        for (int i = 0; i < 4; i++) {
            for (int j = 0; j < 4; j++) {
                List<Double> qi = scored.get(members.get(i).getResponseId()).getReward().getQuantiles();
                List<Double> qj = scored.get(members.get(j).getResponseId()).getReward().getQuantiles();
                double wins = 0;
                for (double a : qi) {
                    for (double b : qj) {
                        wins += a > b ? 1 : a == b ? 0.5 : 0;
                    }
                }
                assertThat(p.get(i).get(j)).isCloseTo(wins / (qi.size() * qj.size()), within(1e-12));
            }
        }
    }

    @Test
    void shouldEmitAPartialGroupIncompleteOnceItsWaitHasPassed() {
        start();
        pipe("a", "prompt-partial", 3, true, 0);
        pipe("b", "prompt-partial", 3, true, 10);
        awaitOutputs(2, 0);
        driver.advanceWallClockTime(MAX_WAIT.minusSeconds(5));
        readOutputs();
        assertThat(groups).as("still waiting for its third member").isEmpty();

        driver.advanceWallClockTime(Duration.ofSeconds(10));
        readOutputs();

        ScoredGroup group = group("prompt-partial");
        assertThat(group.getComplete()).isFalse();
        assertThat(group.getExpectedSize()).isEqualTo(3);
        assertThat(group.getMembers()).extracting(GroupMember::getResponseId).containsExactlyInAnyOrder("a", "b");
        driver.advanceWallClockTime(MAX_WAIT.multipliedBy(3));
        readOutputs();
        assertThat(groups).hasSize(1);
    }

    @Test
    void shouldCloseAGroupWithoutAnnouncedSizeOnlyByItsWait() {
        start();
        pipe("x", "prompt-unsized", null, true, 0);
        pipe("y", "prompt-unsized", null, true, 10);
        awaitOutputs(2, 0);
        assertThat(groups).isEmpty();

        driver.advanceWallClockTime(MAX_WAIT.plusSeconds(2));
        readOutputs();

        assertThat(group("prompt-unsized").getComplete()).isFalse();
        assertThat(group("prompt-unsized").getExpectedSize()).isNull();
        assertThat(group("prompt-unsized").getMembers()).hasSize(2);
    }

    @Test
    void shouldCountADeadLetteredMemberAsMissingAndCompleteTheGroup() {
        start();
        pipe("ok-1", "prompt-dlq", 3, true, 0);
        pipe("bad", "prompt-dlq", 3, false, 10);
        pipe("ok-2", "prompt-dlq", 3, true, 20);

        awaitOutputs(2, 1);

        ScoredGroup group = group("prompt-dlq");
        assertThat(group.getComplete()).isTrue();
        assertThat(group.getMissing()).containsExactly("bad");
        assertThat(group.getMembers()).extracting(GroupMember::getResponseId).containsExactlyInAnyOrder("ok-1", "ok-2");
        assertThat(group.getPBetter()).hasSize(2);
    }

    @Test
    void shouldCountAMemberArrivingAfterItsGroupClosedAsLateAndNotEmitAgain() {
        start();
        pipe("p1", "prompt-pair", 2, true, 0);
        pipe("p2", "prompt-pair", 2, true, 10);
        awaitOutputs(2, 1);

        pipe("p3", "prompt-pair", 2, true, 20);
        awaitOutputs(3, 1);
        driver.advanceWallClockTime(MAX_WAIT.multipliedBy(2));
        readOutputs();

        assertThat(groups).hasSize(1);
        assertThat(group("prompt-pair").getMembers()).extracting(GroupMember::getResponseId)
                .containsExactlyInAnyOrder("p1", "p2");
        assertThat(scored).containsKey("p3");
        assertThat(listener.lateMembers).containsExactly("policy-a/v1");
    }

    @Test
    void shouldKeepInterleavedGroupsApartAndCountAMemberReadTwiceOnce() {
        start();
        pipe("g1-a", "prompt-g1", 3, true, 0);
        pipe("g2-a", "prompt-g2", 2, true, 1);
        pipe("g1-b", "prompt-g1", 3, true, 2);
        pipe("g1-b", "prompt-g1", 3, true, 2);    // the same record read again (at-least-once)
        pipe("g2-b", "prompt-g2", 2, true, 3);
        pipe("g1-c", "prompt-g1", 3, true, 4);

        awaitOutputs(5, 2);

        assertThat(group("prompt-g1").getMembers()).extracting(GroupMember::getResponseId)
                .containsExactlyInAnyOrder("g1-a", "g1-b", "g1-c");
        assertThat(group("prompt-g2").getMembers()).extracting(GroupMember::getResponseId)
                .containsExactlyInAnyOrder("g2-a", "g2-b");
        assertThat(groups).allSatisfy(g -> assertThat(g.value().getComplete()).isTrue());
    }

    @Test
    void shouldLeaveOutPBetterAboveItsSizeCapAndIgnoreResponsesWithoutPromptId() {
        start(settings(2), StatsSettings.disabled());
        pipe("c1", "prompt-capped", 3, true, 0);
        pipe("c2", "prompt-capped", 3, true, 1);
        pipe("c3", "prompt-capped", 3, true, 2);
        pipe("solo", null, null, true, 3);

        awaitOutputs(4, 1);
        driver.advanceWallClockTime(MAX_WAIT.multipliedBy(2));
        readOutputs();

        assertThat(groups).extracting(TestRecord::key).containsExactly("prompt-capped");
        assertThat(group("prompt-capped").getPBetter()).isNull();
        assertThat(group("prompt-capped").getMembers()).allSatisfy(m -> assertThat(m.getRank()).isBetween(1, 3));
    }

    @Test
    void shouldReportTheMeanWithinGroupSpreadOfScoresInTheRewardStatsWindow() {
        start(settings(16), new StatsSettings(true, "reward-stats", Duration.ofMinutes(1), Duration.ofSeconds(5), 0,
                new HistogramBins(-20, 20, 400)));
        pipe("s1", "prompt-s", 3, true, 0);
        pipe("s2", "prompt-s", 3, true, 10);
        pipe("s3", "prompt-s", 3, true, 20);
        pipe("t1", "prompt-t", 2, true, 30);
        pipe("t2", "prompt-t", 2, true, 40);
        pipe("u1", "prompt-u", 2, true, 50);
        pipe("u2", "prompt-u", 2, false, 60);      // a group of one scored member has no spread
        awaitOutputs(6, 3);

        driver.advanceWallClockTime(Duration.ofMinutes(2));
        RewardStats stats = statsOut.readValuesToList().get(0);

        assertThat(stats.getGroupCount()).isEqualTo(2);
        double expected = (sampleStd("s1", "s2", "s3") + sampleStd("t1", "t2")) / 2;
        assertThat(stats.getMeanGroupSpread()).isCloseTo(expected, within(1e-12));
    }

    private double sampleStd(String... ids) {
        double mean = 0;
        for (String id : ids) {
            mean += scored.get(id).getReward().getScore() / ids.length;
        }
        double squares = 0;
        for (String id : ids) {
            double d = scored.get(id).getReward().getScore() - mean;
            squares += d * d;
        }
        return Math.sqrt(squares / (ids.length - 1));
    }

    @Test
    void shouldRefuseAGroupTopicThatIsAnotherOfTheAnnotatorsTopics() {
        GroupSettings clashing = new GroupSettings(true, "scored-responses", MAX_WAIT, EPSILON, 16,
                Duration.ofHours(1));

        assertThatThrownBy(() -> AnnotatorTopology.build(TOPICS, SERDE_CONFIG, service, BatchingSettings.defaults(),
                StatsSettings.disabled(), clashing, listener)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("group.topic");
    }
}
