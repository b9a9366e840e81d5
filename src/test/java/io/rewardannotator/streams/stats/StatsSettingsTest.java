package io.rewardannotator.streams.stats;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rewardannotator.streams.AnnotatorTopics;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class StatsSettingsTest {
    private static final HistogramBins BINS = StatsSettings.DEFAULT_HISTOGRAM;

    private static StatsSettings settings(String topic, Duration window, Duration grace, double threshold) {
        return new StatsSettings(true, topic, window, grace, threshold, BINS);
    }

    @Test
    void shouldNameTheSettingWhenAValueIsInvalid() {
        Duration minute = Duration.ofMinutes(1);
        assertThatThrownBy(() -> settings(" ", minute, Duration.ZERO, 0)).hasMessageContaining("stats.topic");
        assertThatThrownBy(() -> settings("s", Duration.ZERO, Duration.ZERO, 0))
                .hasMessageContaining("stats.window.ms");
        assertThatThrownBy(() -> settings("s", minute, Duration.ofMillis(-1), 0))
                .hasMessageContaining("stats.grace.ms");
        assertThatThrownBy(() -> settings("s", minute, Duration.ZERO, Double.NaN))
                .hasMessageContaining("stats.lower.tail.threshold");
    }

    @Test
    void shouldAcceptAnyTopicWhenDisabled() {
        assertThatCode(() -> new StatsSettings(false, null, Duration.ofMinutes(1), Duration.ZERO, 0, BINS)
                .requireDistinctFrom(new AnnotatorTopics(List.of("in"), "out", "dlq"))).doesNotThrowAnyException();
    }

    @Test
    void shouldRefuseATopicThatIsAlsoAnInputOrTheDeadLetterTopic() {
        AnnotatorTopics topics = new AnnotatorTopics(List.of("in"), "out", "dlq");

        assertThatThrownBy(() -> settings("in", Duration.ofMinutes(1), Duration.ZERO, 0).requireDistinctFrom(topics))
                .hasMessageContaining("stats.topic (in)");
        assertThatThrownBy(() -> settings("dlq", Duration.ofMinutes(1), Duration.ZERO, 0)
                .requireDistinctFrom(topics)).hasMessageContaining("stats.topic (dlq)");
    }
}
