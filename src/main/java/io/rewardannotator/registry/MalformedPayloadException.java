package io.rewardannotator.registry;

/** The bytes after a valid header are not a valid Avro binary encoding of the writer's schema. */
public final class MalformedPayloadException extends AvroSerdeException {

    MalformedPayloadException(String message, Throwable cause) {
        super("MALFORMED_PAYLOAD", message, cause);
    }
}
