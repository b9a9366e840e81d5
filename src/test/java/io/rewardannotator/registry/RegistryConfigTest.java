package io.rewardannotator.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rewardannotator.registry.RegistryConfig.BasicCredentials;
import java.net.URI;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;

class RegistryConfigTest {

    @Test
    void shouldUseConfluentDefaultsWhenOnlyUrlIsSet() {
        // when
        RegistryConfig config = RegistryConfig.from(Map.of("schema.registry.url", "http://registry:8081"));

        // then
        assertThat(config.urls()).containsExactly(URI.create("http://registry:8081"));
        assertThat(config.credentials()).isEmpty();
        assertThat(config.truststore()).isEmpty();
        assertThat(config.connectTimeout()).isEqualTo(Duration.ofSeconds(60));
        assertThat(config.requestTimeout()).isEqualTo(Duration.ofSeconds(60));
        assertThat(config.maxRetries()).isEqualTo(3);
        assertThat(config.retryWait()).isEqualTo(Duration.ofSeconds(1));
        assertThat(config.retryMaxWait()).isEqualTo(Duration.ofSeconds(20));
        assertThat(config.latestCacheTtl()).isEmpty();
        assertThat(config.mockScope()).isEmpty();
    }

    @Test
    void shouldSplitUrlsWhenSeveralAreCommaSeparated() {
        // when
        RegistryConfig config = RegistryConfig.from(Map.of("schema.registry.url", "http://a:8081, https://b:8082/sr"));

        // then
        assertThat(config.urls()).containsExactly(URI.create("http://a:8081"), URI.create("https://b:8082/sr"));
    }

    @Test
    void shouldParseNumbersWhenGivenAsStrings() {
        // when
        RegistryConfig config = RegistryConfig.from(Map.of("schema.registry.url", "http://a:8081",
                "max.retries", "5", "retries.wait.ms", "250", "http.read.timeout.ms", "1500",
                "latest.cache.ttl.sec", "30"));

        // then
        assertThat(config.maxRetries()).isEqualTo(5);
        assertThat(config.retryWait()).isEqualTo(Duration.ofMillis(250));
        assertThat(config.requestTimeout()).isEqualTo(Duration.ofMillis(1500));
        assertThat(config.latestCacheTtl()).contains(Duration.ofSeconds(30));
    }

    @Test
    void shouldNameScopeWhenUrlIsMock() {
        // when
        RegistryConfig config = RegistryConfig.from(Map.of("schema.registry.url", "mock://MyTest_scope"));

        // then
        assertThat(config.mockScope()).contains("MyTest_scope");
    }

    @Test
    void shouldTakeCredentialsFromUserInfoWhenSourceIsUserInfo() {
        // when
        RegistryConfig config = RegistryConfig.from(Map.of("schema.registry.url", "https://sr:443",
                "basic.auth.credentials.source", "USER_INFO", "basic.auth.user.info", "key:se:cret"));

        // then
        assertThat(config.credentials()).contains(new BasicCredentials("key", "se:cret"));
        assertThat(config.credentials().orElseThrow().authorizationHeader()).isEqualTo("Basic a2V5OnNlOmNyZXQ=");
    }

    @Test
    void shouldAcceptLegacyUserInfoPropertyWhenSourceIsUserInfo() {
        // when
        RegistryConfig config = RegistryConfig.from(Map.of("schema.registry.url", "https://sr:443",
                "basic.auth.credentials.source", "USER_INFO", "schema.registry.basic.auth.user.info", "u:p"));

        // then
        assertThat(config.credentials()).contains(new BasicCredentials("u", "p"));
    }

    @Test
    void shouldTakeCredentialsFromUrlAndStripThemWhenSourceIsUrl() {
        // when
        RegistryConfig config = RegistryConfig.from(Map.of("schema.registry.url", "https://u:p@sr:443/base"));

        // then
        assertThat(config.credentials()).contains(new BasicCredentials("u", "p"));
        assertThat(config.urls()).containsExactly(URI.create("https://sr:443/base"));
    }

    @Test
    void shouldHidePasswordsWhenPrinted() {
        // when
        RegistryConfig config = RegistryConfig.from(Map.of("schema.registry.url", "https://sr:443",
                "basic.auth.credentials.source", "USER_INFO", "basic.auth.user.info", "key:topsecret",
                "schema.registry.ssl.truststore.location", "/etc/trust.jks",
                "schema.registry.ssl.truststore.password", "storesecret"));

        // then
        assertThat(config.toString()).contains("key").doesNotContain("topsecret").doesNotContain("storesecret");
    }

    @Test
    void shouldNamePropertyWhenConfigurationIsInvalid() {
        assertInvalid(Map.of(), "schema.registry.url");
        assertInvalid(Map.of("schema.registry.url", "registry:8081"), "schema.registry.url");
        assertInvalid(Map.of("schema.registry.url", "mock://a,http://b:1"), "mock:// URL must be the only URL");
        assertInvalid(Map.of("schema.registry.url", "http://a:1", "max.retries", -1), "max.retries");
        assertInvalid(Map.of("schema.registry.url", "http://a:1", "max.retries", "many"), "max.retries");
        assertInvalid(Map.of("schema.registry.url", "http://a:1", "http.connect.timeout.ms", 0),
                "http.connect.timeout.ms");
        assertInvalid(Map.of("schema.registry.url", "http://a:1", "basic.auth.credentials.source", "USER_INFO"),
                "basic.auth.user.info");
        assertInvalid(Map.of("schema.registry.url", "http://a:1", "basic.auth.credentials.source", "USER_INFO",
                "basic.auth.user.info", "no-colon"), "user:password");
        assertInvalid(Map.of("schema.registry.url", "http://a:1", "basic.auth.user.info", "u:p"),
                "basic.auth.credentials.source=USER_INFO");
        assertInvalid(Map.of("schema.registry.url", "http://a:1", "basic.auth.credentials.source", "SASL_INHERIT"),
                "SASL_INHERIT");
        assertInvalid(Map.of("schema.registry.url", "http://a:1", "basic.auth.credentials.source", "TOKEN"),
                "basic.auth.credentials.source");
    }

    @Test
    void shouldIgnoreOtherKafkaSettingsWhenParsing() {
        // given
        Map<String, Object> streamsConfig = new HashMap<>();
        streamsConfig.put("schema.registry.url", "http://a:1");
        streamsConfig.put("bootstrap.servers", "localhost:9092");
        streamsConfig.put("processing.guarantee", "exactly_once_v2");

        // when
        Optional<String> scope = RegistryConfig.from(streamsConfig).mockScope();

        // then
        assertThat(scope).isEmpty();
    }

    private static void assertInvalid(Map<String, ?> configs, String expectedInMessage) {
        assertThatThrownBy(() -> RegistryConfig.from(configs))
                .as("config %s", configs)
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining(expectedInMessage);
    }
}
