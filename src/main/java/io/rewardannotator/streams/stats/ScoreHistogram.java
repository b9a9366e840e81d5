package io.rewardannotator.streams.stats;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.Arrays;

/**
 * A mergeable histogram of scores over fixed bins ({@link HistogramBins}), with an underflow and an overflow
 * bucket for values outside the bins and the exact minimum and maximum.
 *
 * <p>Percentiles: {@link #quantile(double)} finds the bucket holding the target rank and interpolates linearly
 * inside it, over the bucket's edges narrowed to the exact minimum and maximum. The nearest-rank quantile of
 * the values added (the {@code ceil(p * n)}-th smallest) lies in that same bucket, so the error is at most the
 * bucket's width: one bin width ({@code (max - min) / bins}) for a quantile inside the bins; for one in the
 * underflow (overflow) bucket, the distance from the exact minimum to {@code min} (from {@code max} to the exact
 * maximum). The 0th and 100th percentiles are exact.
 *
 * <p>Two histograms over the same bins merge by adding counts: merging is exact, so per-partition or
 * per-window histograms combine into the histogram of all their values. Not thread-safe.
 */
final class ScoreHistogram {
    private final HistogramBins bins;
    private final long[] counts;
    private long underflow;
    private long overflow;
    private long total;
    private double minimum = Double.POSITIVE_INFINITY;
    private double maximum = Double.NEGATIVE_INFINITY;

    ScoreHistogram(HistogramBins bins) {
        this.bins = bins;
        this.counts = new long[bins.bins()];
    }

    HistogramBins bins() {
        return bins;
    }

    long count() {
        return total;
    }

    /** The smallest value added; {@code NaN} when empty. */
    double minimum() {
        return total == 0 ? Double.NaN : minimum;
    }

    /** The largest value added; {@code NaN} when empty. */
    double maximum() {
        return total == 0 ? Double.NaN : maximum;
    }

    /** @throws IllegalArgumentException when {@code value} is NaN or infinite */
    void add(double value) {
        if (!Double.isFinite(value)) {
            throw new IllegalArgumentException("a histogram holds finite values only, got " + value);
        }
        if (value < bins.min()) {
            underflow++;
        } else if (value > bins.max()) {
            overflow++;
        } else {
            counts[bins.indexOf(value)]++;
        }
        total++;
        minimum = Math.min(minimum, value);
        maximum = Math.max(maximum, value);
    }

    /**
     * Adds every value of {@code other} to this histogram.
     *
     * @throws IllegalArgumentException when the two histograms have different bins
     */
    void merge(ScoreHistogram other) {
        if (!bins.equals(other.bins)) {
            throw new IllegalArgumentException("cannot merge histograms over different bins: " + bins + " and "
                    + other.bins);
        }
        for (int i = 0; i < counts.length; i++) {
            counts[i] += other.counts[i];
        }
        underflow += other.underflow;
        overflow += other.overflow;
        total += other.total;
        minimum = Math.min(minimum, other.minimum);
        maximum = Math.max(maximum, other.maximum);
    }

    /**
     * The estimated {@code p}-quantile, within one bucket's width of the nearest-rank quantile (see the class
     * comment); {@code NaN} when empty.
     */
    double quantile(double p) {
        if (p < 0 || p > 1) {
            throw new IllegalArgumentException("a quantile level is in [0, 1], got " + p);
        }
        if (total == 0) {
            return Double.NaN;
        }
        double rank = p * total;
        if (rank <= 0) {
            return minimum;
        }
        // buckets in value order: underflow (-1), the bins (0 .. bins-1), overflow (bins)
        long below = 0;
        for (int bucket = -1; bucket <= counts.length; bucket++) {
            long count = bucketCount(bucket);
            if (count > 0 && below + count >= rank) {
                double low = Math.max(minimum, lowerEdge(bucket));
                double high = Math.min(maximum, upperEdge(bucket));
                return low + (high - low) * (rank - below) / count;
            }
            below += count;
        }
        return maximum;
    }

    private long bucketCount(int bucket) {
        if (bucket == -1) {
            return underflow;
        }
        return bucket == counts.length ? overflow : counts[bucket];
    }

    /** The underflow bucket reaches down to the exact minimum, which {@link #quantile} narrows it to. */
    private double lowerEdge(int bucket) {
        if (bucket == -1) {
            return Double.NEGATIVE_INFINITY;
        }
        return bucket == counts.length ? bins.max() : bins.lowerEdge(bucket);
    }

    /** The overflow bucket reaches up to the exact maximum, which {@link #quantile} narrows it to. */
    private double upperEdge(int bucket) {
        if (bucket == counts.length) {
            return Double.POSITIVE_INFINITY;
        }
        return bucket == -1 ? bins.min() : bins.upperEdge(bucket);
    }

    /** Writes the bins and the non-empty buckets only: a window's scores usually fill few of the bins. */
    void writeTo(DataOutput out) throws IOException {
        out.writeDouble(bins.min());
        out.writeDouble(bins.max());
        out.writeInt(bins.bins());
        out.writeLong(underflow);
        out.writeLong(overflow);
        out.writeDouble(minimum);
        out.writeDouble(maximum);
        int used = (int) Arrays.stream(counts).filter(c -> c != 0).count();
        out.writeInt(used);
        for (int i = 0; i < counts.length; i++) {
            if (counts[i] != 0) {
                out.writeInt(i);
                out.writeLong(counts[i]);
            }
        }
    }

    static ScoreHistogram readFrom(DataInput in) throws IOException {
        ScoreHistogram h = new ScoreHistogram(new HistogramBins(in.readDouble(), in.readDouble(), in.readInt()));
        h.underflow = in.readLong();
        h.overflow = in.readLong();
        h.minimum = in.readDouble();
        h.maximum = in.readDouble();
        h.total = h.underflow + h.overflow;
        int used = in.readInt();
        for (int i = 0; i < used; i++) {
            int bin = in.readInt();
            h.counts[bin] = in.readLong();
            h.total += h.counts[bin];
        }
        return h;
    }
}
