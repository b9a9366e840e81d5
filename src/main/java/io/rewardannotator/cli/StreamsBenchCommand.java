package io.rewardannotator.cli;

import io.rewardannotator.app.Annotator;
import io.rewardannotator.app.AnnotatorConfig;
import io.rewardannotator.devkit.CpuTime;
import io.rewardannotator.devkit.EmbeddedKafkaBroker;
import io.rewardannotator.devkit.OutputWatcher;
import io.rewardannotator.devkit.PacedProducer;
import io.rewardannotator.devkit.SyntheticEvents;
import io.rewardannotator.event.GeneratedResponse;
import io.rewardannotator.model.ModelBundle;
import io.rewardannotator.scoring.RewardResult;
import io.rewardannotator.scoring.ScoringService;
import io.rewardannotator.scoring.ScoringStage;
import io.rewardannotator.streams.AnnotationListener;
import io.rewardannotator.streams.EventMapping;
import io.rewardannotator.text.InputRejectedException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * End-to-end benchmark: the same events scored by the scoring service alone, then through the annotator on an
 * in-JVM Kafka broker (exactly-once), with latency from each input's timestamp to its committed output.
 */
@Command(name = "bench-streams",
        description = "Benchmark the annotator through an in-JVM Kafka broker against the scoring service alone.")
final class StreamsBenchCommand implements Callable<Integer> {
    @Mixin
    ScorerOptions scorer;

    @Mixin
    LengthMixOptions lengths;

    @Spec
    CommandSpec spec;

    @Option(names = "--events", defaultValue = "1000", description = "Events in the throughput runs (default: ${DEFAULT-VALUE}).")
    int events;

    @Option(names = "--latency-events", defaultValue = "300",
            description = "Events sent at a steady rate for latency (default: ${DEFAULT-VALUE}).")
    int latencyEvents;

    @Option(names = "--latency-load", defaultValue = "0.5",
            description = "Steady rate as a share of the measured streaming throughput (default: ${DEFAULT-VALUE}).")
    double latencyLoad;

    @Option(names = "--no-stats", description = "Turn the reward-stats branch off (stats.enabled=false).")
    boolean noStats;

    @Option(names = "--group-size", defaultValue = "0", paramLabel = "N",
            description = "Send the events as groups of N responses to one prompt (prompt_id, group_size), so the "
                    + "group branch works too; 0: no prompt_id (default: ${DEFAULT-VALUE}).")
    int groupSize;

    @Option(names = "--no-groups", description = "Turn the group branch off (group.enabled=false).")
    boolean noGroups;

    @Option(names = "--stand-in-model",
            description = "Replace the model by an instant stand-in (every score 0): measures the capacity of "
                    + "everything else, in events/s and CPU ms per event.")
    boolean standInModel;

