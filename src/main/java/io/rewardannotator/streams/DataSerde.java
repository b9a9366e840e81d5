package io.rewardannotator.streams;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInput;
import java.io.DataInputStream;
import java.io.DataOutput;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * A serde for a layout private to this application (state stores, their changelogs, the stats repartition
 * topic): a version byte, then the fields as {@link DataOutput} writes them. {@code null} stays {@code null}.
 */
public final class DataSerde<T> implements Serde<T> {
    public interface Writer<T> {
        void write(T value, DataOutput out) throws IOException;
    }

    public interface Reader<T> {
        T read(DataInput in) throws IOException;
    }

    private final byte version;
    private final Writer<T> writer;
    private final Reader<T> reader;

    public DataSerde(int version, Writer<T> writer, Reader<T> reader) {
        this.version = (byte) version;
        this.writer = writer;
        this.reader = reader;
    }

    byte[] write(T value) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(64);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(version);
            writer.write(value, out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    T read(byte[] bytes) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
            byte found = in.readByte();
            if (found != version) {
                throw new SerializationException("unknown layout version " + found + " (expected " + version
                        + "): state written by another release of the annotator");
            }
            return reader.read(in);
        } catch (IOException e) {
            throw new SerializationException("truncated or corrupt record", e);
        }
    }

    @Override
    public Serializer<T> serializer() {
        return (topic, value) -> value == null ? null : write(value);
    }

    @Override
    public Deserializer<T> deserializer() {
        return (topic, bytes) -> bytes == null ? null : read(bytes);
    }
}
