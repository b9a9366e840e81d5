package io.rewardannotator.scoring;

import java.util.Arrays;

/**
 * Risk statistics derived from one reward distribution (model contract, section 5).
 *
 * @param spread    standard deviation of the quantile values
 * @param iqr       interquartile range q(0.75) - q(0.25), interpolated over the sorted quantiles
 * @param cvar      conditional value at risk: mean of the sorted quantile values at levels {@code <= cvarAlpha}
 * @param cvarAlpha the tail level used for {@code cvar}
 * @param crossings adjacent quantile pairs that are out of order (QRM's quantiles are not monotone by
 *                  construction; many crossings mean an unreliable distribution)
 */
public record RewardStatistics(double spread, double iqr, double cvar, double cvarAlpha, int crossings) {
    private static final double LEVEL_EPSILON = 1e-9;

    /** Computes the statistics of {@code quantiles} at {@code levels} (same length, levels increasing). */
    public static RewardStatistics of(double[] quantiles, double[] levels, double cvarAlpha) {
        if (quantiles.length != levels.length || quantiles.length == 0) {
            throw new IllegalArgumentException("need one quantile per level");
        }
        int n = quantiles.length;
        int crossings = 0;
        double sum = 0;
        for (int i = 0; i < n; i++) {
            sum += quantiles[i];
            if (i > 0 && quantiles[i] < quantiles[i - 1]) {
                crossings++;
            }
        }
        double mean = sum / n;
        double squares = 0;
        for (double q : quantiles) {
            squares += (q - mean) * (q - mean);
        }
        double[] sorted = quantiles.clone();
        Arrays.sort(sorted);
        double iqr = interpolate(sorted, levels, 0.75) - interpolate(sorted, levels, 0.25);
        return new RewardStatistics(Math.sqrt(squares / n), iqr, tailMean(sorted, levels, cvarAlpha), cvarAlpha,
                crossings);
    }

    private static double tailMean(double[] sorted, double[] levels, double alpha) {
        double sum = 0;
        int count = 0;
        for (int i = 0; i < sorted.length && levels[i] <= alpha + LEVEL_EPSILON; i++) {
            sum += sorted[i];
            count++;
        }
        // alpha below the lowest level: the lowest quantile is the best estimate of the tail
        return count == 0 ? sorted[0] : sum / count;
    }

    /** Linear interpolation of the quantile function at {@code level}, clamped to the ends. */
    static double interpolate(double[] sorted, double[] levels, double level) {
        if (level <= levels[0]) {
            return sorted[0];
        }
        for (int i = 1; i < levels.length; i++) {
            if (level <= levels[i] + LEVEL_EPSILON) {
                double w = (level - levels[i - 1]) / (levels[i] - levels[i - 1]);
                return sorted[i - 1] + Math.min(1.0, w) * (sorted[i] - sorted[i - 1]);
            }
        }
        return sorted[sorted.length - 1];
    }
}
