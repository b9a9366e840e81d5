package io.rewardannotator.scoring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class RewardStatisticsTest {
    private static final double[] LEVELS = {0.1, 0.25, 0.5, 0.75, 0.9};

    @Test
    void shouldComputeSpreadIqrAndCvarOfOrderedQuantiles() {
        double[] quantiles = {1, 2, 4, 6, 9};

        RewardStatistics s = RewardStatistics.of(quantiles, LEVELS, 0.25);

        // mean 4.4; squared deviations 11.56 + 5.76 + 0.16 + 2.56 + 21.16 = 41.2; variance 8.24
        assertThat(s.spread()).isCloseTo(Math.sqrt(8.24), within(1e-12));
        assertThat(s.iqr()).isCloseTo(6 - 2, within(1e-12));
        assertThat(s.cvar()).isCloseTo((1 + 2) / 2.0, within(1e-12));
        assertThat(s.cvarAlpha()).isEqualTo(0.25);
        assertThat(s.crossings()).isZero();
    }

    @Test
    void shouldSortBeforeTailMeanAndCountCrossings() {
        double[] quantiles = {3, 1, 4, 2, 5};

        RewardStatistics s = RewardStatistics.of(quantiles, LEVELS, 0.25);

        assertThat(s.crossings()).isEqualTo(2); // 3>1 and 4>2
        assertThat(s.cvar()).isCloseTo((1 + 2) / 2.0, within(1e-12));
        assertThat(s.iqr()).isCloseTo(4 - 2, within(1e-12));
    }

    @Test
    void shouldInterpolateQuartilesBetweenLevels() {
        double[] levels = {0.2, 0.4, 0.6, 0.8};
        double[] quantiles = {0, 10, 20, 30};

        // q(0.25) = 0 + (0.05 / 0.2) * 10 = 2.5; q(0.75) = 20 + (0.15 / 0.2) * 10 = 27.5
        assertThat(RewardStatistics.of(quantiles, levels, 0.5).iqr()).isCloseTo(25.0, within(1e-9));
    }

    @Test
    void shouldUseLowestQuantileWhenAlphaIsBelowEveryLevel() {
        assertThat(RewardStatistics.of(new double[] {7, 8, 9, 10, 11}, LEVELS, 0.01).cvar()).isEqualTo(7.0);
    }
}
