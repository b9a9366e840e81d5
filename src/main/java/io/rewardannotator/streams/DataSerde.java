package io.rewardannotator.streams;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInput;
import java.io.DataInputStream;
import java.io.DataOutput;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
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

    /** Reads any layout version up to the current one: what an earlier release left in a store or topic. */
    public interface VersionedReader<T> {
        T read(int version, DataInput in) throws IOException;
    }

    private final byte version;
    private final Writer<T> writer;
    private final VersionedReader<T> reader;
    private final int oldestReadable;

    /** A layout that has one version: any other is refused. */
    public DataSerde(int version, Writer<T> writer, Reader<T> reader) {
        this(version, version, writer, (found, in) -> reader.read(in));
    }

    private DataSerde(int version, int oldestReadable, Writer<T> writer, VersionedReader<T> reader) {
        this.version = (byte) version;
        this.oldestReadable = oldestReadable;
        this.writer = writer;
        this.reader = reader;
    }

    /**
     * A layout that has evolved: {@code version} is written, and every version from {@code oldestReadable} on is
     * read, so an upgraded instance takes over the state and in-flight records of the release before it.
     */
    public static <T> DataSerde<T> evolving(int version, int oldestReadable, Writer<T> writer,
                                            VersionedReader<T> reader) {
        return new DataSerde<>(version, oldestReadable, writer, reader);
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
            if (found < oldestReadable || found > version) {
                throw new SerializationException("unknown layout version " + found + " (expected " + version
                        + "): state written by another release of the annotator");
            }
            return reader.read(found, in);
        } catch (IOException e) {
            throw new SerializationException("truncated or corrupt record", e);
        }
    }

    /** Writes a string of any length (unlike {@link DataOutput#writeUTF}, which stops at 64 KB): length, UTF-8. */
    public static void writeString(DataOutput out, String value) throws IOException {
        byte[] utf8 = value.getBytes(StandardCharsets.UTF_8);
        out.writeInt(utf8.length);
        out.write(utf8);
    }

    public static String readString(DataInput in) throws IOException {
        byte[] utf8 = new byte[in.readInt()];
        in.readFully(utf8);
        return new String(utf8, StandardCharsets.UTF_8);
    }

    public static void writeDoubles(DataOutput out, double[] values) throws IOException {
        out.writeInt(values.length);
        for (double v : values) {
            out.writeDouble(v);
        }
    }

    public static double[] readDoubles(DataInput in) throws IOException {
        double[] values = new double[in.readInt()];
        for (int i = 0; i < values.length; i++) {
            values[i] = in.readDouble();
        }
        return values;
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
