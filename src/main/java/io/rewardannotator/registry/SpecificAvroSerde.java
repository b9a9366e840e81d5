package io.rewardannotator.registry;

import java.util.Map;
import org.apache.avro.Schema;
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

    /**
     * A value serde for an output topic, configured, with the schema id of {@code schema} under {@code topic}
     * resolved now: a registry that refuses the schema stops the start, and writing goes on while the registry
     * is unreachable later.
     */
    public static <T extends SpecificRecord> SpecificAvroSerde<T> forOutput(Class<T> type, Schema schema,
                                                                           Map<String, ?> serdeConfig, String topic) {
        SpecificAvroSerde<T> serde = new SpecificAvroSerde<>(type);
        serde.configure(serdeConfig, false);
        ((SpecificAvroSerializer<T>) serde.serializer()).resolve(topic, schema);
        return serde;
    }
}
