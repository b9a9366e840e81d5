package io.rewardannotator.streams.stats;

import io.rewardannotator.streams.AnnotatorTopics;
import java.time.Duration;
import java.util.Objects;

/**
 * The reward-statistics branch: tumbling windows of event time per policy version, each emitted once to
 * {@code topic} when it closes.
 *
 * @param enabled            whether the branch runs at all ({@code stats.enabled})
 * @param topic              where the {@code RewardStats} events go ({@code stats.topic})
 * @param windowSize         length of a window, aligned to the epoch ({@code stats.window.ms})
 * @param grace              how long after its end a window still takes late records ({@code stats.grace.ms});
 *                           a window is emitted only then, so the grace is also the added delay
 * @param lowerTailThreshold a response counts in {@code lower_tail_rate} when its lowest reward quantile is
 *                           below this ({@code stats.lower.tail.threshold})
 * @param histogram          the score histogram the percentiles come from ({@code stats.histogram.*})
 */
public record StatsSettings(boolean enabled, String topic, Duration windowSize, Duration grace,
                            double lowerTailThreshold, HistogramBins histogram) {
    public static final String DEFAULT_TOPIC = "reward-stats";
    public static final Duration DEFAULT_WINDOW = Duration.ofMinutes(1);
    public static final Duration DEFAULT_GRACE = Duration.ofSeconds(10);
    public static final double DEFAULT_LOWER_TAIL_THRESHOLD = 0.0;
    public static final HistogramBins DEFAULT_HISTOGRAM = new HistogramBins(-20, 20, 400);

    public StatsSettings {
        if (enabled && (topic == null || topic.isBlank())) {
            throw new IllegalArgumentException("stats.topic must name a topic when stats.enabled is true");
        }
        Objects.requireNonNull(windowSize, "stats.window.ms");
        Objects.requireNonNull(grace, "stats.grace.ms");
        Objects.requireNonNull(histogram, "stats.histogram");
        if (windowSize.toMillis() < 1) {
            throw new IllegalArgumentException("stats.window.ms must be at least 1, got " + windowSize.toMillis());
        }
        if (grace.isNegative()) {
            throw new IllegalArgumentException("stats.grace.ms must not be negative, got " + grace.toMillis());
        }
        if (!Double.isFinite(lowerTailThreshold)) {
            throw new IllegalArgumentException("stats.lower.tail.threshold must be finite, got " + lowerTailThreshold);
        }
    }

    public static StatsSettings defaults() {
        return new StatsSettings(true, DEFAULT_TOPIC, DEFAULT_WINDOW, DEFAULT_GRACE, DEFAULT_LOWER_TAIL_THRESHOLD,
                DEFAULT_HISTOGRAM);
    }

    public static StatsSettings disabled() {
        return new StatsSettings(false, DEFAULT_TOPIC, DEFAULT_WINDOW, DEFAULT_GRACE, DEFAULT_LOWER_TAIL_THRESHOLD,
                DEFAULT_HISTOGRAM);
    }

    /** @throws IllegalArgumentException when the stats topic is one of the annotator's other topics */
    public void requireDistinctFrom(AnnotatorTopics topics) {
        if (enabled && (topics.inputs().contains(topic) || topic.equals(topics.output())
                || topic.equals(topics.deadLetter()))) {
            throw new IllegalArgumentException("stats.topic (" + topic + ") must differ from input.topics, "
                    + "output.topic and dead.letter.topic");
        }
    }

    long windowMillis() {
        return windowSize.toMillis();
    }

    long graceMillis() {
        return grace.toMillis();
    }
}
