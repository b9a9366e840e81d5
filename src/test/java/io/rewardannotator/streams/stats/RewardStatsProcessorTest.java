package io.rewardannotator.streams.stats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.assertj.core.api.Assertions.within;

import io.rewardannotator.event.RewardStats;
import io.rewardannotator.streams.RecordingListener;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.apache.kafka.streams.state.WindowStore;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The window logic alone, with outcomes whose figures the test chooses. */
class RewardStatsProcessorTest {
    private static final long WINDOW = 10_000;
    private static final long GRACE = 2_000;
    private static final StatsSettings SETTINGS = new StatsSettings(true, "reward-stats", Duration.ofMillis(WINDOW),
            Duration.ofMillis(GRACE), 0.5, new HistogramBins(-10, 10, 200));
    private static final PolicyKey A = new PolicyKey("policy-a", "v1");
    private static final PolicyKey B = new PolicyKey("policy-b", "v7");

    private final RecordingListener listener = new RecordingListener();
    private MockProcessorContext<byte[], RewardStats> context;
    private WindowStore<PolicyKey, WindowAggregate> windows;
    private KeyValueStore<String, Long> clock;
    private RewardStatsProcessor processor;

    @BeforeEach
    void createStores() {
        context = new MockProcessorContext<>();
        context.setCurrentSystemTimeMs(0);
        windows = Stores.windowStoreBuilder(Stores.inMemoryWindowStore("w", Duration.ofMillis(WINDOW + GRACE),
                Duration.ofMillis(WINDOW), false), PolicyKey.SERDE, WindowAggregate.SERDE).withLoggingDisabled()
                .build();
        clock = Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore("c"), Serdes.String(), Serdes.Long())
                .withLoggingDisabled().build();
        windows.init(context.getStateStoreContext(), windows);
        clock.init(context.getStateStoreContext(), clock);
        context.addStateStore(windows);
        context.addStateStore(clock);
        processor = start();
    }

    /** A processor over the existing stores, as after a restart that restored them. */
    private RewardStatsProcessor start() {
        RewardStatsProcessor started = new RewardStatsProcessor(SETTINGS, listener, "w", "c");
        started.init(context);
        return started;
    }

    private static StatsOutcome scored(double score, double spread, double lowest) {
        return new StatsOutcome(StatsOutcome.Kind.SCORED, score, spread, lowest);
    }

    private void process(PolicyKey policy, StatsOutcome outcome, long timestamp) {
        processor.process(new Record<>(policy, outcome, timestamp));
    }

    private List<RewardStats> emitted() {
        return context.forwarded().stream().map(f -> (RewardStats) f.record().value()).toList();
    }

    @Test
    void shouldEmitEachPolicysWindowOnceWhenEventTimePassesItsEndPlusGrace() {
        // given: two policies in window [0, 10000), one in the next
        process(A, scored(1.0, 0.5, 0.2), 100);
        process(A, scored(3.0, 1.5, 0.7), 9_999);
        process(A, StatsOutcome.deadLetter(), 5_000);
        process(B, StatsOutcome.deadLetter(), 4_000);
        process(A, scored(2.0, 1.0, 0.1), 10_000);

        // when: event time reaches 11999, then 12000 = end + grace
        process(B, scored(5.0, 0.0, 0.0), 11_999);
        assertThat(emitted()).isEmpty();
        process(B, scored(6.0, 0.0, 0.0), 12_000);

        // then
        assertThat(emitted()).hasSize(2);
        RewardStats a = emitted().get(0);
        assertThat(a.getPolicy().getName()).isEqualTo("policy-a");
        assertThat(a.getWindowStart().toEpochMilli()).isZero();
        assertThat(a.getWindowEnd().toEpochMilli()).isEqualTo(WINDOW);
        assertThat(a.getCount()).isEqualTo(2);
        assertThat(a.getMeanScore()).isEqualTo(2.0);
        assertThat(a.getMeanSpread()).isEqualTo(1.0);
        assertThat(a.getLowerTailRate()).isEqualTo(0.5);
        assertThat(a.getLowerTailThreshold()).isEqualTo(0.5);
        assertThat(a.getScoreP10()).isCloseTo(1.0, within(0.1));
        assertThat(a.getScoreP90()).isCloseTo(3.0, within(0.1));
        assertThat(a.getDeadLetterCount()).isEqualTo(1);
        RewardStats b = emitted().get(1);
        assertThat(b.getCount()).isZero();
        assertThat(b.getMeanScore()).isNull();
        assertThat(b.getScoreP50()).isNull();
        assertThat(b.getLowerTailRate()).isNull();
        assertThat(b.getDeadLetterCount()).isEqualTo(1);
        assertThat(new String(context.forwarded().get(1).record().key(), StandardCharsets.UTF_8))
                .isEqualTo("policy-b/v7");
        assertThat(context.forwarded().get(0).record().timestamp()).isEqualTo(WINDOW);
        assertThat(listener.closed).containsExactly(a, b);
    }

    @Test
    void shouldCountARecordWithinGraceAndReportOneAfterGrace() {
        process(A, scored(1.0, 0, 0), 1_000);
        process(A, scored(1.0, 0, 0), 11_000);

        process(A, scored(3.0, 0, 0), 9_000);
        process(A, scored(1.0, 0, 0), 12_500);
        process(A, scored(100.0, 0, 0), 9_500);

        assertThat(emitted()).singleElement().satisfies(w -> {
            assertThat(w.getCount()).isEqualTo(2);
            assertThat(w.getMeanScore()).isEqualTo(2.0);
        });
        assertThat(listener.late).containsExactly(new RecordingListener.Late("policy-a", "v1", 500));
    }

    @Test
    void shouldNotReopenAnEmittedWindowWhenRestartedFromItsStores() {
        // given: window [0, 10000) emitted, then the task restarts on the same (restored) stores
        process(A, scored(1.0, 0, 0), 1_000);
        process(A, scored(1.0, 0, 0), 12_000);
        assertThat(emitted()).hasSize(1);
        processor = start();

        // when: an outcome for the emitted window arrives first
        process(A, scored(9.0, 0, 0), 2_000);
        process(A, scored(1.0, 0, 0), 30_000);

        // then: it is late, and only the open window [10000, 20000) is emitted next
        assertThat(listener.late).extracting(RecordingListener.Late::lateByMillis).containsExactly(0L);
        assertThat(emitted()).hasSize(2);
        assertThat(emitted().get(1).getWindowStart().toEpochMilli()).isEqualTo(10_000);
        assertThat(emitted().get(1).getCount()).isEqualTo(1);
    }

    @Test
    void shouldEmitAQuietWindowOnWallClockTimeAndNotAgainAfterARestart() {
        // given: one outcome, then nothing
        process(A, scored(1.0, 0, 0), 1_000);

        // when: wall-clock time passes the window's end and grace
        wallClock(WINDOW + GRACE + 1_000);

        // then: the window is emitted, and a restarted processor does not emit it again
        assertThat(emitted()).extracting(w -> w.getWindowStart().toEpochMilli()).containsExactly(0L);
        processor = start();
        wallClock(10 * (WINDOW + GRACE));
        assertThat(emitted()).hasSize(1);
    }

    /** Moves the wall clock to {@code millis} and runs the newest processor's wall-clock punctuator. */
    private void wallClock(long millis) {
        context.setCurrentSystemTimeMs(millis);
        List<MockProcessorContext.CapturedPunctuator> punctuators = context.scheduledPunctuators();
        punctuators.get(punctuators.size() - 1).getPunctuator().punctuate(millis);
    }

    @Test
    void shouldEmitWindowsInTimeOrderWhenOneOutcomeClosesSeveral() {
        process(A, scored(1.0, 0, 0), 1_000);
        process(B, scored(1.0, 0, 0), 11_000);
        process(A, scored(1.0, 0, 0), 11_500);

        process(A, scored(1.0, 0, 0), 60_000);

        assertThat(emitted()).extracting(w -> w.getWindowStart().toEpochMilli(), w -> w.getPolicy().getName())
                .containsExactly(tuple(0L, "policy-a"), tuple(10_000L, "policy-a"), tuple(10_000L, "policy-b"));
    }
}
