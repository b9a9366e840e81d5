package io.rewardannotator.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rewardannotator.event.GeneratedResponse;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.apache.avro.Schema.Field;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Old writers and new readers, and the serializer's choice of writer schema. */
class SchemaEvolutionSerdeTest {

    private final String scope = "evolution-" + UUID.randomUUID();
    private final SchemaRegistryClient registry = MockSchemaRegistry.clientForScope(scope);

    @AfterEach
    void dropScope() {
        MockSchemaRegistry.dropScope(scope);
    }

    @Test
    void shouldFillDefaultWhenOldRecordIsReadWithNewSchema() {
        // given
        byte[] written = serializeGeneric(config(), "tiny", TinySchemas.v1("a", 1, 2));

        // when
        GenericRecord read;
        try (GenericAvroDeserializer deserializer = new GenericAvroDeserializer(TinySchemas.V2)) {
            deserializer.configure(config(), false);
            read = deserializer.deserialize("tiny", written);
        }

        // then
        assertThat(read.getSchema()).isEqualTo(TinySchemas.V2);
        assertThat(read.get("tag")).hasToString("none");
        assertThat(read.get("n")).isEqualTo(1);
    }

    @Test
    void shouldReadOlderGeneratedResponseWhenOptionalFieldsWereMissing() {
        // given: a first version of the event without prompt_id and metadata
        Schema older = withoutFields(GeneratedResponse.getClassSchema(), Set.of("prompt_id", "metadata"));
        GenericRecord old = new GenericData.Record(older);
        GeneratedResponse current = SampleEvents.generated();
        for (Field field : older.getFields()) {
            old.put(field.name(), GenericData.get().deepCopy(field.schema(), genericValue(current, field.name())));
        }
        byte[] written = serializeGeneric(config(), "generated", old);

        // when
        GeneratedResponse read;
        try (SpecificAvroDeserializer<GeneratedResponse> deserializer =
                     new SpecificAvroDeserializer<>(GeneratedResponse.class)) {
            deserializer.configure(config(), false);
            read = deserializer.deserialize("generated", written);
        }

        // then
        assertThat(read.getPromptId()).isNull();
        assertThat(read.getMetadata()).isEmpty();
        assertThat(read.getResponseId()).isEqualTo(current.getResponseId());
        assertThat(read.getPrompt()).isEqualTo(current.getPrompt());
        assertThat(read.getGeneratedAt()).isEqualTo(SampleEvents.GENERATED_AT);
    }

    @Test
    void shouldRefuseRecordWhenWriterSchemaLacksRequiredField() {
        // given
        Schema broken = withoutFields(GeneratedResponse.getClassSchema(), Set.of("response"));
        GenericRecord record = new GenericData.Record(broken);
        GeneratedResponse current = SampleEvents.generated();
        for (Field field : broken.getFields()) {
            record.put(field.name(), GenericData.get().deepCopy(field.schema(), genericValue(current, field.name())));
        }
        byte[] written = serializeGeneric(config(), "generated", record);

        // when / then
        try (SpecificAvroDeserializer<GeneratedResponse> deserializer =
                     new SpecificAvroDeserializer<>(GeneratedResponse.class)) {
            deserializer.configure(config(), false);
            assertThatThrownBy(() -> deserializer.deserialize("generated", written))
                    .isInstanceOfSatisfying(ReaderSchemaMismatchException.class,
                            e -> assertThat(e.reason()).isEqualTo("INCOMPATIBLE_WRITER_SCHEMA"))
                    .hasMessageContaining("READER_FIELD_MISSING_DEFAULT")
                    .hasMessageContaining("response");
        }
    }

    @Test
    void shouldWriteWithLatestSchemaWhenUseLatestVersionIsSet() {
        // given
        registry.register("tiny-value", TinySchemas.V1);
        int latestId = registry.register("tiny-value", TinySchemas.V2);
        Map<String, Object> config = config(SerdeConfig.AUTO_REGISTER_SCHEMAS_CONFIG, false,
                SerdeConfig.USE_LATEST_VERSION_CONFIG, true);

        // when
        byte[] written = serializeGeneric(config, "tiny", TinySchemas.v1("a", 1, 2));

        // then
        assertThat(ByteBuffer.wrap(written, 1, 4).getInt()).isEqualTo(latestId);
        GenericRecord read = deserializeGeneric(written);
        assertThat(read.getSchema()).isEqualTo(TinySchemas.V2);
        assertThat(read.get("tag")).hasToString("none");
    }

    @Test
    void shouldRefuseWhenLatestSchemaCannotRepresentRecord() {
        // given
        registry.register("tiny-value", TinySchemas.BREAKING);
        Map<String, Object> config = config(SerdeConfig.AUTO_REGISTER_SCHEMAS_CONFIG, false,
                SerdeConfig.USE_LATEST_VERSION_CONFIG, true);

        // when / then
        assertThatThrownBy(() -> serializeGeneric(config, "tiny", TinySchemas.v1("a", 1, 2)))
                .isInstanceOf(UnwritableRecordException.class)
                .hasMessageContaining("use.latest.version=false")
                .hasMessageContaining("tag");
    }

    @Test
    void shouldLookUpIdWithoutRegisteringWhenAutoRegisterIsOff() {
        // given
        int id = registry.register("tiny-value", TinySchemas.V1);

        // when
        byte[] written = serializeGeneric(config(SerdeConfig.AUTO_REGISTER_SCHEMAS_CONFIG, false),
                "tiny", TinySchemas.v1("a", 1, 2));

        // then
        assertThat(ByteBuffer.wrap(written, 1, 4).getInt()).isEqualTo(id);
        assertThat(registry.latestVersion("tiny-value").version()).isEqualTo(1);
    }

    @Test
    void shouldRefuseToWriteWhenAutoRegisterIsOffAndSchemaIsNotRegistered() {
        // given
        Map<String, Object> config = config(SerdeConfig.AUTO_REGISTER_SCHEMAS_CONFIG, "false");

        // when / then
        assertThatThrownBy(() -> serializeGeneric(config, "tiny", TinySchemas.v1("a", 1, 2)))
                .isInstanceOf(SubjectNotFoundException.class);
        registry.register("tiny-value", TinySchemas.V2);
        assertThatThrownBy(() -> serializeGeneric(config, "tiny", TinySchemas.v1("a", 1, 2)))
                .isInstanceOf(SchemaNotRegisteredException.class)
                .hasMessageContaining("auto.register.schemas=true");
    }

    private static Object genericValue(GeneratedResponse event, String field) {
        Object value = event.get(field);
        return value instanceof Instant instant ? instant.toEpochMilli() : value;
    }

    private static Schema withoutFields(Schema record, Set<String> removed) {
        List<Field> fields = new ArrayList<>();
        for (Field field : record.getFields()) {
            if (!removed.contains(field.name())) {
                fields.add(new Field(field, field.schema()));
            }
        }
        return Schema.createRecord(record.getName(), record.getDoc(), record.getNamespace(), false, fields);
    }

    private byte[] serializeGeneric(Map<String, Object> config, String topic, GenericRecord record) {
        try (GenericAvroSerializer serializer = new GenericAvroSerializer()) {
            serializer.configure(config, false);
            return serializer.serialize(topic, record);
        }
    }

    private GenericRecord deserializeGeneric(byte[] bytes) {
        try (GenericAvroDeserializer deserializer = new GenericAvroDeserializer()) {
            deserializer.configure(config(), false);
            return deserializer.deserialize("tiny", bytes);
        }
    }

    private Map<String, Object> config(Object... keyValues) {
        return TestConfigs.mock(scope, keyValues);
    }
}
