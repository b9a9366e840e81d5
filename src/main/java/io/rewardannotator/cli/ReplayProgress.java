package io.rewardannotator.cli;

import io.rewardannotator.streams.AnnotationListener;
import io.rewardannotator.streams.DeadLetters;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.util.Locale;
import java.util.Map;
import java.util.StringJoiner;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Counts what a replay does and shows it: a progress bar on a terminal, a plain log line every
 * {@value #LOG_EVERY_SECONDS} s otherwise, and a summary at the end.
 *
 * <p>Threading: the {@link AnnotationListener} methods run on stream threads and only count; {@link #update},
 * {@link #finish} and {@link #summary} run on the thread that waits for the replay.
 */
final class ReplayProgress implements AnnotationListener {
    static final long LOG_EVERY_SECONDS = 10;
    private static final Logger LOG = LoggerFactory.getLogger(ReplayProgress.class);

    private final long total;
    private final ProgressBar bar;
    private final LongAdder scored = new LongAdder();
    private final Map<String, LongAdder> deadLettered = new ConcurrentSkipListMap<>();
    private final long started = System.nanoTime();
    private long lastLog = started;

    /** @param bar where to draw, or {@code null} to log plain lines instead */
    ReplayProgress(long totalRecords, ProgressBar bar) {
        this.total = totalRecords;
        this.bar = bar;
    }

    /** A bar on stderr when there is a terminal (a person watching), log lines when there is none. */
    static ReplayProgress forConsole(long totalRecords, PrintStream terminal) {
        return new ReplayProgress(totalRecords,
                System.console() != null ? ProgressBar.ofRecords(terminal, totalRecords) : null);
    }

    @Override
    public void scored(String policyName, String policyVersion, int tokens, long latencyMillis) {
        scored.increment();
    }

    @Override
    public void deadLettered(DeadLetters.Stage stage, String reason, String policyName, String policyVersion) {
        deadLettered.computeIfAbsent(reason, r -> new LongAdder()).increment();
    }

    /** Records forwarded so far, scored or dead-lettered. */
    long done() {
        return scored.sum() + deadLettered.values().stream().mapToLong(LongAdder::sum).sum();
    }

    long scored() {
        return scored.sum();
    }

    /** Redraws the bar, or logs a line when the last one is {@value #LOG_EVERY_SECONDS} s old. */
    void update() {
        long done = done();
        if (bar != null) {
            bar.update(done, done);
            return;
        }
        long now = System.nanoTime();
        if (now - lastLog >= TimeUnit.SECONDS.toNanos(LOG_EVERY_SECONDS)) {
            lastLog = now;
            LOG.info("replay: {}", ProgressBar.status(done, total, now - started));
        }
    }

    /** Ends the bar's line. */
    void finish() {
        if (bar != null) {
            bar.finish(done());
        }
    }

    /**
     * What this run did: records, time and throughput, scored, dead-lettered by reason.
     *
     * @param complete whether the slice was finished (else the run was stopped and can be resumed)
     */
    void summary(PrintWriter out, boolean complete, String model) {
        double seconds = Math.max(1e-9, (System.nanoTime() - started) / 1e9);
        long done = done();
        out.printf(Locale.ROOT, "%s: %d records in %.1f s (%.1f records/s)%n",
                complete ? "replay complete" : "replay stopped before its end", done, seconds, done / seconds);
        out.printf("  scored:        %d with %s%n", scored(), model);
        StringJoiner reasons = new StringJoiner(", ", " (", ")").setEmptyValue("");
        deadLettered.forEach((reason, count) -> reasons.add(reason + ": " + count.sum()));
        out.printf("  dead-lettered: %d%s%n", done - scored(), reasons);
        if (!complete) {
            out.println("  run the same command again to resume");
        }
        out.flush();
    }
}
