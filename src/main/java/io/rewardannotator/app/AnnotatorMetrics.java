package io.rewardannotator.app;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.rewardannotator.event.Policy;
import io.rewardannotator.event.RewardStats;
import io.rewardannotator.scoring.ScoringListener;
import io.rewardannotator.scoring.ScoringStage;
import io.rewardannotator.streams.AnnotationListener;
import io.rewardannotator.streams.DeadLetters;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.StringJoiner;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.function.IntSupplier;
import java.util.function.LongSupplier;
import org.apache.kafka.streams.KafkaStreams;

/**
 * The annotator's metrics in Prometheus form: ours (records scored and dead-lettered by reason, batches,
 * padding, latencies, queue depth, in-flight records, tokens) plus the JVM's and Kafka Streams' own.
 * Listener methods are called on stream and scorer threads; everything here is thread-safe and non-blocking.
 */
public final class AnnotatorMetrics implements AnnotationListener, ScoringListener, AutoCloseable {
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final Counter scored;
    private final Counter tokens;
    private final Counter realTokens;
    private final Counter paddedTokens;
    private final Counter sharedPromptTokens;
    private final DistributionSummary batchRows;
    private final Timer batchDuration;
    private final Timer recordLatency;
    private final Map<String, AtomicInteger> inFlightByTask = new ConcurrentHashMap<>();
    private final AtomicLong inFlight = new AtomicLong();
    /** The most recent closed reward-stats window per policy name and version; guarded by {@code this}. */
    private final Map<Policy, AtomicReference<RewardStats>> latestWindows = new HashMap<>();
    private final int idleWindows;
    private long newestWindowEnd = Long.MIN_VALUE;
    private KafkaStreamsMetrics streamsMetrics;
    private LongSupplier registryUnreachable;

    /**
     * @param idleWindows a policy version's series are removed once the newest closed window of any version ends
     *                    more than this many window lengths after that version's latest one
     *                    ({@code stats.metrics.idle.windows})
     */
    public AnnotatorMetrics(int idleWindows) {
        if (idleWindows < 1) {
            throw new IllegalArgumentException("stats.metrics.idle.windows must be >= 1, got " + idleWindows);
        }
        this.idleWindows = idleWindows;
        new JvmMemoryMetrics().bindTo(registry);
        new JvmGcMetrics().bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ClassLoaderMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        scored = Counter.builder("reward.annotator.records.scored").description("Scored events forwarded")
                .register(registry);
        tokens = Counter.builder("reward.annotator.tokens.scored").description("Tokens of scored events; rate() "
                + "gives tokens/s").register(registry);
        realTokens = Counter.builder("reward.annotator.batch.tokens.real").description("Non-padding tokens run "
                + "through the model").register(registry);
        paddedTokens = Counter.builder("reward.annotator.batch.tokens.padded").description("Tokens run through "
                + "the model, padding included").register(registry);
        sharedPromptTokens = Counter.builder("reward.annotator.prompt.tokens.shared").description("Prompt tokens "
                + "computed once for the rows of a group that share them, rather than once per row").register(registry);
        Gauge.builder("reward.annotator.batch.padding.efficiency", this, m -> m.paddingEfficiency())
                .description("Real tokens / padded tokens since start (1 = no padding)").register(registry);
        batchRows = DistributionSummary.builder("reward.annotator.batch.size").description("Rows per model run")
                .register(registry);
        batchDuration = Timer.builder("reward.annotator.batch.duration").description("Time of one model run")
                .publishPercentiles(0.5, 0.99).register(registry);
        recordLatency = Timer.builder("reward.annotator.record.latency")
                .description("From an input's timestamp to its scored output being forwarded")
                .publishPercentiles(0.5, 0.99).register(registry);
        Gauge.builder("reward.annotator.records.in.flight", inFlight, AtomicLong::get)
                .description("Records buffered and not yet forwarded, all tasks").register(registry);
    }

