package io.rewardannotator.registry;

import java.io.EOFException;
import java.io.IOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.io.DatumReader;
import org.apache.avro.io.DecoderFactory;

/**
 * Reads wire-format payloads: checks the header, fetches the writer schema by id, and decodes the
 * datum with the reader its {@link ReaderFactory} chose for that id. Thread-safe.
 */
final class RecordDecoder implements AutoCloseable {

    private final SchemaRegistryClient registry;
    private final ReaderFactory readers;
    private final Map<Integer, DatumReader<Object>> readersById = new ConcurrentHashMap<>();

    RecordDecoder(SchemaRegistryClient registry, ReaderFactory readers) {
        this.registry = registry;
        this.readers = readers;
    }

    /** The record in {@code payload}, which is not null. */
    Object decode(String topic, byte[] payload) {
        int schemaId = WireFormat.schemaId(topic, payload);
        DatumReader<Object> reader = readersById.get(schemaId);
        if (reader == null) {
            reader = readers.readerFor(schemaId, registry.schemaById(schemaId));
            readersById.putIfAbsent(schemaId, reader);
        }
        int bodyLength = payload.length - WireFormat.HEADER_SIZE;
        try {
            return reader.read(null, DecoderFactory.get().binaryDecoder(payload, WireFormat.HEADER_SIZE, bodyLength, null));
        } catch (EOFException e) {
            throw new TruncatedPayloadException(String.format("Record on topic '%s' (schema id %d) ends before its "
                    + "Avro datum does: %d bytes after the header", topic, schemaId, bodyLength), e);
        } catch (IOException | RuntimeException e) {
            throw new MalformedPayloadException(String.format("Record on topic '%s' is not valid Avro for its writer "
                    + "schema id %d: %s", topic, schemaId, e), e);
        }
    }

    @Override
    public void close() {
        registry.close();
    }
}
