package io.rewardannotator.streams;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Binary form of a {@link BufferedRecord} in the buffer store and its changelog. Private to this application
 * (nobody else reads the changelog), versioned by a leading byte so the layout can change.
 */
final class BufferedRecordSerde implements Serde<BufferedRecord> {
    private static final byte VERSION = 1;

    @Override
    public Serializer<BufferedRecord> serializer() {
        return (topic, record) -> record == null ? null : write(record);
    }

    @Override
    public Deserializer<BufferedRecord> deserializer() {
        return (topic, bytes) -> bytes == null ? null : read(bytes);
    }

    static byte[] write(BufferedRecord r) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(r.value().length + 64);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(VERSION);
            writeBytes(out, r.key());
            writeBytes(out, r.value());
            out.writeLong(r.timestamp());
            Header[] headers = r.headers().toArray();
            out.writeInt(headers.length);
            for (Header header : headers) {
                out.writeUTF(header.key());
                writeBytes(out, header.value());
            }
            out.writeUTF(r.topic());
            out.writeInt(r.partition());
            out.writeLong(r.offset());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    static BufferedRecord read(byte[] bytes) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
            byte version = in.readByte();
            if (version != VERSION) {
                throw new IllegalStateException("buffer entry has layout version " + version + ", expected " + VERSION
                        + ": was the store written by a newer release?");
            }
            byte[] key = readBytes(in);
            byte[] value = readBytes(in);
            long timestamp = in.readLong();
            Headers headers = new RecordHeaders();
            for (int n = in.readInt(); n > 0; n--) {
                headers.add(in.readUTF(), readBytes(in));
            }
            return new BufferedRecord(key, value, timestamp, headers, in.readUTF(), in.readInt(), in.readLong());
        } catch (IOException e) {
            throw new UncheckedIOException("corrupt buffer entry", e);
        }
    }

    private static void writeBytes(DataOutputStream out, byte[] b) throws IOException {
        out.writeInt(b == null ? -1 : b.length);
        if (b != null) {
            out.write(b);
        }
    }

    private static byte[] readBytes(DataInputStream in) throws IOException {
        int length = in.readInt();
        return length < 0 ? null : in.readNBytes(length);
    }
}
