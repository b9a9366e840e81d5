package io.rewardannotator.app;

import java.io.PrintStream;
import java.util.Locale;

/**
 * A one-line progress bar redrawn in place on a terminal: fraction of the input read, records, rate.
 * Redraws at most every 200 ms so it costs nothing on the hot path.
 */
final class ProgressBar {
    private static final long REDRAW_NANOS = 200_000_000L;
    private static final int WIDTH = 30;

    private final PrintStream out;
    private final long total;
    private final long started = System.nanoTime();
    private long lastDraw;

    /** @param total the amount that makes 100% (bytes of the input file) */
    ProgressBar(PrintStream out, long total) {
        this.out = out;
        this.total = Math.max(1, total);
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
        double seconds = Math.max(1e-9, (now - started) / 1e9);
        out.printf(Locale.ROOT, "\r[%s%s] %3.0f%% %d records, %.1f/s", "=".repeat(filled), " ".repeat(WIDTH - filled),
                fraction * 100, records, records / seconds);
        out.flush();
    }
}
