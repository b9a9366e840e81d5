package io.rewardannotator.registry;

/** A record cannot be encoded with its schema, or with the latest registered schema when {@code use.latest.version=true}. */
public final class UnwritableRecordException extends AvroSerdeException {

    UnwritableRecordException(String message, Throwable cause) {
        super("UNWRITABLE_RECORD", message, cause);
    }
}
