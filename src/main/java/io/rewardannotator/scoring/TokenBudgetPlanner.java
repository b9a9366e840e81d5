package io.rewardannotator.scoring;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.function.ToIntFunction;

/**
 * Sorts requests by length (longest first) and fills each batch while every limit holds:
 * <ul>
 *   <li>padded tokens {@code rows * longest <= maxBatchTokens} and {@code rows <= maxBatchSize};</li>
 *   <li>attention cells {@code rows * longest^2 <= maxAttentionCells}: an unfused attention materialises
 *       {@code heads x longest x longest} scores per row, the part of peak memory that grows fastest, so this
 *       bounds a run's memory by a budget ({@link DeviceProfile#attentionCells});</li>
 *   <li>length spread: the shortest row is at least {@code minLengthRatio} of the longest;</li>
 *   <li>cost: a row joins only if its padding costs less than a run of its own ({@link BatchCostModel}).</li>
 * </ul>
 * Batches come out cheapest first, so short requests planned together with long ones are not kept waiting
 * behind them. An item over a limit on its own still gets a batch of its own.
 *
 * @param maxBatchTokens    padded tokens per run
 * @param maxBatchSize      rows per run
 * @param minLengthRatio    shortest / longest row within a batch, in [0, 1]; 0 = no cap
 * @param maxAttentionCells {@code rows * longest^2} per run
 * @param cost              the device's cost model
 */
public record TokenBudgetPlanner(int maxBatchTokens, int maxBatchSize, double minLengthRatio, long maxAttentionCells,
                                 BatchCostModel cost) implements BatchPlanner {
    /** Never refuses to pad: a batch costs nothing but its tokens beyond a run's infinite overhead. */
    private static final BatchCostModel TOKENS_ONLY = new BatchCostModel(Double.POSITIVE_INFINITY, Double.MAX_VALUE);

    public TokenBudgetPlanner {
        if (maxBatchTokens < 1 || maxBatchSize < 1 || maxAttentionCells < 1) {
            throw new IllegalArgumentException("batch token budget, batch size and attention cells must be >= 1");
        }
        if (!(minLengthRatio >= 0 && minLengthRatio <= 1)) {
            throw new IllegalArgumentException("the length ratio must lie in [0, 1], got " + minLengthRatio);
        }
        Objects.requireNonNull(cost, "cost");
    }

    /** Token budget and row limit only: no spread cap, no memory bound, padding always accepted. */
    public TokenBudgetPlanner(int maxBatchTokens, int maxBatchSize) {
        this(maxBatchTokens, maxBatchSize, 0, Long.MAX_VALUE, TOKENS_ONLY);
    }

    /** The planner for {@code config} on a device of {@code profile}. */
    public static TokenBudgetPlanner of(ScoringConfig config, DeviceProfile profile) {
        return new TokenBudgetPlanner(config.maxBatchTokens(), config.maxBatchSize(), config.minLengthRatio(),
                profile.attentionCells(config.maxBatchMemoryBytes()), profile.cost());
    }

    @Override
    public <T> List<List<T>> plan(List<T> pending, ToIntFunction<T> length) {
        List<T> sorted = new ArrayList<>(pending);
        sorted.sort(Comparator.comparingInt(length).reversed());
        List<List<T>> batches = new ArrayList<>();
        List<T> current = new ArrayList<>();
        int longest = 0;
        for (T item : sorted) {
            int itemLength = length.applyAsInt(item);
            if (!current.isEmpty() && !fits(current.size() + 1, longest, itemLength)) {
                batches.add(current);
                current = new ArrayList<>();
            }
            if (current.isEmpty()) {
                longest = itemLength;
            }
            current.add(item);
        }
        if (!current.isEmpty()) {
            batches.add(current);
        }
        batches.sort(Comparator.comparingDouble(batch -> cost(batch, length)));
        return batches;
    }

    /** The batch's padded work in the cost model, without the run's fixed overhead. */
    @Override
    public <T> double cost(List<T> batch, ToIntFunction<T> length) {
        return batch.size() * cost.perRow(batch.stream().mapToInt(length).max().orElse(0));
    }

    /** Whether a batch of {@code rows} rows, the longest {@code longest}, may take a row of {@code itemLength}. */
    private boolean fits(int rows, int longest, int itemLength) {
        return rows <= maxBatchSize
                && (long) rows * longest <= maxBatchTokens
                && (long) rows * longest * longest <= maxAttentionCells
                && itemLength >= minLengthRatio * longest
                && cost.worthPadding(itemLength, longest);
    }
}
