package io.rewardannotator.streams.stats;

/**
 * The fixed bins of a {@link ScoreHistogram}: {@code bins} equal bins over {@code [min, max]}. A finer grid lowers
 * the percentile error (at most one bin width inside the range) and costs one count per bin in the window store.
 *
 * @param min  lower edge of the first bin ({@code stats.histogram.min})
 * @param max  upper edge of the last bin, inclusive ({@code stats.histogram.max})
 * @param bins how many bins ({@code stats.histogram.bins})
 */
public record HistogramBins(double min, double max, int bins) {
    public static final int MAX_BINS = 100_000;

    public HistogramBins {
        if (!Double.isFinite(min) || !Double.isFinite(max) || min >= max) {
            throw new IllegalArgumentException("stats.histogram.min (" + min + ") must be below stats.histogram.max ("
                    + max + "), both finite");
        }
        if (bins < 1 || bins > MAX_BINS) {
            throw new IllegalArgumentException("stats.histogram.bins must be in [1, " + MAX_BINS + "], got " + bins);
        }
    }

    public double width() {
        return (max - min) / bins;
    }

    /** The bin holding {@code value}, which lies in {@code [min, max]}; {@code max} itself is in the last bin. */
    int indexOf(double value) {
        return Math.min(bins - 1, (int) ((value - min) * bins / (max - min)));
    }

    double lowerEdge(int bin) {
        return min + (max - min) * bin / bins;
    }

    double upperEdge(int bin) {
        return bin == bins - 1 ? max : lowerEdge(bin + 1);
    }
}
