package io.rewardannotator.registry;

import org.apache.avro.Schema;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.common.serialization.Serdes;

/**
 * {@link GenericAvroSerializer} and {@link GenericAvroDeserializer} as one Serde. Call
 * {@code configure(configs, isKey)} before use; {@code close()} closes both halves.
 */
public final class GenericAvroSerde extends Serdes.WrapperSerde<GenericRecord> {

    /** Reads each record with its writer's schema. */
    public GenericAvroSerde() {
        super(new GenericAvroSerializer(), new GenericAvroDeserializer());
    }

    /** Reads every record as {@code readerSchema}. */
    public GenericAvroSerde(Schema readerSchema) {
        super(new GenericAvroSerializer(), new GenericAvroDeserializer(readerSchema));
    }
}
