package io.rewardannotator.registry;

import java.util.Objects;
import org.apache.avro.specific.SpecificRecord;

/**
 * Reads Confluent wire-format records into a generated Avro class, resolving each record's writer
 * schema (fetched by id and cached) against the class's schema, so records written with older schema
 * versions are read by the new code. Errors are {@link AvroSerdeException}s whose type says why.
 *
 * @param <T> the generated record class
 */
public final class SpecificAvroDeserializer<T extends SpecificRecord> extends AvroDeserializerBase<T> {

    private final Class<T> type;

    /** Reads into the generated class named like each record's writer schema (for configuration by class name). */
    public SpecificAvroDeserializer() {
        this.type = null;
    }

    /** Reads into {@code type} whatever the writer's schema version. */
    public SpecificAvroDeserializer(Class<T> type) {
        this.type = Objects.requireNonNull(type, "type");
    }

    @Override
    ReaderFactory readers(SerdeConfig config) {
        return type == null ? ReaderFactory.specificByWriterName() : ReaderFactory.specific(type);
    }
}
