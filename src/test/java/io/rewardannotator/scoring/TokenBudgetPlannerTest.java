package io.rewardannotator.scoring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class TokenBudgetPlannerTest {
    private static final BatchCostModel CPU_LIKE = new BatchCostModel(64, 27_000);
    private static final BatchCostModel PAD_FREELY = new BatchCostModel(1e9, 27_000);

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
    void shouldGiveOverlongItemItsOwnBatchAndRunCheapestFirst() {
        List<List<Integer>> batches = new TokenBudgetPlanner(100, 8).plan(List.of(30, 500, 20), Integer::intValue);

        assertThat(batches).containsExactly(List.of(30, 20), List.of(500));
    }

    @Test
    void shouldKeepEveryBatchWithinAllLimits() {
        List<Integer> lengths = randomLengths(500, 4);
        TokenBudgetPlanner planner = new TokenBudgetPlanner(8192, 32, 0.75, 2_000_000L, CPU_LIKE);

        List<List<Integer>> batches = planner.plan(lengths, Integer::intValue);

        assertThat(batches.stream().flatMap(List::stream).sorted().toList())
                .isEqualTo(lengths.stream().sorted().toList());
        for (List<Integer> batch : batches) {
            int longest = batch.stream().mapToInt(Integer::intValue).max().orElseThrow();
            int shortest = batch.stream().mapToInt(Integer::intValue).min().orElseThrow();
            assertThat(batch.size()).isLessThanOrEqualTo(32);
            assertThat(batch.size() * longest).isLessThanOrEqualTo(8192);
            assertThat((long) batch.size() * longest * longest).isLessThanOrEqualTo(2_000_000L);
            assertThat(shortest).isGreaterThanOrEqualTo((int) Math.ceil(0.75 * longest));
        }
    }

    @Test
    void shouldSplitBatchesWhoseLengthsSpreadBeyondTheRatio() {
        TokenBudgetPlanner planner = new TokenBudgetPlanner(16_384, 64, 0.5, Long.MAX_VALUE, PAD_FREELY);

        assertThat(planner.plan(List.of(1000, 600, 400), Integer::intValue))
                .containsExactly(List.of(400), List.of(1000, 600));
    }

    @Test
    void shouldBoundAttentionMemoryOfLongRows() {
        // 2,000-token rows: four fit the token budget, but only two fit 2 x 2,000^2 attention cells
        TokenBudgetPlanner planner = new TokenBudgetPlanner(8192, 64, 0, 2L * 2000 * 2000, PAD_FREELY);

        assertThat(planner.plan(List.of(2000, 2000, 2000, 2000, 100, 100), Integer::intValue))
                .containsExactly(List.of(100, 100), List.of(2000, 2000), List.of(2000, 2000));
    }

    @Test
    void shouldDeriveAttentionBudgetFromMemoryBudget() {
        ScoringConfig config = ScoringConfig.defaults().withMaxBatchTokens(16_384).withMaxBatchMemoryBytes(1L << 30);

        TokenBudgetPlanner planner = TokenBudgetPlanner.of(config, DeviceProfile.CPU);

        assertThat(planner.maxAttentionCells()).isEqualTo((1L << 30) / DeviceProfile.CPU.bytesPerCell());
        // at 256 bytes per cell, 1 GiB holds one 2,000-token row (4M cells), not two
        assertThat(planner.plan(List.of(2000, 2000), Integer::intValue)).hasSize(2);
    }

    @Test
    void shouldPadOnlyWhenPaddingCostsLessThanARunOfItsOwn() {
        // overhead of 64 tokens: 990 pads to 1000 (10 tokens of padding), 800 does not (200 tokens)
        TokenBudgetPlanner planner = new TokenBudgetPlanner(16_384, 64, 0, Long.MAX_VALUE, CPU_LIKE);

        assertThat(planner.plan(List.of(1000, 990, 800), Integer::intValue))
                .containsExactly(List.of(800), List.of(1000, 990));
    }

    @Test
    void shouldWeighAttentionInPaddingCost() {
        // the same 40 tokens of padding cost more per token at 4,000 tokens than at 400
        BatchCostModel cost = new BatchCostModel(60, 3000);
        TokenBudgetPlanner planner = new TokenBudgetPlanner(1 << 20, 64, 0, Long.MAX_VALUE, cost);

        assertThat(planner.plan(List.of(400, 360), Integer::intValue)).hasSize(1);
        assertThat(planner.plan(List.of(4000, 3960), Integer::intValue)).hasSize(2);
    }

    @Test
    void shouldCostBatchesByTheirPaddedWork() {
        TokenBudgetPlanner planner = new TokenBudgetPlanner(16_384, 64, 0, Long.MAX_VALUE, CPU_LIKE);

        assertThat(planner.cost(List.of(50), Integer::intValue))
                .isLessThan(planner.cost(List.of(1000, 10), Integer::intValue));
        assertThat(new FifoPlanner(4).cost(List.of(1000, 10), Integer::intValue)).isEqualTo(2000.0);
    }

    @Test
    void shouldKeepArrivalOrderInFifoBatches() {
        assertThat(new FifoPlanner(2).plan(List.of(5, 1, 9, 3, 7), Integer::intValue))
                .containsExactly(List.of(5, 1), List.of(9, 3), List.of(7));
    }

    @Test
    void shouldRefuseNonPositiveLimits() {
        assertThatThrownBy(() -> new TokenBudgetPlanner(0, 4)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new TokenBudgetPlanner(10, 4, 1.5, 10, CPU_LIKE))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new BatchCostModel(-1, 10)).isInstanceOf(IllegalArgumentException.class);
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
