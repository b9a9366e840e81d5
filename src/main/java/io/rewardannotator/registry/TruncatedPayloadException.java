package io.rewardannotator.registry;

/** A payload ends before its 5-byte header or before the Avro datum its schema describes is complete. */
public final class TruncatedPayloadException extends AvroSerdeException {

    TruncatedPayloadException(String message, Throwable cause) {
        super("TRUNCATED_PAYLOAD", message, cause);
    }
}
