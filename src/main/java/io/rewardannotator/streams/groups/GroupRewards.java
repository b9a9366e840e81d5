package io.rewardannotator.streams.groups;

import java.util.Arrays;

/**
 * How the scored responses to one prompt compare: group-normalised advantages (as GRPO-style trainers use them),
 * ranks, and the probability that one response's reward exceeds another's under the model's reward distributions.
 *
 * <p>The preference estimator reads each response's quantiles as equally weighted samples of its reward and the two
 * rewards as independent: of all {@code n x m} quantile pairs, the share in which the first is larger, ties counting
 * one half. It is exact for those assumptions and needs no density estimate; it ignores that two responses to one
 * prompt share errors of the model (so it understates certainty when both are misjudged alike), and with 19 levels
 * it cannot resolve probabilities finer than 1/361.
 */
public final class GroupRewards {
    private GroupRewards() {
    }

    /**
     * The probability that reward {@code a} exceeds reward {@code b}: the share of quantile pairs with
     * {@code a[i] > b[j]}, ties counting one half. {@code pBetter(a, b) + pBetter(b, a) == 1}.
     */
    public static double pBetter(double[] a, double[] b) {
        if (a.length == 0 || b.length == 0) {
            throw new IllegalArgumentException("a reward distribution needs at least one quantile");
        }
        double[] sortedB = b.clone();
        Arrays.sort(sortedB);
        double wins = 0;
        for (double qa : a) {
            int below = count(sortedB, qa, false);
            int notAbove = count(sortedB, qa, true);
            wins += below + 0.5 * (notAbove - below);
        }
        return wins / ((double) a.length * b.length);
    }

    /** {@code pBetter} for every ordered pair: row i, column j is the probability that member i beats member j. */
    public static double[][] pBetterMatrix(double[][] quantiles) {
        int n = quantiles.length;
        double[][] p = new double[n][n];
        for (int i = 0; i < n; i++) {
            p[i][i] = 0.5;
            for (int j = i + 1; j < n; j++) {
                p[i][j] = pBetter(quantiles[i], quantiles[j]);
                p[j][i] = 1.0 - p[i][j];
            }
        }
        return p;
    }

    /** {@code score - mean} for each score. */
    public static double[] centered(double[] scores) {
        double mean = Arrays.stream(scores).average().orElse(0);
        return Arrays.stream(scores).map(s -> s - mean).toArray();
    }

    /**
     * {@code (score - mean) / (std + epsilon)} with the sample standard deviation ({@code n - 1}, as TRL's GRPO
     * trainer computes it); a group of one has advantage 0.
     */
    public static double[] advantages(double[] scores, double epsilon) {
        if (!(epsilon >= 0)) {
            throw new IllegalArgumentException("epsilon must be >= 0, was " + epsilon);
        }
        if (scores.length < 2) {
            return new double[scores.length];
        }
        double std = sampleStd(scores);
        return Arrays.stream(centered(scores)).map(c -> c / (std + epsilon)).toArray();
    }

    /** The sample standard deviation ({@code n - 1}) of at least two scores: how much a group's members differ. */
    public static double sampleStd(double[] scores) {
        if (scores.length < 2) {
            throw new IllegalArgumentException("a sample standard deviation needs at least two scores");
        }
        double squares = 0;
        for (double c : centered(scores)) {
            squares += c * c;
        }
        return Math.sqrt(squares / (scores.length - 1));
    }

    /** 1 for the highest score; equal scores share the better rank (competition ranking: 1, 2, 2, 4). */
    public static int[] ranks(double[] scores) {
        int[] ranks = new int[scores.length];
        for (int i = 0; i < scores.length; i++) {
            int higher = 0;
            for (double other : scores) {
                if (other > scores[i]) {
                    higher++;
                }
            }
            ranks[i] = higher + 1;
        }
        return ranks;
    }

    /** Entries of {@code sorted} below {@code value}, or at most {@code value} when {@code inclusive}. */
    private static int count(double[] sorted, double value, boolean inclusive) {
        int lo = 0;
        int hi = sorted.length;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (sorted[mid] < value || inclusive && sorted[mid] == value) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }
}
