package io.rewardannotator.registry;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.IndexedRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DatumReader;
import org.apache.avro.io.DatumWriter;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;

/**
 * Frames records in the wire format, choosing the writer schema and its id as Confluent's serializer
 * does: registered from the record ({@code auto.register.schemas}), the subject's latest
 * ({@code use.latest.version}), or looked up. Thread-safe.
 */
final class RecordEncoder implements AutoCloseable {

    private final SchemaRegistryClient registry;
    private final SerdeConfig config;
    private final boolean isKey;
    private final Map<WriterKey, DatumWriter<Object>> writers = new ConcurrentHashMap<>();
    private final Map<ConversionKey, DatumReader<IndexedRecord>> converters = new ConcurrentHashMap<>();

    RecordEncoder(SchemaRegistryClient registry, SerdeConfig config, boolean isKey) {
        this.registry = registry;
        this.config = config;
        this.isKey = isKey;
    }

    byte[] encode(String topic, IndexedRecord record) {
        Schema schema = record.getSchema();
        String subject = config.subjectNameStrategy(isKey).subject(topic, isKey, schema);
        ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        if (config.autoRegisterSchemas()) {
            WireFormat.writeHeader(out, registry.register(subject, schema));
            write(record, schema, out);
        } else if (config.useLatestVersion()) {
            RegisteredSchema latest = registry.latestVersion(subject);
            WireFormat.writeHeader(out, latest.id());
            write(latest.schema().equals(schema) ? record : convert(record, latest), latest.schema(), out);
        } else {
            WireFormat.writeHeader(out, registry.idOf(subject, schema));
            write(record, schema, out);
        }
        return out.toByteArray();
    }

    /** The id records of {@code schema} are written to {@code topic} with; cached by the registry client. */
    int schemaId(String topic, Schema schema) {
        String subject = config.subjectNameStrategy(isKey).subject(topic, isKey, schema);
        if (config.autoRegisterSchemas()) {
            return registry.register(subject, schema);
        }
        return config.useLatestVersion() ? registry.latestVersion(subject).id() : registry.idOf(subject, schema);
    }

    @Override
    public void close() {
        registry.close();
    }

    private void write(IndexedRecord datum, Schema schema, ByteArrayOutputStream out) {
        Class<?> specificClass = datum instanceof SpecificRecord ? datum.getClass() : null;
        DatumWriter<Object> writer = writers.computeIfAbsent(new WriterKey(schema, specificClass), WriterKey::newWriter);
        BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
        try {
            writer.write(datum, encoder);
            encoder.flush();
        } catch (IOException | RuntimeException e) {
            throw new UnwritableRecordException(String.format("Cannot encode a %s with its schema: %s",
                    schema.getFullName(), e), e);
        }
    }

    /** The record re-read with the latest schema, as a consumer of that schema would read it. */
    private IndexedRecord convert(IndexedRecord record, RegisteredSchema latest) {
        DatumReader<IndexedRecord> converter = converters.computeIfAbsent(
                new ConversionKey(record.getSchema(), latest.schema()), key -> converter(key, latest));
        ByteArrayOutputStream own = new ByteArrayOutputStream(256);
        write(record, record.getSchema(), own);
        try {
            return converter.read(null, DecoderFactory.get().binaryDecoder(own.toByteArray(), null));
        } catch (IOException | RuntimeException e) {
            throw new UnwritableRecordException("Cannot convert a " + record.getSchema().getFullName()
                    + " to the latest schema of subject '" + latest.subject() + "': " + e, e);
        }
    }

    private static DatumReader<IndexedRecord> converter(ConversionKey key, RegisteredSchema latest) {
        AvroCompatibility.whyReaderCannotRead(key.to(), key.from()).ifPresent(why -> {
            throw new UnwritableRecordException(String.format("use.latest.version=true, but the latest schema of "
                    + "subject '%s' (id %d, version %d) cannot represent a %s: %s. Register a schema that can, or set "
                    + "use.latest.version=false", latest.subject(), latest.id(), latest.version(),
                    key.from().getFullName(), why), null);
        });
        return new GenericDatumReader<>(key.from(), key.to(), GenericData.get());
    }

    private record ConversionKey(Schema from, Schema to) {
    }

    /** A writer per schema and per generated class, or null for generic records. */
    private record WriterKey(Schema schema, Class<?> specificClass) {

        DatumWriter<Object> newWriter() {
            if (specificClass == null) {
                return new GenericDatumWriter<>(schema, GenericData.get());
            }
            SpecificClassTrust.trust(specificClass.asSubclass(SpecificRecord.class));
            return new SpecificDatumWriter<>(schema, SpecificData.getForClass(specificClass));
        }
    }
}
