package io.rewardannotator.registry;

import java.util.Map;
import org.apache.kafka.common.serialization.Deserializer;

/** Lifecycle shared by the public deserializers: configure builds the registry client, close releases it. */
abstract class AvroDeserializerBase<T> implements Deserializer<T> {

    private volatile RecordDecoder decoder;

    /** How records are read under this configuration. */
    abstract ReaderFactory readers(SerdeConfig config);

    @Override
    public void configure(Map<String, ?> configs, boolean isKey) {
        SerdeConfig config = SerdeConfig.from(configs);
        close();
        decoder = new RecordDecoder(SchemaRegistryClient.create(config.registry()), readers(config));
    }

    /**
     * The record in {@code data}, or null for null data (a tombstone).
     *
     * @throws WrongMagicByteException if the data is not in the wire format
     * @throws TruncatedPayloadException if the data ends early
     * @throws MalformedPayloadException if the data is not valid Avro for its writer schema
     * @throws UnknownSchemaIdException if the registry does not know the writer schema's id
     * @throws ReaderSchemaMismatchException if the writer schema cannot be read as the reader schema
     * @throws RegistryUnavailableException if the registry cannot be reached (retriable)
     */
    @Override
    @SuppressWarnings("unchecked")
    public T deserialize(String topic, byte[] data) {
        if (data == null) {
            return null;
        }
        RecordDecoder configured = decoder;
        if (configured == null) {
            throw new IllegalStateException(getClass().getSimpleName()
                    + " is not configured: call configure(configs, isKey) with at least schema.registry.url");
        }
        return (T) configured.decode(topic, data);
    }

    @Override
    public void close() {
        RecordDecoder configured = decoder;
        decoder = null;
        if (configured != null) {
            configured.close();
        }
    }
}
