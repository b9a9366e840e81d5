package io.rewardannotator.streams;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;

class BufferedRecordSerdeTest {
    @Test
    void shouldRoundTripEveryField() {
        RecordHeaders headers = new RecordHeaders();
        headers.add("trace", "abc".getBytes(StandardCharsets.UTF_8));
        headers.add("empty", null);
        BufferedRecord in = new BufferedRecord(new byte[] {1, 2}, new byte[] {0, 0, 0, 0, 1, 42}, 1234L, headers,
                "generated-responses", 3, 99L);

        BufferedRecord out = roundTrip(in);

        assertThat(out.key()).containsExactly(1, 2);
        assertThat(out.value()).containsExactly(0, 0, 0, 0, 1, 42);
        assertThat(out.timestamp()).isEqualTo(1234L);
        assertThat(out.topic()).isEqualTo("generated-responses");
        assertThat(out.partition()).isEqualTo(3);
        assertThat(out.offset()).isEqualTo(99L);
        assertThat(new String(out.headers().lastHeader("trace").value(), StandardCharsets.UTF_8)).isEqualTo("abc");
        assertThat(out.headers().lastHeader("empty").value()).isNull();
    }

    @Test
    void shouldKeepNullKey() {
        BufferedRecord in = new BufferedRecord(null, new byte[] {7}, 1L, new RecordHeaders(), "t", 0, 0L);

        assertThat(roundTrip(in).key()).isNull();
    }

    @Test
    void shouldRefuseUnknownLayoutVersion() {
        byte[] bytes = BufferedRecordSerde.SERDE.serializer().serialize("t", new BufferedRecord(null, new byte[] {7}, 1L, new RecordHeaders(),
                "t", 0, 0L));
        bytes[0] = 9;

        assertThatThrownBy(() -> BufferedRecordSerde.SERDE.deserializer().deserialize("t", bytes)).hasMessageContaining("layout version 9");
    }

    private static BufferedRecord roundTrip(BufferedRecord in) {
        return BufferedRecordSerde.SERDE.deserializer().deserialize("t",
                BufferedRecordSerde.SERDE.serializer().serialize("t", in));
    }
}
