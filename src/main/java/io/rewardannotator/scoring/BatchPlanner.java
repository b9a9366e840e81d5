package io.rewardannotator.scoring;

import java.util.List;
import java.util.function.ToIntFunction;

/** Splits the requests waiting at one moment into model batches. Pure: no I/O, no clock. */
public interface BatchPlanner {
    /**
     * Every item of {@code pending} lands in exactly one batch; batches come in the order to run them.
     *
     * @param length the number of tokens of an item
     */
    <T> List<List<T>> plan(List<T> pending, ToIntFunction<T> length);

    /** What running {@code batch} costs, comparable between batches of this planner: padded tokens here. */
    default <T> double cost(List<T> batch, ToIntFunction<T> length) {
        return (double) batch.size() * batch.stream().mapToInt(length).max().orElse(0);
    }
}
