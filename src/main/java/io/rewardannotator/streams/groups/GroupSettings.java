package io.rewardannotator.streams.groups;

import io.rewardannotator.streams.AnnotatorTopics;
import java.time.Duration;
import java.util.Objects;

/**
 * The group branch: scored responses that share a {@code prompt_id} are collected and emitted once, as one
 * {@code ScoredGroup} event, to {@code topic}.
 *
 * @param enabled           whether the branch runs at all ({@code group.enabled})
 * @param topic             where the {@code ScoredGroup} events go ({@code group.topic})
 * @param maxWait           how long after its first member arrived a group that has not reached its announced
 *                          size (or announced none) is closed and emitted as incomplete ({@code group.max.wait.ms})
 * @param advantageEpsilon  added to the standard deviation of the advantage ({@code group.advantage.epsilon})
 * @param pairsMaxSize      the largest group that gets the {@code p_better} matrix ({@code group.pairs.max.size})
 * @param retention         how long a closed group is remembered, so a member arriving later is recognised as
 *                          late and not taken as the first of a new group ({@code group.retention.ms})
 */
public record GroupSettings(boolean enabled, String topic, Duration maxWait, double advantageEpsilon,
                            int pairsMaxSize, Duration retention) {
    public static final String DEFAULT_TOPIC = "scored-groups";
    public static final Duration DEFAULT_MAX_WAIT = Duration.ofMinutes(2);
    /** TRL's GRPO trainer adds the same to the standard deviation. */
    public static final double DEFAULT_ADVANTAGE_EPSILON = 1e-4;
    public static final int DEFAULT_PAIRS_MAX_SIZE = 16;
    public static final Duration DEFAULT_RETENTION = Duration.ofHours(1);

    public GroupSettings {
        if (enabled && (topic == null || topic.isBlank())) {
            throw new IllegalArgumentException("group.topic must name a topic when group.enabled is true");
        }
        Objects.requireNonNull(maxWait, "group.max.wait.ms");
        Objects.requireNonNull(retention, "group.retention.ms");
        if (maxWait.toMillis() < 1) {
            throw new IllegalArgumentException("group.max.wait.ms must be at least 1, got " + maxWait.toMillis());
        }
        if (retention.toMillis() < 1) {
            throw new IllegalArgumentException("group.retention.ms must be at least 1, got " + retention.toMillis());
        }
        if (!(advantageEpsilon >= 0) || Double.isInfinite(advantageEpsilon)) {
            throw new IllegalArgumentException("group.advantage.epsilon must be finite and >= 0, got "
                    + advantageEpsilon);
        }
        if (pairsMaxSize < 0) {
            throw new IllegalArgumentException("group.pairs.max.size must be >= 0, got " + pairsMaxSize);
        }
    }

    /** The branch on, every other setting at its default ({@code group.enabled} itself defaults to false). */
    public static GroupSettings defaults() {
        return new GroupSettings(true, DEFAULT_TOPIC, DEFAULT_MAX_WAIT, DEFAULT_ADVANTAGE_EPSILON,
                DEFAULT_PAIRS_MAX_SIZE, DEFAULT_RETENTION);
    }

    public static GroupSettings disabled() {
        return new GroupSettings(false, DEFAULT_TOPIC, DEFAULT_MAX_WAIT, DEFAULT_ADVANTAGE_EPSILON,
                DEFAULT_PAIRS_MAX_SIZE, DEFAULT_RETENTION);
    }

    /** @throws IllegalArgumentException when the group topic is one of the annotator's other topics */
    public void requireDistinctFrom(AnnotatorTopics topics, String statsTopic) {
        if (enabled && (topics.inputs().contains(topic) || topic.equals(topics.output())
                || topic.equals(topics.deadLetter()) || topic.equals(statsTopic))) {
            throw new IllegalArgumentException("group.topic (" + topic + ") must differ from input.topics, "
                    + "output.topic, dead.letter.topic and stats.topic");
        }
    }
}
