package io.rewardannotator.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ConfigSummaryTest {
    private static final String SECRET_VALUE = "s3cret-value";

    @ParameterizedTest
    @ValueSource(strings = {
            "kafka.sasl.jaas.config",
            "kafka.producer.sasl.jaas.config",
            "kafka.ssl.keystore.password",
            "kafka.ssl.truststore.password",
            "kafka.ssl.key.password",
            "kafka.ssl.keystore.key",
            "kafka.sasl.oauthbearer.client.credentials.client.secret",
            "kafka.sasl.client.credentials",
            "registry.basic.auth.user.info",
            "registry.schema.registry.basic.auth.user.info",
            "registry.schema.registry.ssl.truststore.password",
            "registry.schema.registry.ssl.keystore.password",
            "registry.schema.registry.ssl.key.password",
            "registry.bearer.auth.token",
            "registry.some.api.secret",
            "registry.service.credentials"})
    void shouldMaskEachSecretKey(String key) {
        Map<String, String> masked = ConfigSummary.masked(Map.of(key, SECRET_VALUE));

        assertThat(masked).containsEntry(key, ConfigSummary.MASK);
        assertThat(masked.toString()).doesNotContain(SECRET_VALUE);
    }

    @Test
    void shouldKeepSettingsThatAreNoSecrets() {
        Map<String, String> masked = ConfigSummary.masked(Map.of(
                "bootstrap.servers", "broker:9092",
                "batch.max.tokens", "16384",
                "kafka.ssl.keystore.location", "/etc/kafka/annotator.p12",
                "kafka.sasl.mechanism", "SCRAM-SHA-512"));

        assertThat(masked).containsEntry("bootstrap.servers", "broker:9092")
                .containsEntry("batch.max.tokens", "16384")
                .containsEntry("kafka.ssl.keystore.location", "/etc/kafka/annotator.p12")
                .containsEntry("kafka.sasl.mechanism", "SCRAM-SHA-512");
    }

    @Test
    void shouldMaskTheUserInfoOfAUrl() {
        Map<String, String> masked = ConfigSummary.masked(Map.of(
                "schema.registry.url", "https://annotator:" + SECRET_VALUE + "@registry:8081,https://r2:8081"));

        assertThat(masked).containsEntry("schema.registry.url",
                "https://" + ConfigSummary.MASK + "@registry:8081,https://r2:8081");
    }
}
