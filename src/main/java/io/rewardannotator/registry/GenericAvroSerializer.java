package io.rewardannotator.registry;

import org.apache.avro.generic.GenericRecord;

/**
 * Writes {@link GenericRecord}s in the Confluent wire format, as {@link SpecificAvroSerializer} does
 * for generated classes; the record's own schema is registered or looked up.
 */
public final class GenericAvroSerializer extends AvroSerializerBase<GenericRecord> {
}
