package io.rewardannotator.streams;

import io.rewardannotator.event.RewardStats;

/**
 * Observes what the annotator does with each record (metrics, tests). Called on stream threads: implementations
 * must be thread-safe, cheap and non-blocking.
 */
public interface AnnotationListener {
    /** A scored event was forwarded; {@code latencyMillis} runs from the input timestamp to the forward. */
    default void scored(String policyName, String policyVersion, int tokens, long latencyMillis) {
    }

    /** A record was sent to the dead-letter topic. Policy fields are {@code null} when it could not be decoded. */
    default void deadLettered(DeadLetters.Stage stage, String reason, String policyName, String policyVersion) {
    }

    /** Records of one task buffered and not yet forwarded, after each change. */
    default void inFlight(String taskId, int records) {
    }

    /**
     * An outcome reached the reward statistics after its window had closed (window end plus
     * {@code stats.grace.ms}), so no window counts it. Many of these mean the grace is too short for how far
     * partitions or instances lag one another.
     *
     * @param lateByMillis how long after its window closed the outcome arrived, in event time
     */
    default void lateStatsRecord(String policyName, String policyVersion, long lateByMillis) {
    }

    /**
     * A window of reward statistics closed and its event was forwarded to the stats topic: the same figures, for
     * gauges of the most recent closed window per policy. Called once per policy version and window, unless a
     * failed transaction makes the task emit the window again.
     */
    default void windowClosed(RewardStats stats) {
    }

    /**
     * A member of a group arrived after its group had been emitted (complete, or closed by
     * {@code group.max.wait.ms}): it is in the scored responses but no group counts it. Many of these mean the
     * wait is too short for how far apart a group's members are produced and scored.
     */
    default void lateGroupMember(String policyName, String policyVersion) {
    }

    /** A group's {@code ScoredGroup} event was forwarded: {@code complete} when all its announced members came. */
    default void groupClosed(String policyName, String policyVersion, boolean complete) {
    }

    /** Does nothing. */
    AnnotationListener NONE = new AnnotationListener() {
    };
}
