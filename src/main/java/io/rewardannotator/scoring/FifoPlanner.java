package io.rewardannotator.scoring;

import java.util.ArrayList;
import java.util.List;
import java.util.function.ToIntFunction;

/** Fixed-size batches in arrival order: the naive baseline the benchmark compares against. */
public record FifoPlanner(int batchSize) implements BatchPlanner {
    public FifoPlanner {
        if (batchSize < 1) {
            throw new IllegalArgumentException("batch size must be >= 1");
        }
    }

    @Override
    public <T> List<List<T>> plan(List<T> pending, ToIntFunction<T> length) {
        List<List<T>> batches = new ArrayList<>();
        for (int i = 0; i < pending.size(); i += batchSize) {
            batches.add(new ArrayList<>(pending.subList(i, Math.min(pending.size(), i + batchSize))));
        }
        return batches;
    }
}
