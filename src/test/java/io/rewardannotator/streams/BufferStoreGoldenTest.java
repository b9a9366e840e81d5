package io.rewardannotator.streams;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.Serde;
import org.junit.jupiter.api.Test;

/**
 * The buffer store's changelog is read back by the next release after an upgrade: its bytes, committed in
 * src/test/resources/golden/state, must keep decoding to the same record and be what this release writes.
 */
class BufferStoreGoldenTest {
    private static final String GOLDEN = "/golden/state/buffered-record-v1.bin";
    private static final Serde<BufferedRecord> BUFFER_SERDE = BufferedRecordSerde.SERDE;

    /** The record the golden bytes hold: every field set, a null key, a header with a null value. */
    static BufferedRecord golden() {
        RecordHeaders headers = new RecordHeaders();
        headers.add("traceparent", "00-4bf92f3577b34da6-00f067aa0ba902b7-01".getBytes(StandardCharsets.UTF_8));
        headers.add("empty", null);
        return new BufferedRecord(null, new byte[] {0, 0, 0, 0, 7, 2, 'h', 'i'}, 1_717_171_717_000L, headers,
                "generated-responses", 5, 123_456_789L);
    }

    @Test
    void shouldDecodeTheChangelogBytesOfLayoutVersionOne() throws IOException {
        Serde<BufferedRecord> serde = BUFFER_SERDE;

        BufferedRecord decoded = serde.deserializer().deserialize("changelog", goldenBytes());

        BufferedRecord expected = golden();
        assertThat(decoded.key()).isNull();
        assertThat(decoded.value()).isEqualTo(expected.value());
        assertThat(decoded.timestamp()).isEqualTo(expected.timestamp());
        assertThat(decoded.topic()).isEqualTo("generated-responses");
        assertThat(decoded.partition()).isEqualTo(5);
        assertThat(decoded.offset()).isEqualTo(123_456_789L);
        assertThat(decoded.headers().toArray()).hasSize(2);
        assertThat(decoded.headers().lastHeader("traceparent").value())
                .isEqualTo(expected.headers().lastHeader("traceparent").value());
        assertThat(decoded.headers().lastHeader("empty").value()).isNull();
    }

    @Test
    void shouldWriteTodaysLayoutByteForByte() throws IOException {
        byte[] written = BUFFER_SERDE.serializer().serialize("changelog", golden());

        assertThat(written).isEqualTo(goldenBytes());
    }

    private static byte[] goldenBytes() throws IOException {
        try (InputStream in = BufferStoreGoldenTest.class.getResourceAsStream(GOLDEN)) {
            assertThat(in).as(GOLDEN).isNotNull();
            return in.readAllBytes();
        }
    }
}