    /**
     * Binds the metrics that need the running application: Kafka Streams', the scorer's queue depth and the count
     * of failed attempts to reach the schema registry.
     */
    public void bind(KafkaStreams streams, IntSupplier queueDepth, LongSupplier registryUnreachable) {
        streamsMetrics = new KafkaStreamsMetrics(streams);
        streamsMetrics.bindTo(registry);
        Gauge.builder("reward.annotator.scoring.queue.depth", queueDepth::getAsInt)
                .description("Requests waiting for the model").register(registry);
        // a function counter holds its object weakly: this field keeps the supplier (a method reference nothing
        // else refers to) from being collected, after which the counter would read 0
        this.registryUnreachable = registryUnreachable;
        FunctionCounter.builder("reward.annotator.registry.unavailable", registryUnreachable,
                        LongSupplier::getAsLong)
                .description("Times the schema registry could not be reached (probe or stream thread); a rate "
                        + "above 0 is a registry outage").register(registry);
    }

    /**
     * The Prometheus text exposition of every metric. It holds the lock {@link #windowClosed} registers and removes
     * a policy version's window gauges under, so a scrape never shows some of a version's series but not the rest.
     */
    public synchronized String scrape() {
        return registry.scrape();
    }

    @Override
    public void scored(String policyName, String policyVersion, int tokenCount, long latencyMillis) {
        scored.increment();
        tokens.increment(tokenCount);
        recordLatency.record(Duration.ofMillis(Math.max(0, latencyMillis)));
    }

    /**
     * The totals since start, for the periodic log line: "40 scored, 3 dead-lettered (validate/INVALID_ROLE 2,
     * deserialize/WRONG_MAGIC_BYTE 1)". Rejected conversations log nothing one by one; they are counted here.
     */
    public String summary() {
        long dead = 0;
        StringJoiner byReason = new StringJoiner(", ", " (", ")").setEmptyValue("");
        for (Counter c : registry.find("reward.annotator.records.dead.lettered").counters()) {
            long count = (long) c.count();
            dead += count;
            byReason.add(c.getId().getTag("stage") + "/" + c.getId().getTag("reason") + " " + count);
        }
        return (long) scored.count() + " scored, " + dead + " dead-lettered" + byReason;
    }

    @Override
    public void deadLettered(DeadLetters.Stage stage, String reason, String policyName, String policyVersion) {
        Counter.builder("reward.annotator.records.dead.lettered").description("Records sent to the dead-letter topic")
                .tag("stage", stage.name().toLowerCase(java.util.Locale.ROOT)).tag("reason", reason)
                .register(registry).increment();
    }

    @Override
    public void inFlight(String taskId, int records) {
        AtomicInteger previous = inFlightByTask.computeIfAbsent(taskId, t -> new AtomicInteger());
        inFlight.addAndGet(records - previous.getAndSet(records));
    }

    @Override
    public void batchScored(int rows, long real, long padded, long nanos) {
        batchRows.record(rows);
        realTokens.increment(real);
        paddedTokens.increment(padded);
        batchDuration.record(nanos, TimeUnit.NANOSECONDS);
    }

    /** {@code reward_annotator_stage_seconds{stage}}: encode and queue wait per request, model and forward per batch. */
    @Override
    public void stageTimed(ScoringStage stage, long nanos) {
        Timer.builder("reward.annotator.stage").description("Time spent per scoring stage: encode and queue_wait "
                        + "per request, model (pad, run, results) and forward (the ONNX Runtime run) per batch")
                .tag("stage", stage.name().toLowerCase(java.util.Locale.ROOT))
                .register(registry).record(nanos, TimeUnit.NANOSECONDS);
    }

    /** {@code reward_annotator_prompt_tokens_shared_total}: prompt ids computed once for a group, not per row. */
    @Override
    public void promptTokensShared(long tokens) {
        sharedPromptTokens.increment(tokens);
    }

    @Override
    public void lateStatsRecord(String policyName, String policyVersion, long lateByMillis) {
        Counter.builder("reward.annotator.stats.late.records")
                .description("Outcomes that arrived after their reward-stats window had closed (past grace)")
                .tag("policy", policyName).tag("policy_version", policyVersion).register(registry).increment();
    }

