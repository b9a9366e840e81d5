package io.rewardannotator.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * A one-line progress bar redrawn in place on a terminal: fraction done, records, rate and, once it can be
 * estimated, the time left. Redraws at most every 200 ms so it costs nothing on the hot path.
 */
final class ProgressBar {
    private static final long REDRAW_NANOS = 200_000_000L;
    private static final int WIDTH = 30;

    private final PrintWriter out;
    private final long total;
    private final boolean totalIsRecords;
    private final long started = System.nanoTime();
    private long lastDraw;
    private boolean drawn;

    /** @param total the amount that makes 100% (bytes of the input file) */
    ProgressBar(PrintWriter out, long total) {
        this(out, total, false);
    }

    private ProgressBar(PrintWriter out, long total, boolean totalIsRecords) {
        this.out = out;
        this.total = Math.max(1, total);
        this.totalIsRecords = totalIsRecords;
    }

    /** A bar whose total is a number of records: it shows "done/total records". */
    static ProgressBar ofRecords(PrintStream out, long totalRecords) {
        return new ProgressBar(new PrintWriter(out, true), totalRecords, true);
    }

    /**
     * Whether stderr is a terminal. Java 17's {@code System.console()} answers for stdin and stdout together, so
     * {@code score --input f.jsonl > out.jsonl} would show no bar; on Linux /proc says where stderr goes.
     */
    static boolean stderrIsTerminal() {
        try {
            String target = Files.readSymbolicLink(Path.of("/proc/self/fd/2")).toString();
            return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty");
        } catch (IOException | UnsupportedOperationException e) {
            return System.console() != null;
        }
    }

    void update(long done, long records) {
        long now = System.nanoTime();
        if (now - lastDraw >= REDRAW_NANOS) {
            lastDraw = now;
            draw(done, records, now);
        }
    }

    void finish(long records) {
        draw(total, records, System.nanoTime());
        out.println();
    }

    /** Ends the bar's line where it stands, so that a message after a failed run starts on a line of its own. */
    void abandon() {
        if (drawn) {
            out.println();
        }
    }

    private void draw(long done, long records, long now) {
        drawn = true;
        double fraction = Math.min(1.0, (double) done / total);
        int filled = (int) Math.round(fraction * WIDTH);
        String counted = totalIsRecords ? status(records, total, now - started)
                : status(records, fraction, now - started);
        out.printf(Locale.ROOT, "\r[%s%s] %3.0f%% %s   ", "=".repeat(filled), " ".repeat(WIDTH - filled),
                fraction * 100, counted);
        out.flush();
    }

    /** "12/40 records, 25.0/s, ETA 2s": records of a known total, for the bar and for plain log lines. */
    static String status(long records, long totalRecords, long elapsedNanos) {
        String base = String.format(Locale.ROOT, "%d/%d records", records, totalRecords);
        return base + rateAndEta(records, Math.min(1.0, (double) records / Math.max(1, totalRecords)), elapsedNanos);
    }

    private static String status(long records, double fraction, long elapsedNanos) {
        return records + " records" + rateAndEta(records, fraction, elapsedNanos);
    }

    private static String rateAndEta(long records, double fraction, long elapsedNanos) {
        double seconds = Math.max(1e-9, elapsedNanos / 1e9);
        String rate = String.format(Locale.ROOT, ", %.1f/s", records / seconds);
        if (fraction <= 0 || fraction >= 1) {
            return rate;
        }
        return rate + ", ETA " + duration(Math.round(seconds * (1 - fraction) / fraction));
    }

    /** 42s, 3m05s, 2h07m. */
    static String duration(long seconds) {
        if (seconds < 60) {
            return seconds + "s";
        }
        if (seconds < 3600) {
            return String.format(Locale.ROOT, "%dm%02ds", seconds / 60, seconds % 60);
        }
        return String.format(Locale.ROOT, "%dh%02dm", seconds / 3600, seconds % 3600 / 60);
    }
}
