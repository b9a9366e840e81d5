package io.rewardannotator.cli;

import io.rewardannotator.app.ScorerSettings;
import io.rewardannotator.model.ModelBundle;
import io.rewardannotator.scoring.RewardResult;
import io.rewardannotator.scoring.ScoringConfig;
import io.rewardannotator.scoring.ScoringListener;
import io.rewardannotator.scoring.ScoringService;
import io.rewardannotator.text.InputRejectedException;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Scores a JSON Lines file: one output line per input line, in input order. Bad lines are reported in the
 * output with their reason and the run goes on.
 */
@Command(name = "score", description = "Score conversations from JSON Lines (one output line per input line).")
final class ScoreCommand implements Callable<Integer> {
    @Mixin
    ScorerOptions scorer;

    @Option(names = "--input", defaultValue = "-", paramLabel = "FILE|-",
            description = "JSON Lines input: {\"id\", \"prompt\": [{\"role\", \"content\"}], \"response\"} (default: stdin).")
    String input;

    @Option(names = "--output", defaultValue = "-", paramLabel = "FILE|-",
            description = "JSON Lines output (default: stdout).")
    String output;

    @Override
    public Integer call() throws IOException {
        ScorerSettings settings = scorer.settings();
        ModelBundle bundle = ModelBundle.load(settings.modelDir());
        ScoringConfig scoring = settings.scoringConfig();
        int window = Math.max(256, 4 * scoring.maxBatchSize());
        try (ScoringService service = ScoringService.open(bundle, settings.sessionSettings(), scoring,
                ScoringListener.NONE);
             BufferedReader in = reader();
             Writer out = writer()) {
            ScoreJson json = new ScoreJson(service.info());
            ProgressBar progress = progressBar();
            Deque<Pending> inFlight = new ArrayDeque<>();
            long lineNumber = 0;
            long bytesRead = 0;
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                lineNumber++;
                bytesRead += line.getBytes(StandardCharsets.UTF_8).length + 1;
                if (line.isBlank()) {
                    continue;
                }
                inFlight.add(submit(service, JsonlInput.parse(line, lineNumber)));
                // Bounded window, written in input order: memory stays flat on any input size.
                while (inFlight.size() >= window || (!inFlight.isEmpty() && inFlight.peek().result().isDone())) {
                    write(out, json, inFlight.poll());
                }
                if (progress != null) {
                    progress.update(bytesRead, lineNumber);
                }
            }
            while (!inFlight.isEmpty()) {
                write(out, json, inFlight.poll());
            }
            if (progress != null) {
                progress.finish(lineNumber);
            }
        }
        return 0;
    }

    private static Pending submit(ScoringService service, JsonlInput parsed) {
        try {
            return new Pending(parsed.id(), service.score(service.encode(parsed.conversation())));
        } catch (InputRejectedException e) {
            return new Pending(parsed.id(), CompletableFuture.failedFuture(e));
        }
    }

    private static void write(Writer out, ScoreJson json, Pending pending) throws IOException {
        String line;
        try {
            line = json.scored(pending.id(), pending.result().join());
        } catch (CompletionException e) {
            if (e.getCause() instanceof InputRejectedException rejected) {
                line = json.rejected(pending.id(), rejected);
            } else {
                throw e.getCause() instanceof RuntimeException cause ? cause : e;
            }
        }
        out.write(line);
        out.write('\n');
    }

    private ProgressBar progressBar() throws IOException {
        boolean fileIntoTerminal = !input.equals("-") && System.console() != null;
        return fileIntoTerminal ? new ProgressBar(System.err, Files.size(Path.of(input))) : null;
    }

    private BufferedReader reader() throws IOException {
        return input.equals("-")
                ? new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))
                : Files.newBufferedReader(Path.of(input), StandardCharsets.UTF_8);
    }

    private Writer writer() throws IOException {
        return output.equals("-")
                ? new BufferedWriter(new OutputStreamWriter(System.out, StandardCharsets.UTF_8))
                : Files.newBufferedWriter(Path.of(output), StandardCharsets.UTF_8);
    }

    private record Pending(String id, CompletableFuture<RewardResult> result) {
    }
}
