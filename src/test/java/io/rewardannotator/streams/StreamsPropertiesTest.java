package io.rewardannotator.streams;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;

class StreamsPropertiesTest {
    private static final AnnotatorTopics TOPICS = new AnnotatorTopics(List.of("in"), "out", "dlq");

    private static Properties build(String guarantee, Duration scoringTimeout, Map<String, ?> overrides) {
        return StreamsProperties.build("app", "localhost:9092", guarantee, TOPICS,
                new BatchingSettings(10, scoringTimeout, Duration.ofMinutes(1), Duration.ofMillis(20)), AnnotationListener.NONE, overrides);
    }

    @Test
    void shouldDefaultToExactlyOnceWithDeadLetterHandler() {
        Properties props = StreamsProperties.build("app", "localhost:9092", StreamsConfig.EXACTLY_ONCE_V2, TOPICS,
                BatchingSettings.defaults(), AnnotationListener.NONE, Map.of("num.stream.threads", 3));

        assertThat(props.get(StreamsConfig.PROCESSING_GUARANTEE_CONFIG)).isEqualTo("exactly_once_v2");
        assertThat(props.get(StreamsConfig.ERRORS_DEAD_LETTER_QUEUE_TOPIC_NAME_CONFIG)).isEqualTo("dlq");
        assertThat(props.get(StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG))
                .isEqualTo(DeadLetterDeserializationHandler.class);
        assertThat(props.get("num.stream.threads")).isEqualTo(3);
    }

    @Test
    void shouldRefuseScoringTimeoutThatDoesNotFitTheTransactionTimeout() {
        assertThatThrownBy(() -> build(StreamsConfig.EXACTLY_ONCE_V2, Duration.ofSeconds(6), Map.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("max.block.ms (6000)")
                .hasMessageContaining("transaction.timeout.ms (10000)");
    }

    @Test
    void shouldAcceptLongerScoringTimeoutWhenTransactionTimeoutIsRaised() {
        Properties props = build(StreamsConfig.EXACTLY_ONCE_V2, Duration.ofSeconds(20),
                Map.of("producer.transaction.timeout.ms", "60000"));

        assertThat(props.get("producer.transaction.timeout.ms")).isEqualTo("60000");
    }

    @Test
    void shouldNotTieScoringTimeoutToTransactionsUnderAtLeastOnce() {
        assertThat(build(StreamsConfig.AT_LEAST_ONCE, Duration.ofMinutes(5), Map.of())
                .get(StreamsConfig.PROCESSING_GUARANTEE_CONFIG)).isEqualTo("at_least_once");
    }

    @Test
    void shouldRefuseUnknownGuarantee() {
        assertThatThrownBy(() -> build("exactly_once", Duration.ofSeconds(1), Map.of()))
                .hasMessageContaining("processing.guarantee must be exactly_once_v2 or at_least_once");
    }

    @Test
    void shouldRefuseTopicsThatCollide() {
        assertThatThrownBy(() -> new AnnotatorTopics(List.of("a"), "a", "dlq"))
                .hasMessageContaining("must all differ");
        assertThatThrownBy(() -> new AnnotatorTopics(List.of(), "out", "dlq"))
                .hasMessageContaining("input.topics");
    }
}
