package io.rewardannotator.registry;

import org.apache.kafka.common.errors.SerializationException;

/**
 * Base of every error the schema-registry client and the Avro serdes of this package throw.
 *
 * <p>The subclass says what went wrong, so that a deserialization handler can route a record to the
 * dead-letter topic with {@link #reason()} as a stable, machine-readable header, while
 * {@link #isRetriable()} tells apart the failures that no retry can cure (a corrupt payload) from the
 * ones that pass (the registry is down), which should stop or pause processing instead of losing
 * records.
 */
public abstract sealed class AvroSerdeException extends SerializationException
        permits WrongMagicByteException, TruncatedPayloadException, MalformedPayloadException,
                ReaderSchemaMismatchException, UnwritableRecordException, SchemaRegistryException {

    private final String reason;

    AvroSerdeException(String reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = reason;
    }

    /** A short, stable code for this kind of failure, such as {@code WRONG_MAGIC_BYTE}; never null. */
    public String reason() {
        return reason;
    }

    /**
     * Whether the same call may succeed later (a registry that is down or overloaded). A record that
     * failed with a non-retriable error fails the same way every time.
     */
    public boolean isRetriable() {
        return false;
    }
}
