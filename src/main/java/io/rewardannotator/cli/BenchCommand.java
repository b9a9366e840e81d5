package io.rewardannotator.cli;

import io.rewardannotator.devkit.PeakMemory;
import io.rewardannotator.devkit.SyntheticRequests;
import io.rewardannotator.model.ModelBundle;
import io.rewardannotator.scoring.BatchPlanner;
import io.rewardannotator.scoring.DeviceProfile;
import io.rewardannotator.scoring.FifoPlanner;
import io.rewardannotator.scoring.RewardResult;
import io.rewardannotator.scoring.ScoringConfig;
import io.rewardannotator.scoring.ScoringService;
import io.rewardannotator.scoring.ScoringStage;
import io.rewardannotator.scoring.TokenBudgetPlanner;
import io.rewardannotator.text.Conversation;
import io.rewardannotator.text.EncodedConversation;
import io.rewardannotator.text.InputRejectedException;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
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
 * Measures the scoring service's planner against a naive fixed-size FIFO batcher, on the same model and the
 * same requests, in one run: synthetic token sequences, or a workload of conversations ({@code --workload},
 * encoding included in the time). Prints tokens/s, padding, the time per stage and the process's peak RSS.
 */
@Command(name = "bench", description = "Benchmark the scoring service's batching against a fixed-size FIFO batcher.")
final class BenchCommand implements Callable<Integer> {
    private static final int SYNTHETIC_WARM_UP = 32;

    @Mixin
    ScorerOptions scorer;

    @Mixin
    LengthMixOptions lengths;

    @Spec
    CommandSpec spec;

    @Option(names = "--requests", defaultValue = "1000",
            description = "Synthetic requests per run (default: ${DEFAULT-VALUE}).")
    int requests;

    @Option(names = "--workload", paramLabel = "FILE.jsonl",
            description = "Score these conversations (the score input format) instead of synthetic sequences; "
                    + "encoding is timed too.")
    Path workload;

