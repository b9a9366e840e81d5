package io.rewardannotator.registry;

import java.util.Map;
import org.apache.avro.generic.IndexedRecord;
import org.apache.kafka.common.serialization.Serializer;

/** Lifecycle shared by the public serializers: configure builds the registry client, close releases it. */
abstract class AvroSerializerBase<T extends IndexedRecord> implements Serializer<T> {

    private volatile RecordEncoder encoder;

    @Override
    public void configure(Map<String, ?> configs, boolean isKey) {
        SerdeConfig config = SerdeConfig.from(configs);
        close();
        encoder = new RecordEncoder(SchemaRegistryClient.create(config.registry()), config, isKey);
    }

    /**
     * The record framed in the wire format, or null for a null record (a tombstone).
     *
     * @throws AvroSerdeException if the registry refuses or cannot be reached, or the record cannot be encoded
     */
    @Override
    public byte[] serialize(String topic, T record) {
        if (record == null) {
            return null;
        }
        RecordEncoder configured = encoder;
        if (configured == null) {
            throw new IllegalStateException(getClass().getSimpleName()
                    + " is not configured: call configure(configs, isKey) with at least schema.registry.url");
        }
        return configured.encode(topic, record);
    }

    /**
     * Resolves, as {@link #serialize} would, the schema id records of {@code schema} are written to {@code topic}
     * with, and keeps it: a serializer resolved at start-up goes on writing while the registry is unreachable.
     *
     * @throws AvroSerdeException if the registry refuses the schema or cannot be reached
     */
    public int resolve(String topic, org.apache.avro.Schema schema) {
        RecordEncoder configured = encoder;
        if (configured == null) {
            throw new IllegalStateException(getClass().getSimpleName() + " is not configured");
        }
        return configured.schemaId(topic, schema);
    }

    @Override
    public void close() {
        RecordEncoder configured = encoder;
        encoder = null;
        if (configured != null) {
            configured.close();
        }
    }
}
