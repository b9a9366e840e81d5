package io.rewardannotator.registry;

import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serdes;

/**
 * {@link SpecificAvroSerializer} and {@link SpecificAvroDeserializer} as one Serde. Call
 * {@code configure(configs, isKey)} before use (Kafka Streams does so for serdes named in its
 * configuration); {@code close()} closes both halves.
 *
 * @param <T> the generated record class
 */
public final class SpecificAvroSerde<T extends SpecificRecord> extends Serdes.WrapperSerde<T> {

    /** Reads into the class named like each record's writer schema (for configuration by class name). */
    public SpecificAvroSerde() {
        super(new SpecificAvroSerializer<>(), new SpecificAvroDeserializer<>());
    }

    /** Reads into {@code type}. */
    public SpecificAvroSerde(Class<T> type) {
        super(new SpecificAvroSerializer<>(), new SpecificAvroDeserializer<>(type));
    }
}
