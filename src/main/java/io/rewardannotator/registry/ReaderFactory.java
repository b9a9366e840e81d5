package io.rewardannotator.registry;

import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.io.DatumReader;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificRecord;

/**
 * Chooses how a deserializer reads records of one writer schema: the reader schema, and the datum
 * reader that resolves the writer's schema against it (so records written with an older version are
 * read by the new code). Called once per schema id.
 */
@FunctionalInterface
interface ReaderFactory {

    /**
     * @throws ReaderSchemaMismatchException if records of this writer schema cannot be read
     */
    DatumReader<Object> readerFor(int schemaId, Schema writer);

    /** Reads into the generated class {@code type}. */
    static ReaderFactory specific(Class<? extends SpecificRecord> type) {
        SpecificClassTrust.trust(type);
        SpecificData model = SpecificData.getForClass(type);
        Schema reader = model.getSchema(type);
        return (schemaId, writer) -> {
            requireReadable(schemaId, writer, reader);
            return new SpecificDatumReader<>(writer, reader, model);
        };
    }

    /** Reads into the generated class named like the writer's record (Confluent's specific.avro.reader). */
    static ReaderFactory specificByWriterName() {
        return (schemaId, writer) -> {
            Class<? extends SpecificRecord> type = SpecificClassTrust.generatedRecordClass(
                    SpecificData.getClassName(writer), SpecificData.get().getClassLoader());
            if (type == null) {
                throw new ReaderSchemaMismatchException(String.format("Records with schema id %d are %s, and no "
                        + "generated class of that name is on the classpath: add it, or read GenericRecords "
                        + "(specific.avro.reader=false)", schemaId, writer.getFullName()));
            }
            return specific(type).readerFor(schemaId, writer);
        };
    }

    /** Reads GenericRecords with {@code reader} as the reader schema, or with the writer's own when null. */
    static ReaderFactory generic(Schema reader) {
        return (schemaId, writer) -> {
            if (reader == null) {
                return new GenericDatumReader<>(writer, writer, GenericData.get());
            }
            requireReadable(schemaId, writer, reader);
            return new GenericDatumReader<>(writer, reader, GenericData.get());
        };
    }

    private static void requireReadable(int schemaId, Schema writer, Schema reader) {
        AvroCompatibility.whyReaderCannotRead(reader, writer).ifPresent(why -> {
            throw new ReaderSchemaMismatchException(String.format("Records with schema id %d (%s) cannot be read as "
                    + "%s: %s. The producer broke compatibility or writes to the wrong topic", schemaId,
                    writer.getFullName(), reader.getFullName(), why));
        });
    }
}
