package io.rewardannotator.registry;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.util.List;
import java.util.UUID;
import org.apache.avro.generic.GenericRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Bytes worked out by hand from the Avro specification and Confluent's framing, compared with what the
 * serializer writes. Confluent's KafkaAvroSerializer writes exactly these bytes for this record and id.
 */
class WireFormatGoldenTest {

    private final String scope = "golden-" + UUID.randomUUID();

    /** Tiny{id: "ab", n: -3, xs: [1, -2, 300]} framed with schema id 1. */
    private static final byte[] GOLDEN = bytes(
            0x00,                   // magic byte
            0x00, 0x00, 0x00, 0x01, // schema id 1, 4 bytes big-endian
            0x04, 'a', 'b',         // id: length 2 as zig-zag varint (2 -> 4), then UTF-8 bytes
            0x05,                   // n: -3 as zig-zag varint (-3 -> 5)
            0x06,                   // xs: one block of 3 items (3 -> 6)
            0x02,                   //   1 -> 2
            0x03,                   //  -2 -> 3
            0xd8, 0x04,             // 300 -> 600 = 0b100_1011000: low 7 bits 0x58 with continuation bit, then 0x04
            0x00);                  // end of array: a block of 0 items

    @AfterEach
    void dropScope() {
        MockSchemaRegistry.dropScope(scope);
    }

    @Test
    void shouldWriteHandWorkedBytesWhenSerializingTinyRecord() {
        // given
        try (GenericAvroSerializer serializer = new GenericAvroSerializer()) {
            serializer.configure(TestConfigs.mock(scope), false);

            // when
            byte[] written = serializer.serialize("tiny", TinySchemas.v1("ab", -3, 1, -2, 300));

            // then
            assertThat(written).containsExactly(GOLDEN);
        }
    }

    @Test
    @SuppressWarnings("unchecked")
    void shouldReadHandWorkedBytesWhenDeserializingTinyRecord() {
        // given
        MockSchemaRegistry.clientForScope(scope).register("tiny-value", TinySchemas.V1);

        // when
        GenericRecord record = deserialize(GOLDEN);

        // then
        assertThat(record.get("id")).hasToString("ab");
        assertThat(record.get("n")).isEqualTo(-3);
        assertThat((List<Object>) record.get("xs")).containsExactly(1L, -2L, 300L);
    }

    @Test
    @SuppressWarnings("unchecked")
    void shouldReadArrayWhenAnotherWriterSplitsItIntoBlocks() {
        // given: the spec lets writers split arrays; a negative count is followed by the block's byte size
        MockSchemaRegistry.clientForScope(scope).register("tiny-value", TinySchemas.V1);
        byte[] split = bytes(0x00, 0x00, 0x00, 0x00, 0x01, 0x04, 'a', 'b', 0x05,
                0x02, 0x02,             // a block of 1 item: 1
                0x03, 0x0a, 0x03, 0xd8, 0x04, // a block of -(-2) = 2 items, 5 bytes long: -2, 300
                0x00);

        // when
        GenericRecord record = deserialize(split);

        // then
        assertThat((List<Object>) record.get("xs")).containsExactly(1L, -2L, 300L);
    }

    @Test
    void shouldWriteSchemaIdBigEndianWhenIdUsesEveryByte() {
        // given
        ByteArrayOutputStream out = new ByteArrayOutputStream();

        // when
        WireFormat.writeHeader(out, 0x01020304);

        // then
        assertThat(out.toByteArray()).containsExactly(0x00, 0x01, 0x02, 0x03, 0x04);
        assertThat(WireFormat.schemaId("t", out.toByteArray())).isEqualTo(0x01020304);
        assertThat(WireFormat.schemaId("t", bytes(0x00, 0xff, 0xff, 0xff, 0xfe))).isEqualTo(0xfffffffe);
    }

    private GenericRecord deserialize(byte[] payload) {
        try (GenericAvroDeserializer deserializer = new GenericAvroDeserializer()) {
            deserializer.configure(TestConfigs.mock(scope), false);
            return deserializer.deserialize("tiny", payload);
        }
    }

    private static byte[] bytes(int... values) {
        byte[] bytes = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            bytes[i] = (byte) values[i];
        }
        return bytes;
    }
}
