package io.rewardannotator.registry;

import java.util.Objects;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericRecord;

/**
 * Reads Confluent wire-format records into {@link GenericRecord}s: with each record's writer schema,
 * or resolved against a given reader schema. Errors are {@link AvroSerdeException}s whose type says why.
 */
public final class GenericAvroDeserializer extends AvroDeserializerBase<GenericRecord> {

    private final Schema readerSchema;

    /** Reads each record with its writer's schema. */
    public GenericAvroDeserializer() {
        this.readerSchema = null;
    }

    /** Reads every record as {@code readerSchema}, resolving the writer's schema against it. */
    public GenericAvroDeserializer(Schema readerSchema) {
        this.readerSchema = Objects.requireNonNull(readerSchema, "readerSchema");
    }

    @Override
    ReaderFactory readers(SerdeConfig config) {
        return ReaderFactory.generic(readerSchema);
    }
}
