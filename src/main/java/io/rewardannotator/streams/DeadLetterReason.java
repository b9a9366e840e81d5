package io.rewardannotator.streams;

import io.rewardannotator.registry.AvroSerdeException;
import io.rewardannotator.text.RejectionReason;

/**
 * Every value the {@link DeadLetters#REASON} header (and the {@code reason} tag of the dead-letter metric) may
 * take. The names are stable: consumers of the dead-letter topic and alerts match on them. docs/events.md lists
 * them with their meaning.
 */
public enum DeadLetterReason {
    // Validation and scoring: one per RejectionReason, same name.
    MALFORMED_INPUT,
    INVALID_ROLE,
    EMPTY_PROMPT,
    PROMPT_NOT_ENDING_WITH_USER,
    GATING_PATTERN_NOT_FOUND,
    TOO_LONG,
    RESPONSE_TOO_LONG,
    INFERENCE_FAILED,
    // Deserialization: one per AvroSerdeException reason, same name.
    WRONG_MAGIC_BYTE,
    TRUNCATED_PAYLOAD,
    MALFORMED_PAYLOAD,
    INCOMPATIBLE_WRITER_SCHEMA,
    UNKNOWN_SCHEMA_ID,
    SUBJECT_NOT_FOUND,
    VERSION_NOT_FOUND,
    SCHEMA_NOT_REGISTERED,
    INVALID_SCHEMA,
    INCOMPATIBLE_SCHEMA,
    REGISTRY_UNAUTHORIZED,
    REGISTRY_REQUEST_FAILED,
    /** Retriable: it stops the stream thread instead; listed because the registry client reports it by name. */
    REGISTRY_UNAVAILABLE,
    UNWRITABLE_RECORD,
    /** The value deserializer failed with an exception that is not one of the registry client's. */
    UNDECODABLE;

    public static DeadLetterReason of(RejectionReason reason) {
        return valueOf(reason.name());
    }

    /** The reason for a record the value deserializer could not decode. */
    public static DeadLetterReason of(Exception deserializationError) {
        return deserializationError instanceof AvroSerdeException avro ? valueOf(avro.reason()) : UNDECODABLE;
    }
}
