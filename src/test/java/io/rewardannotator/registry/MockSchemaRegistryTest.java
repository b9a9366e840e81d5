package io.rewardannotator.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rewardannotator.event.ScoredResponse;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class MockSchemaRegistryTest {

    private final String scopeA = "scope-a-" + UUID.randomUUID();
    private final String scopeB = "scope-b-" + UUID.randomUUID();

    @AfterEach
    void dropScopes() {
        MockSchemaRegistry.dropScope(scopeA);
        MockSchemaRegistry.dropScope(scopeB);
    }

    @Test
    void shouldKeepSubjectsApartWhenScopesDiffer() {
        // given
        MockSchemaRegistry.clientForScope(scopeA).register("tiny-value", TinySchemas.V1);
        MockSchemaRegistry.clientForScope(scopeA).register("tiny-value", TinySchemas.V2);

        // when
        int idInB = MockSchemaRegistry.clientForScope(scopeB).register("tiny-value", TinySchemas.V2);

        // then
        assertThat(idInB).isEqualTo(1);
        assertThat(MockSchemaRegistry.clientForScope(scopeA).latestVersion("tiny-value").version()).isEqualTo(2);
        assertThat(MockSchemaRegistry.clientForScope(scopeB).latestVersion("tiny-value").version()).isEqualTo(1);
        assertThatThrownBy(() -> MockSchemaRegistry.clientForScope(scopeB).schemaById(2))
                .isInstanceOf(UnknownSchemaIdException.class)
                .hasMessageContaining("mock://" + scopeB);
    }

    @Test
    void shouldShareRegistryWhenSerdesNameSameScope() {
        // given
        Map<String, Object> config = TestConfigs.mock(scopeA);
        byte[] bytes;
        try (SpecificAvroSerializer<ScoredResponse> serializer = new SpecificAvroSerializer<>()) {
            serializer.configure(config, false);
            bytes = serializer.serialize("scored", SampleEvents.scored());
        }

        // when
        ScoredResponse read;
        try (SpecificAvroDeserializer<ScoredResponse> deserializer = new SpecificAvroDeserializer<>(ScoredResponse.class)) {
            deserializer.configure(config, false);
            read = deserializer.deserialize("scored", bytes);
        }

        // then: closing the serdes kept the scope
        assertThat(read).isEqualTo(SampleEvents.scored());
        assertThat(MockSchemaRegistry.clientForScope(scopeA).latestVersion("scored-value").schema())
                .isEqualTo(ScoredResponse.getClassSchema());
    }

    @Test
    void shouldStartEmptyWhenScopeWasDropped() {
        // given
        MockSchemaRegistry.clientForScope(scopeA).register("tiny-value", TinySchemas.V1);

        // when
        MockSchemaRegistry.dropScope(scopeA);

        // then
        assertThatThrownBy(() -> MockSchemaRegistry.clientForScope(scopeA).latestVersion("tiny-value"))
                .isInstanceOf(SubjectNotFoundException.class);
    }
}
