package io.rewardannotator.scoring;

import java.util.List;
import java.util.function.ToIntFunction;

/** Splits the requests waiting at one moment into model batches. Pure: no I/O, no clock. */
public interface BatchPlanner {
    /**
     * Every item of {@code pending} lands in exactly one batch.
     *
     * @param length the number of tokens of an item
     */
    <T> List<List<T>> plan(List<T> pending, ToIntFunction<T> length);
}
