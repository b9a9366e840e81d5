package io.rewardannotator.streams.stats;

import io.rewardannotator.event.RewardStats;
import io.rewardannotator.streams.AnnotationListener;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.kstream.Windowed;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.WindowStore;

/**
 * Aggregates the outcomes of each policy version over tumbling event-time windows and emits each window once,
 * when it closes: the equivalent of a windowed aggregation followed by {@code suppress(untilWindowCloses)}.
 *
 * <p>Time: the processor's own event time, the largest outcome timestamp it has seen. A window
 * {@code [start, start + size)} closes when that time reaches {@code start + size + grace}; it is then emitted
 * and deleted. An outcome for a closed window is late: it is not counted, and
 * {@link AnnotationListener#lateStatsRecord} reports it. Its own time, not the task's stream time, because the
 * outcomes reach it after scoring, later than their input records advanced any stream time. The time windows
 * were last closed at is kept in a store, so a restarted task does not reopen (and emit twice) a window it
 * emitted before. While no outcome arrives, that time also moves on with the wall clock (a punctuator), so the
 * last windows of a policy whose traffic stops are emitted all the same, {@code grace} after they end; a stream of
 * outcomes, even old ones from a backlog, keeps it on their timestamps. Grace therefore also covers how long
 * scoring may delay an outcome.
 *
 * <p>Threading: runs on its task's stream thread only.
 */
final class RewardStatsProcessor implements Processor<PolicyKey, StatsOutcome, byte[], RewardStats> {
    private static final String CLOCK_KEY = "windows-closed-at";
    private static final long NO_TIME = -1;
    private static final Duration QUIET_CHECK = Duration.ofSeconds(1);

    private final StatsSettings settings;
    private final AnnotationListener listener;
    private final String windowStoreName;
    private final String clockStoreName;

    private ProcessorContext<byte[], RewardStats> context;
    private WindowStore<PolicyKey, WindowAggregate> windows;
    private KeyValueStore<String, Long> clock;
    private long observedTime;
    /** The start of the newest window already swept for closing; later sweeps only run once time passes more. */
    private long sweptThrough = Long.MIN_VALUE;
    /** Wall-clock time of the last outcome or punctuation: observed time moves on by the quiet time since. */
    private long quietSince;

    RewardStatsProcessor(StatsSettings settings, AnnotationListener listener, String windowStoreName,
                         String clockStoreName) {
        this.settings = settings;
        this.listener = listener;
        this.windowStoreName = windowStoreName;
        this.clockStoreName = clockStoreName;
    }

    @Override
    public void init(ProcessorContext<byte[], RewardStats> context) {
        this.context = context;
        this.windows = context.getStateStore(windowStoreName);
        this.clock = context.getStateStore(clockStoreName);
        Long closedAt = clock.get(CLOCK_KEY);
        observedTime = closedAt == null ? NO_TIME : closedAt;
        quietSince = context.currentSystemTimeMs();
        context.schedule(QUIET_CHECK, PunctuationType.WALL_CLOCK_TIME, this::closeWhileQuiet);
    }

    private void closeWhileQuiet(long now) {
        long quiet = now - quietSince;
        quietSince = now;
        if (observedTime != NO_TIME && quiet > 0) {
            observedTime += quiet;
            emitClosedWindows();
        }
    }

    @Override
    public void process(Record<PolicyKey, StatsOutcome> record) {
        PolicyKey policy = record.key();
        quietSince = context.currentSystemTimeMs();
        long start = windowStart(record.timestamp());
        observedTime = Math.max(observedTime, record.timestamp());
        long lateBy = observedTime - closeTime(start);
        if (lateBy >= 0) {
            listener.lateStatsRecord(policy.name(), policy.version(), lateBy);
            return;
        }
        // Close first: the put below advances the store's own clock, which drops windows past its retention.
        emitClosedWindows();
        WindowAggregate aggregate = windows.fetch(policy, start);
        if (aggregate == null) {
            aggregate = new WindowAggregate(settings.histogram());
        }
        aggregate.add(record.value(), settings.lowerTailThreshold());
        windows.put(policy, aggregate, start);
    }

    private long windowStart(long timestamp) {
        return timestamp - Math.floorMod(timestamp, settings.windowMillis());
    }

    private long closeTime(long windowStart) {
        return windowStart + settings.windowMillis() + settings.graceMillis();
    }

    /** Emits, in window order, every stored window that has closed, then deletes it. */
    private void emitClosedWindows() {
        long lastClosedStart = windowStart(observedTime - settings.windowMillis() - settings.graceMillis());
        if (lastClosedStart < 0 || lastClosedStart <= sweptThrough) {
            return;
        }
        List<KeyValue<Windowed<PolicyKey>, WindowAggregate>> closed = new ArrayList<>();
        try (KeyValueIterator<Windowed<PolicyKey>, WindowAggregate> it = windows.fetchAll(0, lastClosedStart)) {
            it.forEachRemaining(closed::add);
        }
        for (KeyValue<Windowed<PolicyKey>, WindowAggregate> window : closed) {
            PolicyKey policy = window.key.key();
            long start = window.key.window().start();
            long end = start + settings.windowMillis();
            RewardStats stats = window.value.toEvent(policy, start, end, settings.lowerTailThreshold());
            context.forward(new Record<>(policy.recordKey(), stats, end));
            listener.windowClosed(stats);
            windows.put(policy, null, start);
        }
        clock.put(CLOCK_KEY, observedTime);
        sweptThrough = lastClosedStart;
    }
}