    @Option(names = "--stream-threads", defaultValue = "1", description = "Stream threads (default: ${DEFAULT-VALUE}).")
    int streamThreads;


    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        ModelBundle bundle = ModelBundle.load(scorer.model);
        List<GeneratedResponse> throughputEvents = SyntheticEvents.generate("t", events, lengths.minTokens,
                lengths.maxTokens, lengths.seed, groupSize);
        out.printf(Locale.ROOT, "model %s%s, device %s, %d events, lengths %d..%d tokens log-uniform, seed %d, "
                + "%d stream thread(s), exactly_once_v2, 3 input partitions, %s, %s%n", bundle.manifest().revision(),
                standInModel ? " replaced by an instant stand-in" : "", scorer.device, events, lengths.minTokens,
                lengths.maxTokens, lengths.seed, streamThreads, noStats ? "no stats branch" : "stats branch",
                noGroups ? "no group branch" : groupSize > 0 ? "groups of " + groupSize : "no prompt_id");
        BatchTotals aloneBatches = new BatchTotals();
        Rate alone = scoreAlone(bundle, throughputEvents, aloneBatches);
        BatchTotals streamedBatches = new BatchTotals();
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start()) {
            broker.createTopics(3, "bench-in", "bench-out", "bench-dlq", "bench-stats", "bench-groups");
            AnnotatorConfig annotatorConfig = new AnnotatorConfig(config(broker));
            try (Annotator annotator = standInModel
                    ? Annotator.start(annotatorConfig, ScoringService.openStandIn(bundle, scorer.scoringConfig(),
                            streamedBatches), AnnotationListener.NONE, Duration.ofMinutes(2))
                    : Annotator.start(annotatorConfig, AnnotationListener.NONE, streamedBatches,
                            Duration.ofMinutes(2));
                 OutputWatcher watcher = OutputWatcher.start(broker.bootstrapServers(), "bench-out")) {
                Map<String, Object> serde = Map.of("schema.registry.url", "mock://bench");
                List<GeneratedResponse> warmup = SyntheticEvents.generate("w", 32, lengths.minTokens, 200, lengths.seed + 1);
                PacedProducer.send(broker.bootstrapServers(), serde, "bench-in", warmup, 0);
                watcher.awaitCount(warmup.size(), Duration.ofMinutes(2));

                streamedBatches.reset();
                CpuTime cpuBefore = CpuTime.now();
                long started = System.nanoTime();
                PacedProducer.send(broker.bootstrapServers(), serde, "bench-in", throughputEvents, 0);
                watcher.awaitCount(warmup.size() + events, Duration.ofMinutes(10));
                Rate streamed = new Rate(events, alone.tokens(), (System.nanoTime() - started) / 1e9);
                streamed = streamed.withBatches(streamedBatches);
                CpuTime cpu = CpuTime.now().minus(cpuBefore);
                out.printf(Locale.ROOT, "CPU per event in the throughput run: stream threads %.3f ms (encode: validate, render, tokenize, "
                        + "wall time %.3f ms), scorer threads %.3f ms, whole process "
                        + "(in-JVM broker and clients included) %.3f ms%n", cpu.streamNanos() / 1e6 / events,
                        streamedBatches.nanos(ScoringStage.ENCODE) / 1e6 / events, cpu.scorerNanos() / 1e6 / events,
                        cpu.processNanos() / 1e6 / events);

                double rate = latencyLoad * streamed.eventsPerSecond();
                watcher.resetLatencies();
                List<GeneratedResponse> paced = SyntheticEvents.generate("l", latencyEvents, lengths.minTokens,
                        lengths.maxTokens, lengths.seed + 2, groupSize);
                PacedProducer.send(broker.bootstrapServers(), serde, "bench-in", paced, rate);
                watcher.awaitCount(warmup.size() + events + latencyEvents, Duration.ofMinutes(10));
                report(out, alone, streamed, rate, watcher.latencies());
            }
        }
        return 0;
    }

    private Rate scoreAlone(ModelBundle bundle, List<GeneratedResponse> events, BatchTotals batches)
            throws InputRejectedException {
        try (ScoringService service = standInModel ? ScoringService.openStandIn(bundle, scorer.scoringConfig(), batches)
                : ScoringService.open(bundle, scorer.sessionSettings(), scorer.scoringConfig(), batches)) {
            long started = System.nanoTime();
            List<CompletableFuture<RewardResult>> futures = new ArrayList<>(events.size());
            for (GeneratedResponse event : events) {
                futures.add(service.score(service.encode(EventMapping.conversation(event))));
            }
            long tokens = 0;
            for (CompletableFuture<RewardResult> f : futures) {
                tokens += f.join().numTokens();
            }
            return new Rate(events.size(), tokens, (System.nanoTime() - started) / 1e9).withBatches(batches);
        }
    }

    private Map<String, Object> config(EmbeddedKafkaBroker broker) {
        Map<String, Object> c = new HashMap<>();
        c.put(AnnotatorConfig.BOOTSTRAP_SERVERS, broker.bootstrapServers());
        c.put(AnnotatorConfig.APPLICATION_ID, "bench");
        c.put(AnnotatorConfig.MODEL_DIR, scorer.model.toString());
        c.put(AnnotatorConfig.DEVICE, scorer.device);
        c.put(AnnotatorConfig.INPUT_TOPICS, "bench-in");
        c.put(AnnotatorConfig.OUTPUT_TOPIC, "bench-out");
        c.put(AnnotatorConfig.DEAD_LETTER_TOPIC, "bench-dlq");
        c.put(AnnotatorConfig.STATS_TOPIC, "bench-stats");
        c.put(AnnotatorConfig.STATS_ENABLED, !noStats);
        c.put(AnnotatorConfig.GROUP_TOPIC, "bench-groups");
        c.put(AnnotatorConfig.GROUP_ENABLED, !noGroups);
        c.put(AnnotatorConfig.SCHEMA_REGISTRY_URL, "mock://bench");
        c.put(AnnotatorConfig.STREAM_THREADS, streamThreads);
        c.put(AnnotatorConfig.BATCH_MAX_TOKENS, scorer.scoringConfig().maxBatchTokens());
        c.put(AnnotatorConfig.BATCH_MAX_SIZE, scorer.maxBatchSize);
        c.put(AnnotatorConfig.BATCH_LINGER_MS, scorer.lingerMs);
        c.put(AnnotatorConfig.INTRA_OP_THREADS, scorer.intraOpThreads);
        c.put(AnnotatorConfig.KAFKA_PREFIX + "state.dir", Path.of(System.getProperty("java.io.tmpdir"),
                "reward-annotator-bench-" + ProcessHandle.current().pid()).toString());
        return c;
    }

    private static void report(PrintWriter out, Rate alone, Rate streamed, double pacedRate, List<Long> latencies) {
        out.printf(Locale.ROOT, "%-28s %10s %10s %12s %9s %8s%n", "run", "seconds", "events/s", "tokens/s",
                "padding", "batches");
        for (Rate r : List.of(alone, streamed)) {
            out.printf(Locale.ROOT, "%-28s %10.2f %10.1f %12.0f %9.3f %8d%n", r == alone ? "scoring service alone"
                    : "annotator via Kafka (EOS)", r.seconds(), r.eventsPerSecond(), r.tokensPerSecond(),
                    r.padding(), r.batches());
        }
        out.printf(Locale.ROOT, "streaming cost: %.1f%% of scorer-only throughput%n",
                100 * (1 - streamed.eventsPerSecond() / alone.eventsPerSecond()));
        List<Long> sorted = new ArrayList<>(latencies);
        sorted.sort(null);
        out.printf(Locale.ROOT, "latency at %.1f events/s (input timestamp -> committed output visible to a "
                + "read_committed consumer), %d events: p50 %d ms, p99 %d ms, max %d ms%n", pacedRate, sorted.size(),
                percentile(sorted, 0.50), percentile(sorted, 0.99), sorted.isEmpty() ? 0 : sorted.get(sorted.size() - 1));
    }

    private static long percentile(List<Long> sorted, double p) {
        return sorted.isEmpty() ? 0 : sorted.get((int) Math.min(sorted.size() - 1, Math.floor(p * sorted.size())));
    }

    private record Rate(int events, long tokens, double seconds, double padding, long batches) {
        Rate(int events, long tokens, double seconds) {
            this(events, tokens, seconds, 1.0, 0);
        }

        Rate withBatches(BatchTotals totals) {
            return new Rate(events, tokens, seconds, totals.paddingEfficiency(), totals.batches());
        }

        double eventsPerSecond() {
            return events / seconds;
        }

        double tokensPerSecond() {
            return tokens / seconds;
        }
    }
}
