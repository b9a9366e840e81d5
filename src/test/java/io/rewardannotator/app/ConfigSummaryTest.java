package io.rewardannotator.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class ConfigSummaryTest {
    @Test
    void shouldMaskEverySecretAndKeepTheRest() {
        Map<String, String> masked = ConfigSummary.masked(Map.of(
                "kafka.sasl.jaas.config", "org.apache.kafka.common.security.plain.PlainLoginModule required "
                        + "username=\"u\" password=\"p\";",
                "kafka.ssl.keystore.password", "ks",
                "kafka.ssl.key.password", "k",
                "registry.basic.auth.user.info", "user:secret",
                "registry.schema.registry.ssl.truststore.password", "ts",
                "bootstrap.servers", "broker:9092",
                "batch.max.tokens", "16384"));

        assertThat(masked).containsEntry("kafka.sasl.jaas.config", ConfigSummary.MASK)
                .containsEntry("kafka.ssl.keystore.password", ConfigSummary.MASK)
                .containsEntry("kafka.ssl.key.password", ConfigSummary.MASK)
                .containsEntry("registry.basic.auth.user.info", ConfigSummary.MASK)
                .containsEntry("registry.schema.registry.ssl.truststore.password", ConfigSummary.MASK)
                .containsEntry("bootstrap.servers", "broker:9092")
                .containsEntry("batch.max.tokens", "16384");
        assertThat(masked.toString()).doesNotContain("secret").doesNotContain("password=\"p\"");
    }
}
