package io.rewardannotator.streams.groups;

import static org.assertj.core.api.Assertions.assertThat;

import io.rewardannotator.event.GroupMember;
import io.rewardannotator.event.ScoredGroup;
import io.rewardannotator.event.Scorer;
import io.rewardannotator.streams.RecordingListener;
import java.time.Duration;
import java.util.List;
import java.util.stream.DoubleStream;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The collector alone, over stores that outlive it: a new collector on the same stores is a task restarted
 * (or moved) with its changelogged state restored. The stores hold serialized bytes, so what a restart reads is
 * what the changelog would have held.
 */
class GroupCollectorTest {
    private static final Duration MAX_WAIT = Duration.ofSeconds(60);
    private static final Duration RETENTION = Duration.ofMinutes(10);
    private static final GroupSettings SETTINGS = new GroupSettings(true, "scored-groups", MAX_WAIT, 1e-4, 16,
            RETENTION);
    private static final Scorer SCORER = new Scorer("tiny", "r1", "digest", "cpu");

    private final RecordingListener listener = new RecordingListener();
    private MockProcessorContext<String, ScoredGroup> context;
    private KeyValueStore<String, GroupState> groups;
    private KeyValueStore<String, String> schedule;
    private GroupCollector collector;

    @BeforeEach
    void createStores() {
        context = new MockProcessorContext<>();
        context.setCurrentSystemTimeMs(1_000_000);
        groups = Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore("g"), Serdes.String(), GroupState.SERDE)
                .withLoggingDisabled().build();
        schedule = Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore("s"), Serdes.String(), Serdes.String())
                .withLoggingDisabled().build();
        groups.init(context.getStateStoreContext(), groups);
        schedule.init(context.getStateStoreContext(), schedule);
        context.addStateStore(groups);
        context.addStateStore(schedule);
        collector = restart();
    }

    /** A collector over the existing stores, as after a restart that restored them. */
    private GroupCollector restart() {
        GroupCollector started = new GroupCollector(SETTINGS, SCORER, listener, "g", "s");
        started.init(context);
        return started;
    }

    private void member(String promptId, String responseId, double score, long timestamp) {
        double[] quantiles = DoubleStream.iterate(score - 0.9, q -> q + 0.1).limit(19).toArray();
        collector.process(new Record<>(promptId, new MemberOutcome(responseId, "policy-a", "v1", 4, false, score,
                score - 1, 0.5, quantiles), timestamp));
    }

    private List<ScoredGroup> emitted() {
        return context.forwarded().stream().map(f -> (ScoredGroup) f.record().value()).toList();
    }

    /** Advances the wall clock and fires the collector's punctuator, as Kafka Streams would. */
    private void wallClockPasses(Duration duration) {
        context.setCurrentSystemTimeMs(context.currentSystemTimeMs() + duration.toMillis());
        context.scheduledPunctuators().get(0).getPunctuator().punctuate(context.currentSystemTimeMs());
    }

    @Test
    void shouldEmitAGroupOnceWithAllItsMembersWhenRestartedInItsMiddle() {
        // given: two of four members collected, then the task restarts on its restored stores
        member("p", "a", 1.0, 100);
        member("p", "b", 2.0, 200);
        collector = restart();

        // when: the other two arrive
        member("p", "c", 3.0, 300);
        member("p", "d", 6.0, 400);

        // then: one group with all four, in arrival order, with the advantages of scores 1, 2, 3, 6
        assertThat(emitted()).hasSize(1);
        ScoredGroup group = emitted().get(0);
        assertThat(group.getComplete()).isTrue();
        assertThat(group.getMembers()).extracting(GroupMember::getResponseId).containsExactly("a", "b", "c", "d");
        double std = Math.sqrt(14.0 / 3);
        assertThat(group.getMembers()).extracting(GroupMember::getAdvantage)
                .containsExactly(-2 / (std + 1e-4), -1 / (std + 1e-4), 0.0, 3 / (std + 1e-4));
        assertThat(group.getMembers()).extracting(GroupMember::getRank).containsExactly(4, 3, 2, 1);
        assertThat(group.getFirstScoredAt().toEpochMilli()).isEqualTo(100);
        assertThat(context.forwarded().get(0).record().timestamp()).isEqualTo(400);
    }

    @Test
    void shouldNotEmitAgainWhenAMemberIsReadAgainAfterARestart() {
        member("p", "a", 1.0, 100);
        member("p", "b", 2.0, 200);
        member("p", "c", 3.0, 300);
        member("p", "d", 6.0, 400);
        collector = restart();

        member("p", "d", 6.0, 400);
        wallClockPasses(MAX_WAIT.multipliedBy(2));

        assertThat(emitted()).hasSize(1);
        assertThat(listener.lateMembers).containsExactly("policy-a/v1");
    }

    @Test
    void shouldCloseAGroupWhoseWaitRanOutWhileTheTaskWasDown() {
        member("p", "a", 1.0, 100);
        collector = restart();
        context.setCurrentSystemTimeMs(context.currentSystemTimeMs() + MAX_WAIT.toMillis() + 1);

        wallClockPasses(Duration.ofSeconds(1));

        assertThat(emitted()).hasSize(1);
        assertThat(emitted().get(0).getComplete()).isFalse();
        assertThat(emitted().get(0).getMembers()).extracting(GroupMember::getResponseId).containsExactly("a");
        assertThat(emitted().get(0).getExpectedSize()).isEqualTo(4);
    }

    @Test
    void shouldForgetAClosedGroupOnceItsRetentionHasPassed() {
        member("p", "a", 1.0, 100);
        wallClockPasses(MAX_WAIT.plusSeconds(1));
        assertThat(emitted()).hasSize(1);
        assertThat(groups.approximateNumEntries()).isEqualTo(1);

        wallClockPasses(RETENTION.plusSeconds(1));

        assertThat(groups.approximateNumEntries()).isZero();
        assertThat(schedule.approximateNumEntries()).isZero();
        assertThat(emitted()).hasSize(1);
    }
}
