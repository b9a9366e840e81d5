package io.rewardannotator.streams;

import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.streams.errors.DeserializationExceptionHandler;
import org.apache.kafka.streams.errors.ErrorHandlerContext;

/**
 * A replay's deserialization handler. Decoding happens at the source, before the {@link SliceFilter}: an
 * undecodable record outside the slice is skipped like any record outside it (it is not the replay's to
 * dead-letter, and the online annotator has already done so); one inside goes to
 * {@link DeadLetterDeserializationHandler}.
 */
public final class SliceDeserializationHandler implements DeserializationExceptionHandler {
    /** Config key under which the replay passes its {@link SliceBounds} instance. */
    public static final String BOUNDS_CONFIG = "reward-annotator.slice.bounds";

    private final DeadLetterDeserializationHandler deadLetters = new DeadLetterDeserializationHandler();
    private SliceBounds bounds;

    @Override
    public void configure(Map<String, ?> configs) {
        if (!(configs.get(BOUNDS_CONFIG) instanceof SliceBounds configured)) {
            throw new IllegalArgumentException(BOUNDS_CONFIG + " must hold the replay's SliceBounds");
        }
        bounds = configured;
        deadLetters.configure(configs);
    }

    @Override
    public Response handleError(ErrorHandlerContext context, ConsumerRecord<byte[], byte[]> record,
                                Exception exception) {
        if (!bounds.contains(record.topic(), record.partition(), record.offset())) {
            return Response.resume();
        }
        return deadLetters.handleError(context, record, exception);
    }
}
