package io.rewardannotator.cli;

import io.rewardannotator.devkit.SyntheticRequests;
import io.rewardannotator.model.ModelBundle;
import io.rewardannotator.scoring.BatchPlanner;
import io.rewardannotator.scoring.FifoPlanner;
import io.rewardannotator.scoring.RewardResult;
import io.rewardannotator.scoring.ScoringConfig;
import io.rewardannotator.scoring.ScoringService;
import io.rewardannotator.scoring.TokenBudgetPlanner;
import io.rewardannotator.text.EncodedConversation;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * Measures the scoring service's batching (length-sorted, token budget) against a naive fixed-size FIFO batcher,
 * on the same model and the same synthetic requests, in one run.
 */
@Command(name = "bench", description = "Benchmark the scoring service's batching against a fixed-size FIFO batcher.")
final class BenchCommand implements Callable<Integer> {
    @Mixin
    ScorerOptions scorer;

    @Mixin
    LengthMixOptions lengths;

    @Spec
    CommandSpec spec;

    @Option(names = "--requests", defaultValue = "1000", description = "Requests per run (default: ${DEFAULT-VALUE}).")
    int requests;

    @Option(names = "--fifo-batch-size", defaultValue = "16",
            description = "Rows per batch of the FIFO baseline (default: ${DEFAULT-VALUE}).")
    int fifoBatchSize;


    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        ModelBundle bundle = ModelBundle.load(scorer.model);
        List<EncodedConversation> inputs = SyntheticRequests.generate(bundle.manifest(), requests, lengths.minTokens,
                lengths.maxTokens, lengths.seed);
        long realTokens = inputs.stream().mapToLong(EncodedConversation::length).sum();
        ScoringConfig config = scorer.scoringConfig();
        ScoringConfig unbounded = new ScoringConfig(config.maxBatchTokens(), config.maxBatchSize(),
                config.maxLinger(), Math.max(config.queueCapacity(), requests), config.cvarAlpha(), config.overflow());
        out.printf(Locale.ROOT, "model %s (%s), device %s, %d requests, %d real tokens, lengths %d..%d log-uniform, "
                + "seed %d%n", bundle.manifest().name(), bundle.manifest().revision(), scorer.device, requests,
                realTokens, lengths.minTokens, lengths.maxTokens, lengths.seed);
        out.println("Each run: open the service, warm up on 32 requests, submit all requests at once, wait for all.");
        out.printf(Locale.ROOT, "%-34s %10s %12s %10s %9s %8s%n", "batcher", "seconds", "tokens/s", "records/s",
                "padding", "batches");
        report(out, "token budget " + config.maxBatchTokens() + ", sorted",
                run(bundle, unbounded, new TokenBudgetPlanner(config.maxBatchTokens(), config.maxBatchSize()), inputs));
        report(out, "FIFO fixed size " + fifoBatchSize, run(bundle, unbounded, new FifoPlanner(fifoBatchSize), inputs));
        out.println("padding = real tokens / padded tokens computed (1.0 = no padding)");
        return 0;
    }

    private Measurement run(ModelBundle bundle, ScoringConfig config, BatchPlanner planner,
                            List<EncodedConversation> inputs) {
        BatchTotals totals = new BatchTotals();
        try (ScoringService service = ScoringService.open(bundle, scorer.sessionSettings(), config, planner, totals)) {
            submitAll(service, inputs.subList(0, Math.min(32, inputs.size())));
            totals.reset();
            long started = System.nanoTime();
            submitAll(service, inputs);
            double seconds = (System.nanoTime() - started) / 1e9;
            return new Measurement(seconds, inputs.size(), totals.realTokens(), totals.paddedTokens(),
                    totals.batches());
        }
    }

    private static void submitAll(ScoringService service, List<EncodedConversation> inputs) {
        List<CompletableFuture<RewardResult>> futures = new ArrayList<>(inputs.size());
        inputs.forEach(input -> futures.add(service.score(input)));
        CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new)).join();
    }

    private static void report(PrintWriter out, String name, Measurement m) {
        out.printf(Locale.ROOT, "%-34s %10.2f %12.0f %10.1f %9.3f %8d%n", name, m.seconds, m.realTokens / m.seconds,
                m.records / m.seconds, (double) m.realTokens / m.paddedTokens, m.batches);
    }

    private record Measurement(double seconds, int records, long realTokens, long paddedTokens, long batches) {
    }
}
