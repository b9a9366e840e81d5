package io.rewardannotator.scoring;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.ToIntFunction;

/**
 * Sorts requests by length (longest first) and fills each batch while its padded size
 * {@code rows * longest} stays within the token budget and the row limit. Sorting puts similar lengths
 * together, so little of each batch is padding; the budget bounds the memory one run needs.
 * An item longer than the budget alone still gets a batch of its own.
 */
public record TokenBudgetPlanner(int maxBatchTokens, int maxBatchSize) implements BatchPlanner {
    public TokenBudgetPlanner {
        if (maxBatchTokens < 1 || maxBatchSize < 1) {
            throw new IllegalArgumentException("batch token budget and batch size must be >= 1");
        }
    }

    @Override
    public <T> List<List<T>> plan(List<T> pending, ToIntFunction<T> length) {
        List<T> sorted = new ArrayList<>(pending);
        sorted.sort(Comparator.comparingInt(length).reversed());
        List<List<T>> batches = new ArrayList<>();
        List<T> current = new ArrayList<>();
        int longest = 0;
        for (T item : sorted) {
            int candidateLongest = Math.max(longest, length.applyAsInt(item));
            boolean fits = (long) (current.size() + 1) * candidateLongest <= maxBatchTokens
                    && current.size() < maxBatchSize;
            if (!current.isEmpty() && !fits) {
                batches.add(current);
                current = new ArrayList<>();
                candidateLongest = length.applyAsInt(item);
            }
            current.add(item);
            longest = candidateLongest;
        }
        if (!current.isEmpty()) {
            batches.add(current);
        }
        return batches;
    }
}
