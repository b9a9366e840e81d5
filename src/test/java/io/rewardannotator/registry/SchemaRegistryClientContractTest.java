package io.rewardannotator.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** What every registry client does, checked against the mock:// registry and against HTTP. */
class SchemaRegistryClientContractTest {

    /** A client under test and what to release after it; JUnit closes it after each invocation. */
    record Registry(String name, SchemaRegistryClient client, Runnable cleanup) implements AutoCloseable {

        @Override
        public void close() {
            client.close();
            cleanup.run();
        }

        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Registry> registries() {
        String scope = "contract-" + UUID.randomUUID();
        RegistryHttpFixture fixture = RegistryHttpFixture.start();
        return Stream.of(
                new Registry("mock", MockSchemaRegistry.clientForScope(scope), () -> MockSchemaRegistry.dropScope(scope)),
                new Registry("http", SchemaRegistryClient.create(
                        RegistryConfig.from(Map.of(RegistryConfig.URL_CONFIG, fixture.url()))), fixture::close));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("registries")
    void shouldReturnSameIdWhenSameSchemaIsRegisteredTwice(Registry registry) {
        // given
        int first = registry.client().register("tiny-value", TinySchemas.V1);

        // when
        int second = registry.client().register("tiny-value", TinySchemas.V1);

        // then
        assertThat(second).isEqualTo(first).isPositive();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("registries")
    void shouldShareIdWhenSameSchemaIsRegisteredUnderTwoSubjects(Registry registry) {
        // given
        int inFirst = registry.client().register("a-value", TinySchemas.V1);

        // when
        int inSecond = registry.client().register("b-value", TinySchemas.V1);

        // then
        assertThat(inSecond).isEqualTo(inFirst);
        assertThat(registry.client().latestVersion("b-value").version()).isEqualTo(1);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("registries")
    void shouldAddVersionWhenCompatibleSchemaIsRegistered(Registry registry) {
        // given
        int v1 = registry.client().register("tiny-value", TinySchemas.V1);

        // when
        int v2 = registry.client().register("tiny-value", TinySchemas.V2);

        // then
        RegisteredSchema latest = registry.client().latestVersion("tiny-value");
        assertThat(v2).isNotEqualTo(v1);
        assertThat(latest.id()).isEqualTo(v2);
        assertThat(latest.version()).isEqualTo(2);
        assertThat(latest.subject()).isEqualTo("tiny-value");
        assertThat(latest.schema()).isEqualTo(TinySchemas.V2);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("registries")
    void shouldRefuseRegistrationWhenSchemaIsIncompatible(Registry registry) {
        // given
        registry.client().register("tiny-value", TinySchemas.V1);

        // when / then
        assertThatThrownBy(() -> registry.client().register("tiny-value", TinySchemas.BREAKING))
                .isInstanceOfSatisfying(IncompatibleSchemaException.class, e -> {
                    assertThat(e.errorCode()).isEqualTo(409);
                    assertThat(e.reason()).isEqualTo("INCOMPATIBLE_SCHEMA");
                })
                .hasMessageContaining("tiny-value")
                .hasMessageContaining("add fields only with a default");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("registries")
    void shouldFindIdWhenSchemaIsRegisteredUnderSubject(Registry registry) {
        // given
        int registered = registry.client().register("tiny-value", TinySchemas.V1);

        // when
        int found = registry.client().idOf("tiny-value", TinySchemas.V1);

        // then
        assertThat(found).isEqualTo(registered);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("registries")
    void shouldThrowSchemaNotRegisteredWhenSubjectHoldsOtherSchema(Registry registry) {
        // given
        registry.client().register("tiny-value", TinySchemas.V1);

        // when / then
        assertThatThrownBy(() -> registry.client().idOf("tiny-value", TinySchemas.V2))
                .isInstanceOfSatisfying(SchemaNotRegisteredException.class,
                        e -> assertThat(e.errorCode()).isEqualTo(40403))
                .hasMessageContaining("test.Tiny")
                .hasMessageContaining("auto.register.schemas=true");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("registries")
    void shouldThrowSubjectNotFoundWhenSubjectIsUnknown(Registry registry) {
        // when / then
        assertThatThrownBy(() -> registry.client().latestVersion("nobody-value"))
                .isInstanceOfSatisfying(SubjectNotFoundException.class, e -> assertThat(e.errorCode()).isEqualTo(40401))
                .hasMessageContaining("'nobody-value'")
                .hasMessageContaining("value.subject.name.strategy");
        assertThatThrownBy(() -> registry.client().idOf("nobody-value", TinySchemas.V1))
                .isInstanceOf(SubjectNotFoundException.class);
        assertThatThrownBy(() -> registry.client().isCompatible("nobody-value", TinySchemas.V1))
                .isInstanceOf(SubjectNotFoundException.class);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("registries")
    void shouldReturnSchemaWhenIdIsRegistered(Registry registry) {
        // given
        int id = registry.client().register("tiny-value", TinySchemas.V1);

        // when
        var schema = registry.client().schemaById(id);

        // then
        assertThat(schema).isEqualTo(TinySchemas.V1);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("registries")
    void shouldThrowUnknownSchemaIdWhenIdIsNotRegistered(Registry registry) {
        // when / then
        assertThatThrownBy(() -> registry.client().schemaById(4711))
                .isInstanceOfSatisfying(UnknownSchemaIdException.class, e -> {
                    assertThat(e.errorCode()).isEqualTo(40403);
                    assertThat(e.reason()).isEqualTo("UNKNOWN_SCHEMA_ID");
                    assertThat(e.isRetriable()).isFalse();
                })
                .hasMessageContaining("4711")
                .hasMessageContaining("schema.registry.url");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("registries")
    void shouldTellCompatibilityWhenCheckingAgainstLatestVersion(Registry registry) {
        // given
        registry.client().register("tiny-value", TinySchemas.V1);

        // when
        boolean evolved = registry.client().isCompatible("tiny-value", TinySchemas.V2);
        boolean broken = registry.client().isCompatible("tiny-value", TinySchemas.BREAKING);

        // then
        assertThat(evolved).isTrue();
        assertThat(broken).isFalse();
    }
}
