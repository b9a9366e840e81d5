package io.rewardannotator.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rewardannotator.event.GeneratedResponse;
import io.rewardannotator.event.ScoredResponse;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.specific.SpecificRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class AvroSerdeRoundTripTest {

    private final String scope = "round-trip-" + UUID.randomUUID();

    static Stream<SpecificRecord> events() {
        return Stream.of(SampleEvents.generated(), SampleEvents.scored(), SampleEvents.stats());
    }

    @AfterEach
    void dropScope() {
        MockSchemaRegistry.dropScope(scope);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("events")
    <T extends SpecificRecord> void shouldReadSameRecordWhenSpecificRecordMakesRoundTrip(T event) {
        // given
        @SuppressWarnings("unchecked")
        Class<T> type = (Class<T>) event.getClass();
        try (SpecificAvroSerde<T> serde = new SpecificAvroSerde<>(type)) {
            serde.configure(config(), false);

            // when
            byte[] bytes = serde.serializer().serialize("events", event);
            T read = serde.deserializer().deserialize("events", bytes);

            // then
            assertThat(read).isEqualTo(event);
            assertThat(bytes[0]).isZero();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("events")
    void shouldWriteIdenticalBytesWhenSameRecordIsWrittenGenerically(SpecificRecord event) {
        // given: the event read back both ways (an Avro map has no order: both readers fill a HashMap)
        try (SpecificAvroSerde<SpecificRecord> specific = new SpecificAvroSerde<>();
             GenericAvroSerde generic = new GenericAvroSerde()) {
            specific.configure(config(), false);
            generic.configure(config(), false);
            byte[] original = specific.serializer().serialize("events", event);
            SpecificRecord asSpecific = specific.deserializer().deserialize("events", original);
            GenericRecord asGeneric = generic.deserializer().deserialize("events", original);

            // when
            byte[] specificBytes = specific.serializer().serialize("events", asSpecific);
            byte[] genericBytes = generic.serializer().serialize("events", asGeneric);

            // then
            assertThat(asGeneric.getSchema()).isEqualTo(event.getSchema());
            assertThat(genericBytes).containsExactly(specificBytes);
            assertThat(genericBytes).hasSameSizeAs(original);
        }
    }

    @Test
    void shouldExposeFieldsWhenReadGenerically() {
        // given
        ScoredResponse event = SampleEvents.scored();
        try (GenericAvroSerde serde = new GenericAvroSerde();
             SpecificAvroSerializer<ScoredResponse> serializer = new SpecificAvroSerializer<>()) {
            serde.configure(config(), false);
            serializer.configure(config(), false);

            // when
            GenericRecord read = serde.deserializer().deserialize("scored", serializer.serialize("scored", event));

            // then
            assertThat(read.get("response_id")).hasToString("r-0001");
            assertThat(read.get("scored_at")).isEqualTo(SampleEvents.SCORED_AT.toEpochMilli());
            assertThat(((GenericRecord) read.get("reward")).get("score")).isEqualTo(0.25);
        }
    }

    @Test
    void shouldRoundTripOverHttpWhenRegistryIsRemote() {
        // given
        try (RegistryHttpFixture fixture = RegistryHttpFixture.start();
             SpecificAvroSerde<ScoredResponse> serde = new SpecificAvroSerde<>(ScoredResponse.class)) {
            serde.configure(Map.of(RegistryConfig.URL_CONFIG, fixture.url()), false);

            // when
            byte[] bytes = serde.serializer().serialize("scored-responses", SampleEvents.scored());
            ScoredResponse read = serde.deserializer().deserialize("scored-responses", bytes);

            // then
            assertThat(read).isEqualTo(SampleEvents.scored());
            assertThat(fixture.requests()).extracting(RegistryHttpFixture.Request::path)
                    .contains("/subjects/scored-responses-value/versions");
        }
    }

    @Test
    void shouldRegisterUnderKeySubjectWhenSerdeIsForKeys() {
        // given
        try (SpecificAvroSerializer<GeneratedResponse> serializer = new SpecificAvroSerializer<>()) {
            serializer.configure(config(), true);

            // when
            serializer.serialize("generated", SampleEvents.generated());

            // then
            assertThat(MockSchemaRegistry.clientForScope(scope).latestVersion("generated-key").schema())
                    .isEqualTo(GeneratedResponse.getClassSchema());
        }
    }

    @Test
    void shouldRegisterUnderRecordNameWhenRecordNameStrategyIsConfigured() {
        // given
        try (SpecificAvroSerializer<GeneratedResponse> serializer = new SpecificAvroSerializer<>()) {
            serializer.configure(config(SerdeConfig.VALUE_SUBJECT_NAME_STRATEGY_CONFIG,
                    "io.confluent.kafka.serializers.subject.RecordNameStrategy"), false);

            // when
            serializer.serialize("generated", SampleEvents.generated());

            // then
            assertThat(MockSchemaRegistry.clientForScope(scope)
                    .latestVersion("io.rewardannotator.event.GeneratedResponse").version()).isEqualTo(1);
        }
    }

    @Test
    void shouldPassTombstoneThroughWhenRecordIsNull() {
        // given
        try (SpecificAvroSerde<ScoredResponse> serde = new SpecificAvroSerde<>(ScoredResponse.class)) {
            serde.configure(config(), false);

            // when / then
            assertThat(serde.serializer().serialize("scored", null)).isNull();
            assertThat(serde.deserializer().deserialize("scored", null)).isNull();
        }
    }

    @Test
    void shouldReturnGeneratedClassWhenSpecificAvroReaderIsSet() {
        // given
        byte[] bytes = serialize(SampleEvents.scored());
        try (AvroDeserializer specific = new AvroDeserializer(); AvroDeserializer generic = new AvroDeserializer();
             SpecificAvroDeserializer<ScoredResponse> byWriterName = new SpecificAvroDeserializer<>()) {
            specific.configure(config(SerdeConfig.SPECIFIC_AVRO_READER_CONFIG, "true"), false);
            generic.configure(config(), false);
            byWriterName.configure(config(), false);

            // when / then
            assertThat(specific.deserialize("scored", bytes)).isEqualTo(SampleEvents.scored());
            assertThat(generic.deserialize("scored", bytes)).isInstanceOf(GenericRecord.class)
                    .isNotInstanceOf(ScoredResponse.class);
            assertThat(byWriterName.deserialize("scored", bytes)).isEqualTo(SampleEvents.scored());
        }
    }

    @Test
    void shouldExplainWhenSerdeIsUsedBeforeConfigure() {
        // given
        SpecificAvroSerde<ScoredResponse> serde = new SpecificAvroSerde<>(ScoredResponse.class);

        // when / then
        assertThatThrownBy(() -> serde.serializer().serialize("scored", SampleEvents.scored()))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("configure");
        assertThatThrownBy(() -> serde.deserializer().deserialize("scored", new byte[] {0, 0, 0, 0, 1}))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("schema.registry.url");
    }

    private byte[] serialize(SpecificRecord event) {
        try (SpecificAvroSerializer<SpecificRecord> serializer = new SpecificAvroSerializer<>()) {
            serializer.configure(config(), false);
            return serializer.serialize("scored", event);
        }
    }

    private Map<String, Object> config(Object... keyValues) {
        return TestConfigs.mock(scope, keyValues);
    }
}
