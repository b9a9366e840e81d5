package io.rewardannotator.cli;

import java.io.PrintStream;
import java.util.Locale;

/**
 * A one-line progress bar redrawn in place on a terminal: fraction done, records, rate and, once it can be
 * estimated, the time left. Redraws at most every 200 ms so it costs nothing on the hot path.
 */
final class ProgressBar {
    private static final long REDRAW_NANOS = 200_000_000L;
    private static final int WIDTH = 30;

    private final PrintStream out;
    private final long total;
    private final boolean totalIsRecords;
    private final long started = System.nanoTime();
    private long lastDraw;

    /** @param total the amount that makes 100% (bytes of the input file) */
    ProgressBar(PrintStream out, long total) {
        this(out, total, false);
    }

    private ProgressBar(PrintStream out, long total, boolean totalIsRecords) {
        this.out = out;
        this.total = Math.max(1, total);
        this.totalIsRecords = totalIsRecords;
    }

    /** A bar whose total is a number of records: it shows "done/total records". */
    static ProgressBar ofRecords(PrintStream out, long totalRecords) {
        return new ProgressBar(out, totalRecords, true);
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

    private void draw(long done, long records, long now) {
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
