package io.rewardannotator.registry;

import org.apache.avro.specific.SpecificRecord;

/**
 * Writes generated Avro classes in the Confluent wire format, byte for byte what Confluent's
 * {@code KafkaAvroSerializer} writes: magic byte 0, the schema id (4 bytes, big-endian), the Avro
 * binary encoding. Configure it with {@link SerdeConfig}'s and {@link RegistryConfig}'s properties;
 * it creates its registry client in {@code configure} and closes it in {@code close}.
 *
 * @param <T> the generated record class
 */
public final class SpecificAvroSerializer<T extends SpecificRecord> extends AvroSerializerBase<T> {
}
