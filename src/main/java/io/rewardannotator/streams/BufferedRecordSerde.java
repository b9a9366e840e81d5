package io.rewardannotator.streams;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * Binary form of a {@link BufferedRecord} in the buffer store and its changelog (layout version 1). Private to this
 * application, but read back after an upgrade: the layout is pinned by golden bytes (BufferStoreGoldenTest).
 */
final class BufferedRecordSerde {
    static final DataSerde<BufferedRecord> SERDE = new DataSerde<>(1, BufferedRecordSerde::write,
            BufferedRecordSerde::read);

    private BufferedRecordSerde() {
    }

    private static void write(BufferedRecord r, DataOutput out) throws IOException {
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
    }

    private static BufferedRecord read(DataInput in) throws IOException {
        byte[] key = readBytes(in);
        byte[] value = readBytes(in);
        long timestamp = in.readLong();
        Headers headers = new RecordHeaders();
        for (int n = in.readInt(); n > 0; n--) {
            headers.add(in.readUTF(), readBytes(in));
        }
        return new BufferedRecord(key, value, timestamp, headers, in.readUTF(), in.readInt(), in.readLong());
    }

    private static void writeBytes(DataOutput out, byte[] b) throws IOException {
        out.writeInt(b == null ? -1 : b.length);
        if (b != null) {
            out.write(b);
        }
    }

    private static byte[] readBytes(DataInput in) throws IOException {
        int length = in.readInt();
        if (length < 0) {
            return null;
        }
        byte[] bytes = new byte[length];
        in.readFully(bytes);
        return bytes;
    }
}
