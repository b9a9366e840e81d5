package io.rewardannotator.registry;

import java.io.ByteArrayOutputStream;

/**
 * Confluent's framing of a record: the magic byte 0, the writer schema's id as a 4-byte big-endian
 * integer, then the Avro binary encoding of the datum (no Avro container header, no fingerprint).
 */
final class WireFormat {

    static final byte MAGIC_BYTE = 0;
    static final int HEADER_SIZE = 5;

    private WireFormat() {
    }

    static void writeHeader(ByteArrayOutputStream out, int schemaId) {
        out.write(MAGIC_BYTE);
        out.write(schemaId >>> 24);
        out.write(schemaId >>> 16);
        out.write(schemaId >>> 8);
        out.write(schemaId);
    }

    /** The schema id of a framed payload, after checking the magic byte and the header's length. */
    static int schemaId(String topic, byte[] payload) {
        if (payload.length > 0 && payload[0] != MAGIC_BYTE) {
            throw new WrongMagicByteException(topic, payload[0]);
        }
        if (payload.length < HEADER_SIZE) {
            throw new TruncatedPayloadException(String.format("Record on topic '%s' has %d bytes, fewer than the %d of "
                    + "the wire format's header (magic byte and schema id)", topic, payload.length, HEADER_SIZE), null);
        }
        return (payload[1] & 0xff) << 24 | (payload[2] & 0xff) << 16 | (payload[3] & 0xff) << 8 | payload[4] & 0xff;
    }
}
