package io.rewardannotator.registry;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.avro.Schema;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class CachedSchemaRegistryClientTest {

    private final AtomicLong nanoTime = new AtomicLong();
    private RegistryHttpFixture fixture;
    private SchemaRegistryClient other;

    @BeforeEach
    void startRegistry() {
        fixture = RegistryHttpFixture.start();
        other = new HttpSchemaRegistryClient(config());
    }

    @AfterEach
    void stopRegistry() {
        fixture.close();
    }

    @Test
    void shouldAskRegistryOnceWhenSameSchemaIsRegisteredRepeatedly() {
        // given
        SchemaRegistryClient client = cached(Optional.empty());

        // when
        int first = client.register("tiny-value", TinySchemas.V1);
        int again = client.register("tiny-value", TinySchemas.V1);
        int lookedUp = client.idOf("tiny-value", TinySchemas.V1);
        client.schemaById(first);

        // then
        assertThat(again).isEqualTo(first);
        assertThat(lookedUp).isEqualTo(first);
        assertThat(fixture.requests()).hasSize(1);
    }

    @Test
    void shouldAskRegistryOnceWhenSchemaIsFetchedByIdRepeatedly() {
        // given
        int id = other.register("tiny-value", TinySchemas.V1);
        SchemaRegistryClient client = cached(Optional.empty());

        // when
        client.schemaById(id);
        client.schemaById(id);

        // then
        assertThat(fixture.requests()).extracting(RegistryHttpFixture.Request::path)
                .containsExactly("/subjects/tiny-value/versions", "/schemas/ids/" + id);
    }

    @Test
    void shouldRegisterAgainWhenOnlyTheDocsChanged() {
        // given
        SchemaRegistryClient client = cached(Optional.empty());
        int undocumented = client.register("tiny-value", TinySchemas.V1);
        Schema documented = new Schema.Parser().parse(
                TinySchemas.V1.toString().replace("\"name\":\"Tiny\"", "\"name\":\"Tiny\",\"doc\":\"A tiny record.\""));

        // when
        int id = client.register("tiny-value", documented);

        // then: the registry tells schemas apart by their text, so the cache must too
        assertThat(id).isNotEqualTo(undocumented);
    }

    @Test
    void shouldRefetchLatestVersionWhenTtlHasPassed() {
        // given
        other.register("tiny-value", TinySchemas.V1);
        SchemaRegistryClient client = cached(Optional.of(Duration.ofSeconds(60)));
        assertThat(client.latestVersion("tiny-value").version()).isEqualTo(1);
        other.register("tiny-value", TinySchemas.V2);

        // when
        nanoTime.addAndGet(Duration.ofSeconds(59).toNanos());
        int beforeTtl = client.latestVersion("tiny-value").version();
        nanoTime.addAndGet(Duration.ofSeconds(2).toNanos());
        int afterTtl = client.latestVersion("tiny-value").version();

        // then
        assertThat(beforeTtl).isEqualTo(1);
        assertThat(afterTtl).isEqualTo(2);
    }

    @Test
    void shouldKeepLatestVersionWhenNoTtlIsConfigured() {
        // given
        other.register("tiny-value", TinySchemas.V1);
        SchemaRegistryClient client = cached(Optional.empty());
        client.latestVersion("tiny-value");
        other.register("tiny-value", TinySchemas.V2);

        // when
        nanoTime.addAndGet(Duration.ofDays(1).toNanos());
        RegisteredSchema latest = client.latestVersion("tiny-value");

        // then
        assertThat(latest.version()).isEqualTo(1);
    }

    private SchemaRegistryClient cached(Optional<Duration> latestTtl) {
        return new CachedSchemaRegistryClient(new HttpSchemaRegistryClient(config()), latestTtl, nanoTime::get);
    }

    private RegistryConfig config() {
        return RegistryConfig.from(Map.of(RegistryConfig.URL_CONFIG, fixture.url()));
    }
}
