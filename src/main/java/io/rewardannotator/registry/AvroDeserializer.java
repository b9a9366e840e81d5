package io.rewardannotator.registry;

/**
 * The counterpart of Confluent's {@code KafkaAvroDeserializer}: returns generated classes when
 * {@code specific.avro.reader=true}, {@link org.apache.avro.generic.GenericRecord}s otherwise. Prefer
 * {@link SpecificAvroDeserializer} or {@link GenericAvroDeserializer} in new code.
 */
public final class AvroDeserializer extends AvroDeserializerBase<Object> {

    @Override
    ReaderFactory readers(SerdeConfig config) {
        return config.specificAvroReader() ? ReaderFactory.specificByWriterName() : ReaderFactory.generic(null);
    }
}
