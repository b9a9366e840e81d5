package io.rewardannotator.streams;

import java.time.Duration;

/**
 * How long one stream thread has waited for scores since its tasks last committed. Under exactly-once the
 * thread's transaction stays open while it waits, across every task and record it processes between commits; so
 * the bound ({@code max.block.ms}) holds for the sum of those waits, not for each one. Reset by
 * {@link CommitSignallingStore} when Kafka Streams commits the thread's tasks.
 *
 * <p>Threading: one instance per stream thread, used only by that thread.
 */
final class WaitBudget {
    private static final ThreadLocal<WaitBudget> OF_THREAD = ThreadLocal.withInitial(WaitBudget::new);

    private long spentNanos;

    private WaitBudget() {
    }

    /** The calling stream thread's budget. */
    static WaitBudget ofThisThread() {
        return OF_THREAD.get();
    }

    /** Nanoseconds of {@code budget} left to wait before the next commit; zero or less when spent. */
    long leftNanos(Duration budget) {
        return budget.toNanos() - spentNanos;
    }

    void spend(long nanos) {
        spentNanos += nanos;
    }

    /** The thread's tasks committed: its transaction is closed, the budget is whole again. */
    void committed() {
        spentNanos = 0;
    }
}
