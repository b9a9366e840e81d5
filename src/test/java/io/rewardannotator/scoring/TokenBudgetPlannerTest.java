package io.rewardannotator.scoring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class TokenBudgetPlannerTest {
    private static List<Integer> randomLengths(int n, long seed) {
        Random random = new Random(seed);
        List<Integer> lengths = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            lengths.add(10 + random.nextInt(990));
        }
        return lengths;
    }

    @Test
    void shouldPlaceEveryItemInExactlyOneBatchWithinBudgetAndSize() {
        List<Integer> lengths = randomLengths(500, 1);
        TokenBudgetPlanner planner = new TokenBudgetPlanner(4096, 16);

        List<List<Integer>> batches = planner.plan(lengths, Integer::intValue);

        assertThat(batches.stream().flatMap(List::stream).sorted().toList())
                .isEqualTo(lengths.stream().sorted().toList());
        for (List<Integer> batch : batches) {
            int longest = batch.stream().mapToInt(Integer::intValue).max().orElseThrow();
            assertThat(batch.size()).isLessThanOrEqualTo(16);
            assertThat(batch.size() * longest).isLessThanOrEqualTo(4096);
        }
    }

    @Test
    void shouldPadLessThanFifoWhenLengthsVary() {
        List<Integer> lengths = randomLengths(500, 2);

        double sorted = paddingEfficiency(new TokenBudgetPlanner(16_384, 16).plan(lengths, Integer::intValue));
        double fifo = paddingEfficiency(new FifoPlanner(16).plan(lengths, Integer::intValue));

        assertThat(sorted).isGreaterThan(0.9);
        assertThat(fifo).isLessThan(0.7);
    }

    @Test
    void shouldGiveOverlongItemItsOwnBatch() {
        List<List<Integer>> batches = new TokenBudgetPlanner(100, 8).plan(List.of(30, 500, 20), Integer::intValue);

        assertThat(batches).containsExactly(List.of(500), List.of(30, 20));
    }

    @Test
    void shouldKeepArrivalOrderInFifoBatches() {
        assertThat(new FifoPlanner(2).plan(List.of(5, 1, 9, 3, 7), Integer::intValue))
                .containsExactly(List.of(5, 1), List.of(9, 3), List.of(7));
    }

    @Test
    void shouldRefuseNonPositiveLimits() {
        assertThatThrownBy(() -> new TokenBudgetPlanner(0, 4)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new FifoPlanner(0)).isInstanceOf(IllegalArgumentException.class);
    }

    private static double paddingEfficiency(List<List<Integer>> batches) {
        long real = 0;
        long padded = 0;
        for (List<Integer> batch : batches) {
            real += batch.stream().mapToInt(Integer::intValue).sum();
            padded += (long) batch.size() * batch.stream().mapToInt(Integer::intValue).max().orElseThrow();
        }
        return (double) real / padded;
    }
}
