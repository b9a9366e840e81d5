package io.rewardannotator.cli;

import io.rewardannotator.app.ScorerSettings;
import io.rewardannotator.model.ModelBundle;
import io.rewardannotator.scoring.RewardResult;
import io.rewardannotator.scoring.ScoringConfig;
import io.rewardannotator.scoring.ScoringService;
import io.rewardannotator.text.InputRejectedException;
import java.io.BufferedWriter;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * Scores a JSON Lines file: one output line per input line (blank and non-UTF-8 lines included), in input order.
 * Bad lines are reported in the output with their reason and the run goes on; a failed write (a full disk, a
 * closed pipe) ends the run.
 */
@Command(name = "score", description = "Score conversations from JSON Lines (one output line per input line).")
final class ScoreCommand implements Callable<Integer> {
    private static final Logger LOG = LoggerFactory.getLogger(ScoreCommand.class);

    /** Exit code when the output cannot be written: an I/O failure, not a usage error. */
    private static final int EXIT_OUTPUT_FAILED = 1;

    @Spec
    CommandSpec spec;

    @Mixin
    ScorerOptions scorer;

    @Option(names = "--input", defaultValue = "-", paramLabel = "FILE|-",
            description = "JSON Lines input: {\"id\", \"prompt\": [{\"role\", \"content\"}], \"response\"} (default: stdin).")
    String input;

    @Option(names = "--output", defaultValue = "-", paramLabel = "FILE|-",
            description = "JSON Lines output (default: stdout).")
    String output;

    @Option(names = "--progress", negatable = true,
            description = "Draw a progress bar on stderr (default: when --input is a file and stderr is a terminal).")
    Boolean progress;

    @Override
    public Integer call() throws IOException {
        ScorerSettings settings = scorer.settings();
        if (!input.equals("-") && !Files.isRegularFile(Path.of(input))) {
            throw new IllegalArgumentException("--input " + input + ": no such file");
        }
        ModelBundle bundle = ModelBundle.load(settings.modelDir());
        ScoringConfig scoring = settings.scoringConfig();
        int window = Math.max(256, 4 * scoring.maxBatchSize());
        ProgressBar bar = progressBar();
        BatchTotals totals = new BatchTotals();
        try (ScoringService service = ScoringService.open(bundle, settings.sessionSettings(), scoring, totals);
             Utf8Lines in = new Utf8Lines(input.equals("-") ? System.in : Files.newInputStream(Path.of(input)));
             Output out = Output.open(output)) {
            ScoreJson json = new ScoreJson(service.info());
            Deque<Pending> inFlight = new ArrayDeque<>();
            long lineNumber = 0;
            long bytesRead = 0;
            for (Utf8Lines.Line line = in.next(); line != null; line = in.next()) {
                lineNumber++;
                bytesRead += line.bytes();
                JsonlInput parsed = line.text() == null ? JsonlInput.notUtf8(lineNumber, line.badByte())
                        : JsonlInput.parse(line.text(), lineNumber);
                inFlight.add(submit(service, parsed));
                // Bounded window, written in input order: memory stays flat on any input size.
                while (inFlight.size() >= window || (!inFlight.isEmpty() && inFlight.peek().result().isDone())) {
                    out.line(line(json, inFlight.poll()));
                }
                if (bar != null) {
                    bar.update(bytesRead, lineNumber);
                }
            }
            while (!inFlight.isEmpty()) {
                out.line(line(json, inFlight.poll()));
            }
            if (bar != null) {
                bar.finish(lineNumber);
            }
            if (totals.sharedPromptTokens() > 0) {
                LOG.info("{} of the {} tokens scored were prompt tokens computed once for several responses",
                        totals.sharedPromptTokens(), totals.realTokens());
            }
        } catch (OutputFailedException e) {
            if (bar != null) {
                bar.abandon();
            }
            spec.commandLine().getErr().println("error: " + e.getMessage());
            return EXIT_OUTPUT_FAILED;
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

    private static String line(ScoreJson json, Pending pending) {
        try {
            return json.scored(pending.id(), pending.result().join());
        } catch (CompletionException e) {
            if (e.getCause() instanceof InputRejectedException rejected) {
                return json.rejected(pending.id(), rejected);
            }
            throw e.getCause() instanceof RuntimeException cause ? cause : e;
        }
    }

    private ProgressBar progressBar() throws IOException {
        // the bar's 100% is the input file's size: stdin has none
        boolean show = !input.equals("-") && (progress != null ? progress : ProgressBar.stderrIsTerminal());
        return show ? new ProgressBar(spec.commandLine().getErr(), Files.size(Path.of(input))) : null;
    }

    /** The output lines. A failed write ends the run with {@link OutputFailedException}. */
    private static final class Output implements AutoCloseable {
        private final Writer writer;
        private final String name;

        private Output(OutputStream stream, String name) {
            this.writer = new BufferedWriter(new OutputStreamWriter(stream, StandardCharsets.UTF_8), 1 << 16);
            this.name = name;
        }

        static Output open(String output) throws IOException {
            if (output.equals("-")) {
                // not System.out: a PrintStream swallows write errors, so a full disk or a closed pipe would go unseen
                return new Output(new FileOutputStream(FileDescriptor.out) {
                    @Override
                    public void close() throws IOException {
                        flush(); // stdout stays open for whoever runs next in this JVM
                    }
                }, "stdout");
            }
            try {
                return new Output(Files.newOutputStream(Path.of(output)), output);
            } catch (NoSuchFileException e) {
                throw new IllegalArgumentException("--output " + output + ": no such directory");
            }
        }

        void line(String text) {
            try {
                writer.write(text);
                writer.write('\n');
            } catch (IOException e) {
                throw new OutputFailedException(name, e);
            }
        }

        @Override
        public void close() {
            try {
                writer.close();
            } catch (IOException e) {
                throw new OutputFailedException(name, e);
            }
        }
    }

    private static final class OutputFailedException extends UncheckedIOException {
        OutputFailedException(String name, IOException cause) {
            super("cannot write to " + name + " (" + cause.getMessage() + "); stopped", cause);
        }
    }

    private record Pending(String id, CompletableFuture<RewardResult> result) {
    }
}
