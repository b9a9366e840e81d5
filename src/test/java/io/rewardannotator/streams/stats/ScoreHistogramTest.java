package io.rewardannotator.streams.stats;

import static io.rewardannotator.streams.stats.ExpectedStats.nearestRank;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.Arrays;
import java.util.Random;
import java.util.stream.DoubleStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ScoreHistogramTest {
    private static final HistogramBins BINS = new HistogramBins(-5, 5, 50);
    private static final double[] LEVELS = {0.01, 0.1, 0.25, 0.5, 0.75, 0.9, 0.99};
    /** Bin edges are computed in floating point: allow a rounding error on top of the documented bound. */
    private static final double ROUNDING = 1e-9;

    private static ScoreHistogram of(HistogramBins bins, double[] values) {
        ScoreHistogram h = new ScoreHistogram(bins);
        Arrays.stream(values).forEach(h::add);
        return h;
    }

    private static double[] gaussian(long seed, int n, double mean, double sd) {
        Random random = new Random(seed);
        return DoubleStream.generate(() -> mean + sd * random.nextGaussian()).limit(n).toArray();
    }

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3, 4, 5})
    void shouldEstimatePercentilesWithinOneBinWidthOfTheExactOnesWhenValuesLieInTheBins(long seed) {
        // given: values well inside [-5, 5]; sample sizes from tiny to large
        double[] values = Arrays.stream(gaussian(seed, 7 + (int) seed * 611, 0.5, 1.2))
                .map(v -> Math.max(-4.99, Math.min(4.99, v))).toArray();
        double[] sorted = values.clone();
        Arrays.sort(sorted);

        // when
        ScoreHistogram h = of(BINS, values);

        // then
        for (double p : LEVELS) {
            assertThat(h.quantile(p)).as("p%s of %d values", p, values.length)
                    .isCloseTo(nearestRank(sorted, p), within(BINS.width() + ROUNDING));
        }
    }

    @Test
    void shouldBoundTheTailErrorByTheDistanceToTheExactExtremeWhenValuesFallOutsideTheBins() {
        // given: a wide spread, so that about a fifth of the values lies outside [-5, 5]
        double[] values = gaussian(11, 2_000, 0, 4);
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        ScoreHistogram h = of(BINS, values);

        // when / then
        double underflowWidth = BINS.min() - sorted[0];
        double overflowWidth = sorted[sorted.length - 1] - BINS.max();
        assertThat(h.quantile(0.02)).isCloseTo(nearestRank(sorted, 0.02), within(underflowWidth));
        assertThat(h.quantile(0.98)).isCloseTo(nearestRank(sorted, 0.98), within(overflowWidth));
        assertThat(h.quantile(0.5)).isCloseTo(nearestRank(sorted, 0.5), within(BINS.width() + ROUNDING));
    }

    @Test
    void shouldGiveTheExactMinimumAndMaximumAtTheExtremeLevels() {
        ScoreHistogram h = of(BINS, new double[] {-7.25, 0.123, 1.5, 9.75});

        assertThat(h.quantile(0)).isEqualTo(-7.25);
        assertThat(h.quantile(1)).isEqualTo(9.75);
        assertThat(h.minimum()).isEqualTo(-7.25);
        assertThat(h.maximum()).isEqualTo(9.75);
    }

    @Test
    void shouldGiveTheValueItselfWhenAllValuesAreEqual() {
        ScoreHistogram h = of(BINS, new double[] {2.345, 2.345, 2.345});

        assertThat(h.quantile(0.1)).isEqualTo(2.345);
        assertThat(h.quantile(0.9)).isEqualTo(2.345);
    }

    @Test
    void shouldMergeIntoTheHistogramOfAllValues() {
        // given: one data set split into three parts, with values in all buckets
        double[] values = gaussian(7, 3_000, 0, 3);
        ScoreHistogram whole = of(BINS, values);
        ScoreHistogram merged = of(BINS, Arrays.copyOfRange(values, 0, 1000));

        // when
        merged.merge(of(BINS, Arrays.copyOfRange(values, 1000, 1001)));
        merged.merge(of(BINS, Arrays.copyOfRange(values, 1001, values.length)));

        // then
        assertThat(merged.count()).isEqualTo(whole.count()).isEqualTo(values.length);
        assertThat(merged.minimum()).isEqualTo(whole.minimum());
        assertThat(merged.maximum()).isEqualTo(whole.maximum());
        for (double p : LEVELS) {
            assertThat(merged.quantile(p)).as("p%s", p).isEqualTo(whole.quantile(p));
        }
    }

    @Test
    void shouldStayEmptyWhenMergedWithAnEmptyHistogram() {
        ScoreHistogram h = new ScoreHistogram(BINS);

        h.merge(new ScoreHistogram(BINS));

        assertThat(h.count()).isZero();
        assertThat(h.quantile(0.5)).isNaN();
        assertThat(h.minimum()).isNaN();
    }

    @Test
    void shouldRefuseToMergeHistogramsOverDifferentBins() {
        ScoreHistogram h = new ScoreHistogram(BINS);

        assertThatThrownBy(() -> h.merge(new ScoreHistogram(new HistogramBins(-5, 5, 51))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("different bins");
    }

    @Test
    void shouldRejectNonFiniteValues() {
        ScoreHistogram h = new ScoreHistogram(BINS);

        assertThatThrownBy(() -> h.add(Double.NaN)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> h.add(Double.POSITIVE_INFINITY)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void shouldReadBackWhatItWrote() throws IOException {
        ScoreHistogram h = of(BINS, gaussian(3, 500, 0, 4));
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        h.writeTo(new DataOutputStream(bytes));

        ScoreHistogram read = ScoreHistogram.readFrom(new DataInputStream(new ByteArrayInputStream(bytes.toByteArray())));

        assertThat(read.bins()).isEqualTo(BINS);
        assertThat(read.count()).isEqualTo(500);
        assertThat(read.minimum()).isEqualTo(h.minimum());
        for (double p : LEVELS) {
            assertThat(read.quantile(p)).isEqualTo(h.quantile(p));
        }
    }

    @Test
    void shouldNameTheSettingWhenBinsAreInvalid() {
        assertThatThrownBy(() -> new HistogramBins(1, 1, 10)).hasMessageContaining("stats.histogram.min");
        assertThatThrownBy(() -> new HistogramBins(0, Double.NaN, 10)).hasMessageContaining("stats.histogram.max");
        assertThatThrownBy(() -> new HistogramBins(0, 1, 0)).hasMessageContaining("stats.histogram.bins");
    }
}
