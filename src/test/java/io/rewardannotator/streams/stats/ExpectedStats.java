package io.rewardannotator.streams.stats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.rewardannotator.event.RewardStats;
import io.rewardannotator.event.ScoredResponse;
import java.util.List;

/**
 * The figures a {@code RewardStats} event should carry, computed straightforwardly from the scored events
 * themselves: means by summing, percentiles by sorting, the lower tail from each event's quantiles.
 */
public final class ExpectedStats {
    private ExpectedStats() {
    }

    /** The nearest-rank p-quantile of {@code sorted}: its ceil(p * n)-th smallest value; the minimum for p = 0. */
    static double nearestRank(double[] sorted, double p) {
        int rank = (int) Math.ceil(p * sorted.length);
        return sorted[Math.max(rank, 1) - 1];
    }

    /** Asserts {@code actual} against {@code responses}, the percentiles within one bin width of {@code bins}. */
    public static void assertFiguresMatch(RewardStats actual, List<ScoredResponse> responses, double lowerTailThreshold,
                                   HistogramBins bins) {
        double[] scores = responses.stream().mapToDouble(s -> s.getReward().getScore()).sorted().toArray();
        double[] spreads = responses.stream().mapToDouble(s -> s.getReward().getSpread()).toArray();
        long lowerTail = responses.stream()
                .filter(s -> s.getReward().getQuantiles().stream().mapToDouble(Double::doubleValue).min()
                        .orElseThrow() < lowerTailThreshold)
                .count();
        assertThat(actual.getCount()).isEqualTo(scores.length);
        assertThat(actual.getMeanScore()).isCloseTo(mean(scores), within(1e-9));
        assertThat(actual.getMeanSpread()).isCloseTo(mean(spreads), within(1e-9));
        assertThat(actual.getLowerTailRate()).isEqualTo((double) lowerTail / scores.length);
        assertThat(actual.getLowerTailThreshold()).isEqualTo(lowerTailThreshold);
        double bound = bins.width() + 1e-9;
        assertThat(actual.getScoreP10()).isCloseTo(nearestRank(scores, 0.1), within(bound));
        assertThat(actual.getScoreP50()).isCloseTo(nearestRank(scores, 0.5), within(bound));
        assertThat(actual.getScoreP90()).isCloseTo(nearestRank(scores, 0.9), within(bound));
    }

    private static double mean(double[] values) {
        double sum = 0;
        for (double v : values) {
            sum += v;
        }
        return sum / values.length;
    }
}