    @Override
    public void lateGroupMember(String policyName, String policyVersion) {
        Counter.builder("reward.annotator.groups.late.members")
                .description("Group members that arrived after their group was emitted (raise group.max.wait.ms)")
                .tag("policy", policyName).tag("policy_version", policyVersion).register(registry).increment();
    }

    @Override
    public void groupClosed(String policyName, String policyVersion, boolean complete) {
        Counter.builder("reward.annotator.groups.closed")
                .description("ScoredGroup events emitted; complete=false: closed by group.max.wait.ms")
                .tag("policy", policyName).tag("policy_version", policyVersion)
                .tag("complete", Boolean.toString(complete)).register(registry).increment();
    }

    /**
     * Online RLHF creates policy versions continuously: series of versions that stopped reporting are removed, so
     * the number of series stays bounded by the versions active within the last {@code idleWindows} windows.
     */
    @Override
    public synchronized void windowClosed(RewardStats stats) {
        latestWindows.computeIfAbsent(stats.getPolicy(), k -> registerWindowGauges(stats)).set(stats);
        long end = stats.getWindowEnd().toEpochMilli();
        if (end <= newestWindowEnd) {
            return;
        }
        newestWindowEnd = end;
        long length = Math.max(1, end - stats.getWindowStart().toEpochMilli());
        long idleBefore = end - idleWindows * length;
        latestWindows.entrySet().removeIf(e -> {
            boolean idle = e.getValue().get().getWindowEnd().toEpochMilli() < idleBefore;
            if (idle) {
                removeSeries(e.getKey());
            }
            return idle;
        });
    }

    /** Removes every meter tagged with the policy version: its window gauges and its late-record counter. */
    private void removeSeries(Policy policy) {
        registry.getMeters().stream()
                .filter(m -> policy.getName().equals(m.getId().getTag("policy"))
                        && policy.getVersion().equals(m.getId().getTag("policy_version")))
                .toList()
                .forEach(registry::remove);
    }

    /** Gauges that read the latest closed window of one policy; a figure a window lacks reads as NaN. */
    private AtomicReference<RewardStats> registerWindowGauges(RewardStats first) {
        AtomicReference<RewardStats> latest = new AtomicReference<>(first);
        windowGauge(latest, "count", s -> (double) s.getCount());
        windowGauge(latest, "mean.score", RewardStats::getMeanScore);
        windowGauge(latest, "score.p10", RewardStats::getScoreP10);
        windowGauge(latest, "score.p50", RewardStats::getScoreP50);
        windowGauge(latest, "score.p90", RewardStats::getScoreP90);
        windowGauge(latest, "mean.spread", RewardStats::getMeanSpread);
        windowGauge(latest, "lower.tail.rate", RewardStats::getLowerTailRate);
        windowGauge(latest, "dead.letters", s -> (double) s.getDeadLetterCount());
        windowGauge(latest, "groups", s -> (double) s.getGroupCount());
        windowGauge(latest, "mean.group.spread", RewardStats::getMeanGroupSpread);
        windowGauge(latest, "end.seconds", s -> s.getWindowEnd().toEpochMilli() / 1000.0);
        return latest;
    }

    private void windowGauge(AtomicReference<RewardStats> latest, String name, Function<RewardStats, Double> value) {
        RewardStats first = latest.get();
        Gauge.builder("reward.annotator.stats.window." + name, latest, ref -> {
            Double v = value.apply(ref.get());
            return v == null ? Double.NaN : v;
        }).description("Latest closed reward-stats window per policy: " + name.replace('.', ' '))
                .tag("policy", first.getPolicy().getName()).tag("policy_version", first.getPolicy().getVersion())
                .register(registry);
    }

    private double paddingEfficiency() {
        return paddedTokens.count() == 0 ? 1.0 : realTokens.count() / paddedTokens.count();
    }

    @Override
    public void close() {
        if (streamsMetrics != null) {
            streamsMetrics.close();
        }
        registry.close();
    }
}
