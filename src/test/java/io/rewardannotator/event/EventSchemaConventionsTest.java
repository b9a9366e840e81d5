package io.rewardannotator.event;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.apache.avro.Schema.Field;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class EventSchemaConventionsTest {

    static Stream<Schema> eventSchemas() {
        return Stream.of(GeneratedResponse.getClassSchema(), ScoredResponse.getClassSchema(),
                RewardStats.getClassSchema(), ScoredGroup.getClassSchema());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("eventSchemas")
    void shouldDocumentEveryRecordAndFieldWhenSchemaIsPublished(Schema event) {
        // given
        List<Schema> records = records(event);

        // when
        List<String> undocumented = new ArrayList<>();
        for (Schema record : records) {
            if (record.getDoc() == null || record.getDoc().isBlank()) {
                undocumented.add(record.getFullName());
            }
            for (Field field : record.getFields()) {
                if (field.doc() == null || field.doc().isBlank()) {
                    undocumented.add(record.getName() + "." + field.name());
                }
            }
        }

        // then
        assertThat(undocumented).as("records and fields without a doc").isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("eventSchemas")
    void shouldUseEventNamespaceWhenRecordIsNamed(Schema event) {
        // when
        List<String> namespaces = records(event).stream().map(Schema::getNamespace).distinct().toList();

        // then
        assertThat(namespaces).containsExactly("io.rewardannotator.event");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("eventSchemas")
    void shouldCarryTimestampMillisWhenFieldHoldsATime(Schema event) {
        // given
        List<Field> timeFields = records(event).stream()
                .flatMap(record -> record.getFields().stream())
                .filter(field -> field.name().endsWith("_at") || field.name().startsWith("window_"))
                .toList();

        // then
        assertThat(timeFields).isNotEmpty().allSatisfy(field ->
                assertThat(field.schema().getLogicalType()).as(field.name()).isEqualTo(LogicalTypes.timestampMillis()));
    }

    /** Every record type reachable from {@code root}, each once. */
    private static List<Schema> records(Schema root) {
        Map<Schema, Boolean> seen = new IdentityHashMap<>();
        List<Schema> records = new ArrayList<>();
        collect(root, seen, records);
        return records;
    }

    private static void collect(Schema schema, Map<Schema, Boolean> seen, List<Schema> records) {
        if (seen.put(schema, Boolean.TRUE) != null) {
            return;
        }
        switch (schema.getType()) {
            case RECORD -> {
                records.add(schema);
                schema.getFields().forEach(field -> collect(field.schema(), seen, records));
            }
            case ARRAY -> collect(schema.getElementType(), seen, records);
            case MAP -> collect(schema.getValueType(), seen, records);
            case UNION -> schema.getTypes().forEach(branch -> collect(branch, seen, records));
            default -> { }
        }
    }
}
