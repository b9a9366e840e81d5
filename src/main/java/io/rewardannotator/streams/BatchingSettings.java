package io.rewardannotator.streams;

import java.time.Duration;
import java.util.Objects;

/**
 * How the micro-batching processor holds records.
 *
 * @param maxInFlightPerTask records a task may hold unforwarded before {@code process()} waits for results
 *                           (back-pressure); raise it when the GPU idles between batches, lower it to bound
 *                           memory and restore time
 * @param scoringTimeout     longest a record may wait for its score before the application stops as failed;
 *                           under exactly-once it must stay below the producer's transaction timeout
 * @param drainInterval      how often a wall-clock punctuator forwards finished results of idle partitions
 */
public record BatchingSettings(int maxInFlightPerTask, Duration scoringTimeout, Duration drainInterval) {
    public static final int DEFAULT_MAX_IN_FLIGHT = 256;
    public static final Duration DEFAULT_SCORING_TIMEOUT = Duration.ofSeconds(5);
    public static final Duration DEFAULT_DRAIN_INTERVAL = Duration.ofMillis(20);

    public BatchingSettings {
        if (maxInFlightPerTask < 1) {
            throw new IllegalArgumentException("max in-flight records per task must be >= 1, got " + maxInFlightPerTask);
        }
        Objects.requireNonNull(scoringTimeout, "scoringTimeout");
        Objects.requireNonNull(drainInterval, "drainInterval");
        if (scoringTimeout.isNegative() || scoringTimeout.isZero()) {
            throw new IllegalArgumentException("scoring timeout must be positive, got " + scoringTimeout);
        }
        if (drainInterval.isNegative() || drainInterval.isZero()) {
            throw new IllegalArgumentException("drain interval must be positive, got " + drainInterval);
        }
    }

    public static BatchingSettings defaults() {
        return new BatchingSettings(DEFAULT_MAX_IN_FLIGHT, DEFAULT_SCORING_TIMEOUT, DEFAULT_DRAIN_INTERVAL);
    }
}
