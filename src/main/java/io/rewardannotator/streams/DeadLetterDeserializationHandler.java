package io.rewardannotator.streams;

import io.rewardannotator.registry.AvroSerdeException;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.DeserializationExceptionHandler;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Kafka Streams' deserialization handler (KIP-1034): a record whose value cannot be decoded goes to the
 * dead-letter topic with its original key and value bytes and headers saying why, and processing continues.
 * A failure that may pass (the schema registry is unreachable) is not the record's fault: it stops the stream
 * thread instead, so nothing is dead-lettered for an outage.
 */
public final class DeadLetterDeserializationHandler implements DeserializationExceptionHandler {
    /** Config key under which the topology passes its {@link AnnotationListener} instance. */
    public static final String LISTENER_CONFIG = "reward-annotator.annotation.listener";
    private static final Logger LOG = LoggerFactory.getLogger(DeadLetterDeserializationHandler.class);

    private String deadLetterTopic;
    private AnnotationListener listener = AnnotationListener.NONE;

    @Override
    public void configure(Map<String, ?> configs) {
        Object topic = configs.get(StreamsConfig.ERRORS_DEAD_LETTER_QUEUE_TOPIC_NAME_CONFIG);
        if (topic == null || topic.toString().isBlank()) {
            throw new IllegalArgumentException(StreamsConfig.ERRORS_DEAD_LETTER_QUEUE_TOPIC_NAME_CONFIG
                    + " must name the dead-letter topic");
        }
        deadLetterTopic = topic.toString();
        if (configs.get(LISTENER_CONFIG) instanceof AnnotationListener configured) {
            listener = configured;
        }
    }

    @Override
    public Response handleError(ErrorHandlerContext context, ConsumerRecord<byte[], byte[]> record,
                                Exception exception) {
        if (exception instanceof AvroSerdeException avro && avro.isRetriable()) {
            LOG.error("cannot decode {}-{}@{} for a reason that may pass ({}); stopping instead of dead-lettering",
                    record.topic(), record.partition(), record.offset(), avro.getMessage());
            return Response.fail();
        }
        String reason = DeadLetterReason.of(exception).name();
        // one line, no stack trace: an undecodable record is expected input, and the trace is in its headers
        LOG.warn("dead-lettered {}-{}@{}: {} ({})", record.topic(), record.partition(), record.offset(), reason,
                exception.getMessage());
        listener.deadLettered(DeadLetters.Stage.DESERIALIZE, reason, null, null);
        return Response.resume(List.of(new ProducerRecord<>(deadLetterTopic, null, record.timestamp(), record.key(),
                record.value(), DeadLetters.headers(record.headers(), DeadLetters.Stage.DESERIALIZE, reason, exception,
                        record.topic(), record.partition(), record.offset()))));
    }
}
