package io.rewardannotator.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rewardannotator.event.GeneratedResponse;
import io.rewardannotator.event.ScoredResponse;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import java.util.UUID;
import org.apache.avro.Schema;
import org.apache.avro.util.ClassSecurityValidator;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Every way a payload can be unreadable, each with its own exception type and reason. */
class AvroDeserializerErrorTest {

    private final String scope = "errors-" + UUID.randomUUID();
    private final SpecificAvroDeserializer<ScoredResponse> deserializer =
            new SpecificAvroDeserializer<>(ScoredResponse.class);
    private byte[] valid;

    @BeforeEach
    void configure() {
        deserializer.configure(TestConfigs.mock(scope), false);
        try (SpecificAvroSerializer<ScoredResponse> serializer = new SpecificAvroSerializer<>()) {
            serializer.configure(TestConfigs.mock(scope), false);
            valid = serializer.serialize("scored", SampleEvents.scored());
        }
    }

    @AfterEach
    void close() {
        deserializer.close();
        MockSchemaRegistry.dropScope(scope);
    }

    @Test
    void shouldReturnNullWhenPayloadIsNull() {
        assertThat(deserializer.deserialize("scored", null)).isNull();
    }

    @Test
    void shouldThrowWrongMagicByteWhenPayloadIsNotWireFormat() {
        // given
        byte[] json = "{\"response_id\":\"r-1\"}".getBytes(StandardCharsets.UTF_8);

        // when / then
        assertThatThrownBy(() -> deserializer.deserialize("scored", json))
                .isInstanceOfSatisfying(WrongMagicByteException.class, e -> {
                    assertThat(e.reason()).isEqualTo("WRONG_MAGIC_BYTE");
                    assertThat(e.isRetriable()).isFalse();
                })
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("'scored'")
                .hasMessageContaining("0x7b");
    }

    @Test
    void shouldThrowTruncatedWhenPayloadIsShorterThanHeader() {
        assertThatThrownBy(() -> deserializer.deserialize("scored", new byte[0]))
                .isInstanceOfSatisfying(TruncatedPayloadException.class,
                        e -> assertThat(e.reason()).isEqualTo("TRUNCATED_PAYLOAD"))
                .hasMessageContaining("0 bytes");
        assertThatThrownBy(() -> deserializer.deserialize("scored", new byte[] {0, 0, 0}))
                .isInstanceOf(TruncatedPayloadException.class)
                .hasMessageContaining("3 bytes");
    }

    @Test
    void shouldThrowTruncatedWhenDatumEndsEarly() {
        // given
        byte[] cut = Arrays.copyOf(valid, valid.length - 10);

        // when / then
        assertThatThrownBy(() -> deserializer.deserialize("scored", cut))
                .isInstanceOf(TruncatedPayloadException.class)
                .hasMessageContaining("ends before its Avro datum");
    }

    @Test
    void shouldThrowUnknownSchemaIdWhenRegistryDoesNotKnowId() {
        // given
        byte[] unknownId = valid.clone();
        unknownId[4] = 99;

        // when / then
        assertThatThrownBy(() -> deserializer.deserialize("scored", unknownId))
                .isInstanceOfSatisfying(UnknownSchemaIdException.class,
                        e -> assertThat(e.reason()).isEqualTo("UNKNOWN_SCHEMA_ID"))
                .hasMessageContaining("Schema id 99");
    }

    @Test
    void shouldThrowMalformedWhenStringLengthIsNegative() {
        // given: response_id's length is the varint right after the header; 0x01 is zig-zag -1
        byte[] negativeLength = valid.clone();
        negativeLength[5] = 0x01;

        // when / then
        assertThatThrownBy(() -> deserializer.deserialize("scored", negativeLength))
                .isInstanceOfSatisfying(MalformedPayloadException.class,
                        e -> assertThat(e.reason()).isEqualTo("MALFORMED_PAYLOAD"))
                .hasMessageContaining("not valid Avro");
    }

    @Test
    void shouldThrowMalformedWhenUnionBranchDoesNotExist() {
        // given: prompt_id is a union ["null", "string"] right after response_id "r-0001" (1 + 6 bytes)
        byte[] badBranch = valid.clone();
        badBranch[5 + 7] = 0x08; // branch 4

        // when / then
        assertThatThrownBy(() -> deserializer.deserialize("scored", badBranch))
                .isInstanceOf(MalformedPayloadException.class);
    }

    @Test
    void shouldThrowReaderSchemaMismatchWhenRecordIsOfAnotherType() {
        // given
        byte[] generated;
        try (SpecificAvroSerializer<GeneratedResponse> serializer = new SpecificAvroSerializer<>()) {
            serializer.configure(TestConfigs.mock(scope), false);
            generated = serializer.serialize("generated", SampleEvents.generated());
        }

        // when / then
        assertThatThrownBy(() -> deserializer.deserialize("scored", generated))
                .isInstanceOf(ReaderSchemaMismatchException.class)
                .hasMessageContaining("io.rewardannotator.event.GeneratedResponse")
                .hasMessageContaining("wrong topic");
    }

    @Test
    void shouldNotTrustClassWhenWriterSchemaNamesNonAvroClass() {
        // given: a writer schema named like a JDK class
        Schema hostile = new Schema.Parser().parse(
                "{\"type\":\"record\",\"name\":\"ProcessBuilder\",\"namespace\":\"java.lang\",\"fields\":[]}");
        int id = MockSchemaRegistry.clientForScope(scope).register("x-value", hostile);
        byte[] payload = {0, 0, 0, 0, (byte) id};

        // when / then
        try (SpecificAvroDeserializer<ScoredResponse> byWriterName = new SpecificAvroDeserializer<>()) {
            byWriterName.configure(TestConfigs.mock(scope), false);
            assertThatThrownBy(() -> byWriterName.deserialize("x", payload))
                    .isInstanceOf(ReaderSchemaMismatchException.class)
                    .hasMessageContaining("no generated class");
        }
        assertThat(ClassSecurityValidator.getGlobal().isTrusted(ProcessBuilder.class)).isFalse();
    }

    @Test
    void shouldThrowRetriableUnavailableWhenRegistryCannotBeReached() {
        // given
        String deadUrl = TestConfigs.deadUrl();
        try (SpecificAvroDeserializer<ScoredResponse> remote = new SpecificAvroDeserializer<>(ScoredResponse.class)) {
            remote.configure(Map.of(RegistryConfig.URL_CONFIG, deadUrl, RegistryConfig.MAX_RETRIES_CONFIG, 0), false);

            // when / then
            assertThatThrownBy(() -> remote.deserialize("scored", valid))
                    .isInstanceOfSatisfying(RegistryUnavailableException.class,
                            e -> assertThat(e.isRetriable()).isTrue());
        }
    }
}
