package io.rewardannotator.streams;

import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsConfig;

/** The Kafka Streams properties the annotator needs, and the start-up checks that tie them to the batching knobs. */
public final class StreamsProperties {
    /** Kafka Streams' default producer transaction timeout under exactly-once. */
    static final Duration STREAMS_DEFAULT_TRANSACTION_TIMEOUT = Duration.ofSeconds(10);

    private StreamsProperties() {
    }

    /**
     * The properties for {@code KafkaStreams}: the user's {@code overrides} (any Streams, consumer or producer
     * property) over the annotator's defaults, then the settings the topology depends on.
     *
     * @throws IllegalArgumentException when the back-pressure wait does not fit the transaction timeout
     */
    public static Properties build(String applicationId, String bootstrapServers, String processingGuarantee,
                                   AnnotatorTopics topics, BatchingSettings settings, AnnotationListener listener,
                                   Map<String, ?> overrides) {
        Properties props = new Properties();
        props.put(StreamsConfig.DEFAULT_KEY_SERDE_CLASS_CONFIG, Serdes.ByteArraySerde.class);
        props.put(StreamsConfig.DEFAULT_VALUE_SERDE_CLASS_CONFIG, Serdes.ByteArraySerde.class);
        // no global stores here; set so Streams does not warn about a default that changes in 5.0
        props.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_GLOBAL_ENABLED_CONFIG, true);
        props.putAll(overrides);
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, applicationId);
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, processingGuarantee);
        props.put(StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG,
                DeadLetterDeserializationHandler.class);
        props.put(StreamsConfig.ERRORS_DEAD_LETTER_QUEUE_TOPIC_NAME_CONFIG, topics.deadLetter());
        props.put(DeadLetterDeserializationHandler.LISTENER_CONFIG, listener);
        checkTimeouts(props, settings);
        return props;
    }

    /**
     * Turns {@link #build} properties into a replay's: undecodable records outside {@code slice} are skipped, not
     * dead-lettered (see {@link SliceDeserializationHandler}).
     */
    public static Properties boundTo(Properties props, SliceBounds slice) {
        props.put(StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG, SliceDeserializationHandler.class);
        props.put(SliceDeserializationHandler.BOUNDS_CONFIG, slice);
        return props;
    }

    /**
     * Under exactly-once a stream thread that waits for scores keeps its transaction open: if the wait can
     * exceed the transaction timeout, the broker aborts the transaction and fences the thread.
     */
    static void checkTimeouts(Properties props, BatchingSettings settings) {
        String guarantee = String.valueOf(props.get(StreamsConfig.PROCESSING_GUARANTEE_CONFIG));
        if (!guarantee.equals(StreamsConfig.EXACTLY_ONCE_V2) && !guarantee.equals(StreamsConfig.AT_LEAST_ONCE)) {
            throw new IllegalArgumentException("processing.guarantee must be exactly_once_v2 or at_least_once, got "
                    + guarantee);
        }
        if (!guarantee.equals(StreamsConfig.EXACTLY_ONCE_V2)) {
            return;
        }
        Duration transactionTimeout = transactionTimeout(props);
        if (settings.maxBlock().multipliedBy(2).compareTo(transactionTimeout) > 0) {
            throw new IllegalArgumentException("max.block.ms (" + settings.maxBlock().toMillis()
                    + ") must be at most half the producer's transaction.timeout.ms (" + transactionTimeout.toMillis()
                    + ") under exactly_once_v2: lower max.block.ms or raise producer.transaction.timeout.ms");
        }
    }

    private static Duration transactionTimeout(Properties props) {
        for (String key : new String[] {
            StreamsConfig.producerPrefix(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG),
            ProducerConfig.TRANSACTION_TIMEOUT_CONFIG}) {
            Object value = props.get(key);
            if (value != null) {
                return Duration.ofMillis(Long.parseLong(value.toString().trim()));
            }
        }
        return STREAMS_DEFAULT_TRANSACTION_TIMEOUT;
    }
}
