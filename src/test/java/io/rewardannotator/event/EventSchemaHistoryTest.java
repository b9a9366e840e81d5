package io.rewardannotator.event;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.apache.avro.JsonProperties;
import org.apache.avro.Schema;
import org.apache.avro.Schema.Field;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class EventSchemaHistoryTest {

    static Stream<SchemaHistory> histories() {
        return Stream.of(
                SchemaHistory.of("generated-response", GeneratedResponse.getClassSchema()),
                SchemaHistory.of("scored-response", ScoredResponse.getClassSchema()),
                SchemaHistory.of("reward-stats", RewardStats.getClassSchema()),
                SchemaHistory.of("scored-group", ScoredGroup.getClassSchema()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("histories")
    void shouldReadDataOfEveryRecordedVersionWhenCurrentSchemaEvolvesCompatibly(SchemaHistory history) {
        // given
        assertThat(history.versions()).as("recorded versions of %s", history.name()).isNotEmpty();

        for (Path version : history.versions()) {
            // when
            var incompatibility = SchemaHistory.backwardIncompatibility(history.current(), SchemaHistory.parse(version));

            // then
            assertThat(incompatibility)
                    .as("schemas/%s.avsc can no longer read data written with %s: a breaking change. "
                            + "Add new fields with a default; never remove or retype a field without one",
                            history.name(), version.getFileName())
                    .isEmpty();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("histories")
    void shouldRecordCurrentSchemaAsNewestVersionWhenSchemaChanges(SchemaHistory history) {
        // given
        Path newest = history.versions().get(history.versions().size() - 1);

        // when
        Schema recorded = SchemaHistory.parse(newest);

        // then
        assertThat(history.current())
                .as("schemas/%s.avsc differs from schema-history/%s/%s: record it as v%d.avsc "
                                + "(see src/test/resources/schema-history/README.md)", history.name(), history.name(),
                        newest.getFileName(), SchemaHistory.versionNumber(newest) + 1)
                .isEqualTo(recorded);
    }

    @Test
    void shouldReportBreakingChangeWhenFieldIsAddedWithoutDefault() {
        // given
        Schema current = GeneratedResponse.getClassSchema();
        Schema broken = withExtraField(current,
                new Field("temperature", Schema.create(Schema.Type.DOUBLE), "sampling temperature"));

        // when
        var incompatibility = SchemaHistory.backwardIncompatibility(broken, current);

        // then
        assertThat(incompatibility).hasValueSatisfying(why ->
                assertThat(why).contains("READER_FIELD_MISSING_DEFAULT").contains("temperature"));
    }

    @Test
    void shouldAcceptChangeWhenFieldIsAddedWithDefault() {
        // given
        Schema current = GeneratedResponse.getClassSchema();
        Schema evolved = withExtraField(current, new Field("temperature",
                Schema.createUnion(Schema.create(Schema.Type.NULL), Schema.create(Schema.Type.DOUBLE)),
                "sampling temperature", JsonProperties.NULL_VALUE));

        // when
        var incompatibility = SchemaHistory.backwardIncompatibility(evolved, current);

        // then
        assertThat(incompatibility).isEmpty();
    }

    @Test
    void shouldReportBreakingChangeWhenFieldTypeChanges() {
        // given
        Schema current = RewardStats.getClassSchema();
        Schema retyped = withFieldTypes(current, "count", Schema.create(Schema.Type.STRING));

        // when
        var incompatibility = SchemaHistory.backwardIncompatibility(retyped, current);

        // then
        assertThat(incompatibility).hasValueSatisfying(why -> assertThat(why).contains("TYPE_MISMATCH"));
    }

    private static Schema withExtraField(Schema record, Field extra) {
        List<Field> fields = copyFields(record);
        fields.add(extra);
        return Schema.createRecord(record.getName(), record.getDoc(), record.getNamespace(), false, fields);
    }

    private static Schema withFieldTypes(Schema record, String fieldName, Schema type) {
        List<Field> fields = new ArrayList<>();
        for (Field field : record.getFields()) {
            fields.add(field.name().equals(fieldName)
                    ? new Field(field.name(), type, field.doc())
                    : new Field(field, field.schema()));
        }
        return Schema.createRecord(record.getName(), record.getDoc(), record.getNamespace(), false, fields);
    }

    private static List<Field> copyFields(Schema record) {
        List<Field> fields = new ArrayList<>();
        for (Field field : record.getFields()) {
            fields.add(new Field(field, field.schema()));
        }
        return fields;
    }
}
