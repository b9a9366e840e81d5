package io.rewardannotator.streams;

import java.time.Duration;
import java.util.Objects;

/**
 * How the micro-batching processor holds records.
 *
 * @param maxInFlightPerTask records a task holds unforwarded before {@code process()} waits for results
 *                           (back-pressure); raise it when the GPU idles between batches, lower it to bound
 *                           memory and restore time
 * @param maxBlock           longest a stream thread waits for the scorer (for room in it, or for results when a
 *                           task is full) between two commits, summed over all its tasks and records. Under
 *                           exactly-once the thread's open transaction waits with it, so it must stay well below
 *                           the producer's transaction timeout; once it is spent, records are taken without
 *                           waiting and a commit is requested (so a slow or full scorer slows intake instead of
 *                           failing records or fencing the thread)
 * @param resultTimeout      longest a record may wait for its score, queueing included, before the annotator
 *                           stops as failed: a stuck scorer stops the application instead of stalling silently
 * @param drainInterval      how often a wall-clock punctuator forwards finished results of idle partitions
 */
public record BatchingSettings(int maxInFlightPerTask, Duration maxBlock, Duration resultTimeout,
                               Duration drainInterval) {
    public static final int DEFAULT_MAX_IN_FLIGHT = 256;
    public static final Duration DEFAULT_MAX_BLOCK = Duration.ofSeconds(2);
    public static final Duration DEFAULT_RESULT_TIMEOUT = Duration.ofMinutes(2);
    public static final Duration DEFAULT_DRAIN_INTERVAL = Duration.ofMillis(20);

    public BatchingSettings {
        if (maxInFlightPerTask < 1) {
            throw new IllegalArgumentException("max.in.flight.per.task must be >= 1, got " + maxInFlightPerTask);
        }
        requirePositive("max.block.ms", maxBlock);
        requirePositive("result.timeout.ms", resultTimeout);
        requirePositive("drain.interval.ms", drainInterval);
    }

    private static void requirePositive(String key, Duration value) {
        Objects.requireNonNull(value, key);
        if (value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(key + " must be positive, got " + value.toMillis());
        }
    }

    public static BatchingSettings defaults() {
        return new BatchingSettings(DEFAULT_MAX_IN_FLIGHT, DEFAULT_MAX_BLOCK, DEFAULT_RESULT_TIMEOUT,
                DEFAULT_DRAIN_INTERVAL);
    }
}
