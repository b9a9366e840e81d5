package io.rewardannotator.registry;

/**
 * A record's writer schema cannot be read with the reader's schema (Avro schema resolution fails), or
 * no generated class exists for it. Happens when a producer broke compatibility or wrote to the wrong
 * topic.
 */
public final class ReaderSchemaMismatchException extends AvroSerdeException {

    ReaderSchemaMismatchException(String message) {
        super("INCOMPATIBLE_WRITER_SCHEMA", message, null);
    }
}
