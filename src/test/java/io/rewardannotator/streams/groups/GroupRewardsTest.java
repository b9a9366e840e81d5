package io.rewardannotator.streams.groups;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.Random;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class GroupRewardsTest {
    private static final double[] ONE_TO_19 = IntStream.rangeClosed(1, 19).asDoubleStream().toArray();
    private static final double[] TWO_TO_20 = IntStream.rangeClosed(2, 20).asDoubleStream().toArray();

    @Test
    void shouldCountQuantilePairsWithTiesAsHalfInTheWorkedExample() {
        // A = 1..19 and B = 2..20. A[i] > B[j] in 153 of the 361 pairs (i > j + 1 in 0-based
        // positions: 17 + 16 + ... + 1) and A[i] = B[j] in 18 (i = j + 1), so P(A > B) = (153 + 18 / 2) / 361.
        assertThat(GroupRewards.pBetter(ONE_TO_19, TWO_TO_20)).isCloseTo(162.0 / 361, within(1e-15));
        assertThat(GroupRewards.pBetter(TWO_TO_20, ONE_TO_19)).isCloseTo(199.0 / 361, within(1e-15));
    }

    @Test
    void shouldGiveOneHalfForIdenticalAndZeroOrOneForSeparatedDistributions() {
        double[] above = IntStream.rangeClosed(30, 48).asDoubleStream().toArray();

        assertThat(GroupRewards.pBetter(ONE_TO_19, ONE_TO_19)).isEqualTo(0.5);
        assertThat(GroupRewards.pBetter(above, ONE_TO_19)).isEqualTo(1.0);
        assertThat(GroupRewards.pBetter(ONE_TO_19, above)).isEqualTo(0.0);
    }

    @Test
    void shouldAgreeWithCountingEveryPairOnRandomQuantilesWithTies() {
        Random random = new Random(7);
        for (int round = 0; round < 200; round++) {
            // values on a coarse grid so that ties occur often
            double[] a = random.ints(19, 0, 12).asDoubleStream().map(v -> v / 4).toArray();
            double[] b = random.ints(19, 0, 12).asDoubleStream().map(v -> v / 4).toArray();
            double wins = 0;
            for (double x : a) {
                for (double y : b) {
                    wins += x > y ? 1 : x == y ? 0.5 : 0;
                }
            }

            assertThat(GroupRewards.pBetter(a, b)).isCloseTo(wins / 361, within(1e-12));
            assertThat(GroupRewards.pBetter(a, b) + GroupRewards.pBetter(b, a)).isCloseTo(1.0, within(1e-12));
        }
    }

    @Test
    void shouldFillTheMatrixWithOneHalfOnTheDiagonalAndComplementsAcross() {
        double[][] p = GroupRewards.pBetterMatrix(new double[][] {ONE_TO_19, TWO_TO_20, ONE_TO_19});

        assertThat(p[0][0]).isEqualTo(0.5);
        assertThat(p[0][1]).isCloseTo(162.0 / 361, within(1e-15));
        assertThat(p[1][0]).isCloseTo(199.0 / 361, within(1e-15));
        assertThat(p[0][2]).isEqualTo(0.5);
        assertThat(p[2][1]).isCloseTo(162.0 / 361, within(1e-15));
    }

    @Test
    void shouldNormaliseByTheSampleStandardDeviation() {
        // scores 1, 2, 3, 6: mean 3, deviations -2, -1, 0, 3, sample variance (4 + 1 + 0 + 9) / 3 = 14 / 3
        double std = Math.sqrt(14.0 / 3);

        double[] advantages = GroupRewards.advantages(new double[] {1, 2, 3, 6}, 1e-4);

        assertThat(advantages).containsExactly(new double[] {-2 / (std + 1e-4), -1 / (std + 1e-4), 0,
                3 / (std + 1e-4)}, within(1e-12));
        assertThat(GroupRewards.centered(new double[] {1, 2, 3, 6})).containsExactly(-2, -1, 0, 3);
    }

    @Test
    void shouldGiveZeroAdvantageToAGroupOfOneAndToEqualScores() {
        assertThat(GroupRewards.advantages(new double[] {4.2}, 1e-4)).containsExactly(0);
        assertThat(GroupRewards.advantages(new double[] {1, 1, 1}, 1e-4)).containsExactly(0, 0, 0);
        assertThatThrownBy(() -> GroupRewards.advantages(new double[] {1, 2}, -1))
                .hasMessageContaining("epsilon");
    }

    @Test
    void shouldRankHighestFirstAndShareRanksOnTies() {
        assertThat(GroupRewards.ranks(new double[] {3, 1, 3, 2})).containsExactly(1, 4, 1, 3);
        assertThat(GroupRewards.ranks(new double[] {0.5})).containsExactly(1);
    }
}