    @Option(names = "--fifo-batch-size", defaultValue = "16",
            description = "Rows per batch of the FIFO baseline; 0 skips it (default: ${DEFAULT-VALUE}).")
    int fifoBatchSize;

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        ModelBundle bundle = ModelBundle.load(scorer.model);
        Requests inputs = workload != null ? Requests.of(readWorkload(workload))
                : Requests.encoded(SyntheticRequests.generate(bundle.manifest(), requests, lengths.minTokens,
                        lengths.maxTokens, lengths.seed));
        ScoringConfig config = scorer.scoringConfig().withQueueCapacity(
                Math.max(scorer.scoringConfig().queueCapacity(), inputs.size()));
        out.printf(Locale.ROOT, "model %s (%s), device %s, %d requests, %s%n", bundle.manifest().name(),
                bundle.manifest().revision(), scorer.device, inputs.size(), workload != null
                        ? "workload " + workload + " (encoding timed)"
                        : String.format(Locale.ROOT, "lengths %d..%d log-uniform, seed %d", lengths.minTokens,
                                lengths.maxTokens, lengths.seed));
        out.println("Each run: open the service, warm up, submit all requests at once, wait for all.");
        out.printf(Locale.ROOT, "%-44s %8s %10s %10s %8s %8s %8s %9s%n", "batcher", "seconds", "tokens/s",
                "records/s", "padding", "shared", "batches", "peak RSS");
        TokenBudgetPlanner planner = TokenBudgetPlanner.of(config, DeviceProfile.of(scorer.sessionSettings().device()));
        Measurement product = run(bundle, config, planner, inputs);
        report(out, String.format(Locale.ROOT, "planner: %d tokens, %d MB, ratio %.2f", config.maxBatchTokens(),
                config.maxBatchMemoryBytes() >> 20, config.minLengthRatio()), product);
        if (fifoBatchSize > 0) {
            report(out, "FIFO fixed size " + fifoBatchSize, run(bundle, config, new FifoPlanner(fifoBatchSize), inputs));
        }
        out.println("padding = real tokens / padded tokens computed (1.0 = no padding); shared = the share of real "
                + "tokens computed once for several rows (a prompt shared by a group); peak RSS = the process's "
                + "high-water mark after the run");
        out.println("stages of the planner's run:");
        out.printf(Locale.ROOT, "  %-11s %7s %11s %11s%n", "stage", "count", "total s", "mean ms");
        for (ScoringStage stage : ScoringStage.values()) {
            out.printf(Locale.ROOT, "  %-11s %7d %11.3f %11.3f%n", stage.name().toLowerCase(Locale.ROOT),
                    product.totals.count(stage), product.totals.nanos(stage) / 1e9,
                    product.totals.count(stage) == 0 ? 0 : product.totals.nanos(stage) / 1e6 / product.totals.count(stage));
        }
        return 0;
    }

    private Measurement run(ModelBundle bundle, ScoringConfig config, BatchPlanner planner, Requests inputs) {
        BatchTotals totals = new BatchTotals();
        try (ScoringService service = ScoringService.open(bundle, scorer.sessionSettings(), config, planner, totals)) {
            inputs.first(workload != null ? 1 : SYNTHETIC_WARM_UP).submitAndWait(service);
            totals.reset();
            long started = System.nanoTime();
            inputs.submitAndWait(service);
            double seconds = (System.nanoTime() - started) / 1e9;
            return new Measurement(seconds, inputs.size(), totals, PeakMemory.residentHighWaterMark());
        }
    }

    private static List<Conversation> readWorkload(Path file) throws IOException {
        List<Conversation> conversations = new ArrayList<>();
        long lineNumber = 0;
        for (String line : Files.readAllLines(file)) {
            lineNumber++;
            if (!line.isBlank()) {
                try {
                    conversations.add(JsonlInput.parse(line, lineNumber).conversation());
                } catch (InputRejectedException e) {
                    throw new IllegalArgumentException(file + ": " + e.getMessage(), e);
                }
            }
        }
        return conversations;
    }

    private static void report(PrintWriter out, String name, Measurement m) {
        out.printf(Locale.ROOT, "%-44s %8.2f %10.0f %10.1f %8.3f %8.3f %8d %6d MB%n", name, m.seconds,
                m.totals.realTokens() / m.seconds, m.records / m.seconds, m.totals.paddingEfficiency(),
                m.totals.realTokens() == 0 ? 0.0 : (double) m.totals.sharedPromptTokens() / m.totals.realTokens(),
                m.totals.batches(), m.peakRssBytes >> 20);
    }

    /** Conversations to encode and score, or sequences already encoded. */
    private record Requests(List<Conversation> conversations, List<EncodedConversation> encoded) {
        static Requests of(List<Conversation> conversations) {
            return new Requests(conversations, null);
        }

        static Requests encoded(List<EncodedConversation> encoded) {
            return new Requests(null, encoded);
        }

        int size() {
            return conversations != null ? conversations.size() : encoded.size();
        }

        Requests first(int n) {
            return conversations != null ? of(conversations.subList(0, Math.min(n, size())))
                    : encoded(encoded.subList(0, Math.min(n, size())));
        }

        /** Encodes (on this thread, as {@code score} does) and submits each request in order, then waits for all. */
        void submitAndWait(ScoringService service) {
            List<CompletableFuture<RewardResult>> futures = new ArrayList<>(size());
            for (int i = 0; i < size(); i++) {
                futures.add(conversations != null ? encodeAndScore(service, conversations.get(i))
                        : service.score(encoded.get(i)));
            }
            CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new)).join();
        }

        private static CompletableFuture<RewardResult> encodeAndScore(ScoringService service, Conversation c) {
            try {
                return service.score(service.encode(c));
            } catch (InputRejectedException e) {
                throw new IllegalArgumentException("a workload conversation was rejected: " + e.getMessage(), e);
            }
        }
    }

    private record Measurement(double seconds, int records, BatchTotals totals, long peakRssBytes) {
    }
}
