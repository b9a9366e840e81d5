package io.rewardannotator.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rewardannotator.registry.RegistryHttpFixture.Request;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** HTTP concerns of the client: headers, auth, retries and backoff, fail-over, error mapping. */
class HttpSchemaRegistryClientTest {

    private static final String ALICE = "Basic YWxpY2U6czNjcmV0"; // base64("alice:s3cret")

    private final List<Duration> waits = new ArrayList<>();
    private RegistryHttpFixture fixture;

    @BeforeEach
    void startRegistry() {
        fixture = RegistryHttpFixture.start();
    }

    @AfterEach
    void stopRegistry() {
        fixture.close();
    }

    @Test
    void shouldPostSchemaAsRegistryJsonWhenRegistering() {
        // given
        HttpSchemaRegistryClient client = client(Map.of());

        // when
        client.register("tiny-value", TinySchemas.V1);

        // then
        Request request = fixture.requests().get(0);
        assertThat(request.method()).isEqualTo("POST");
        assertThat(request.path()).isEqualTo("/subjects/tiny-value/versions");
        assertThat(request.contentType()).isEqualTo("application/vnd.schemaregistry.v1+json");
        assertThat(request.body()).isEqualTo("{\"schema\":" + quoted(TinySchemas.V1.toString()) + "}");
    }

    @Test
    void shouldSendBasicAuthHeaderWhenUserInfoIsConfigured() {
        // given
        fixture.requireBasicAuth(ALICE);
        HttpSchemaRegistryClient client = client(Map.of(
                RegistryConfig.CREDENTIALS_SOURCE_CONFIG, "USER_INFO",
                RegistryConfig.USER_INFO_CONFIG, "alice:s3cret"));

        // when
        int id = client.register("tiny-value", TinySchemas.V1);

        // then
        assertThat(client.schemaById(id)).isEqualTo(TinySchemas.V1);
        assertThat(fixture.requests()).extracting(Request::authorization).containsOnly(ALICE);
    }

    @Test
    void shouldSendBasicAuthHeaderWhenUrlCarriesUserInfo() {
        // given
        fixture.requireBasicAuth(ALICE);
        HttpSchemaRegistryClient client = client(Map.of(RegistryConfig.URL_CONFIG,
                fixture.url().replace("://", "://alice:s3cret@")));

        // when
        client.register("tiny-value", TinySchemas.V1);

        // then
        assertThat(fixture.requests()).extracting(Request::authorization).containsOnly(ALICE);
    }

    @Test
    void shouldThrowAuthorizationErrorWithoutRetryWhenCredentialsAreMissing() {
        // given
        fixture.requireBasicAuth(ALICE);
        HttpSchemaRegistryClient client = client(Map.of());

        // when / then
        assertThatThrownBy(() -> client.register("tiny-value", TinySchemas.V1))
                .isInstanceOfSatisfying(RegistryAuthorizationException.class, e -> {
                    assertThat(e.errorCode()).isEqualTo(401);
                    assertThat(e.isRetriable()).isFalse();
                })
                .hasMessageContaining("basic.auth.user.info");
        assertThat(fixture.requests()).hasSize(1);
    }

    @Test
    void shouldRetryWithDoublingWaitsWhenRegistryAnswers503ThenSucceeds() {
        // given
        fixture.failNext(2, 503, 50003);
        HttpSchemaRegistryClient client = client(Map.of(RegistryConfig.MAX_RETRIES_CONFIG, 3,
                RegistryConfig.RETRIES_WAIT_CONFIG, 100));

        // when
        int id = client.register("tiny-value", TinySchemas.V1);

        // then
        assertThat(id).isEqualTo(1);
        assertThat(fixture.requests()).hasSize(3);
        assertThat(waits).containsExactly(Duration.ofMillis(100), Duration.ofMillis(200));
    }

    @Test
    void shouldRetryWhenRegistryRateLimits() {
        // given
        fixture.failNext(1, 429, 429);
        HttpSchemaRegistryClient client = client(Map.of());

        // when
        int id = client.register("tiny-value", TinySchemas.V1);

        // then
        assertThat(id).isEqualTo(1);
        assertThat(waits).hasSize(1);
    }

    @Test
    void shouldCapWaitWhenBackoffExceedsMaximum() {
        // given
        fixture.failNext(4, 500, 50001);
        HttpSchemaRegistryClient client = client(Map.of(RegistryConfig.MAX_RETRIES_CONFIG, 4,
                RegistryConfig.RETRIES_WAIT_CONFIG, 100, RegistryConfig.RETRIES_MAX_WAIT_CONFIG, 250));

        // when
        client.register("tiny-value", TinySchemas.V1);

        // then
        assertThat(waits).extracting(Duration::toMillis).containsExactly(100L, 200L, 250L, 250L);
    }

    @Test
    void shouldThrowUnavailableWhenEveryAttemptAnswersServerError() {
        // given
        fixture.failNext(3, 500, 50001);
        HttpSchemaRegistryClient client = client(Map.of(RegistryConfig.MAX_RETRIES_CONFIG, 2));

        // when / then
        assertThatThrownBy(() -> client.register("tiny-value", TinySchemas.V1))
                .isInstanceOfSatisfying(RegistryUnavailableException.class, e -> {
                    assertThat(e.errorCode()).isEqualTo(50001);
                    assertThat(e.isRetriable()).isTrue();
                    assertThat(e.reason()).isEqualTo("REGISTRY_UNAVAILABLE");
                })
                .hasMessageContaining("3 attempts");
        assertThat(fixture.requests()).hasSize(3);
    }

    @Test
    void shouldThrowUnavailableWhenRegistryCannotBeReached() {
        // given
        HttpSchemaRegistryClient client = client(Map.of(RegistryConfig.URL_CONFIG, TestConfigs.deadUrl(),
                RegistryConfig.MAX_RETRIES_CONFIG, 1));

        // when / then
        assertThatThrownBy(() -> client.schemaById(1))
                .isInstanceOfSatisfying(RegistryUnavailableException.class,
                        e -> assertThat(e.errorCode()).isEqualTo(-1))
                .hasMessageContaining("could not be reached in 2 attempts")
                .hasMessageContaining("schema.registry.url");
        assertThat(waits).hasSize(1);
    }

    @Test
    void shouldGiveUpWhenAnswerTakesLongerThanReadTimeout() {
        // given
        CountDownLatch release = new CountDownLatch(1);
        fixture.stallNext(release);
        HttpSchemaRegistryClient client = client(Map.of(RegistryConfig.READ_TIMEOUT_CONFIG, 200,
                RegistryConfig.MAX_RETRIES_CONFIG, 0));

        // when / then
        try {
            assertThatThrownBy(() -> client.schemaById(1))
                    .isInstanceOf(RegistryUnavailableException.class)
                    .hasMessageContaining("timed out");
        } finally {
            release.countDown();
        }
    }

    @Test
    void shouldFailOverToNextUrlWhenFirstCannotBeReached() {
        // given
        HttpSchemaRegistryClient client = client(Map.of(RegistryConfig.URL_CONFIG, TestConfigs.deadUrl() + "," + fixture.url()));

        // when
        int id = client.register("tiny-value", TinySchemas.V1);
        client.schemaById(id);

        // then: one failed attempt, then the live URL is kept
        assertThat(waits).hasSize(1);
        assertThat(fixture.requests()).hasSize(2);
    }

    @Test
    void shouldRetryWhenProxyAnswersNonJsonServerError() {
        // given
        fixture.failNextWithRawBody(502, "<html><body>Bad gateway</body></html>");
        HttpSchemaRegistryClient client = client(Map.of());

        // when
        int id = client.register("tiny-value", TinySchemas.V1);

        // then
        assertThat(id).isEqualTo(1);
        assertThat(waits).hasSize(1);
    }

    @Test
    void shouldExplainWhenSuccessfulAnswerIsNotJson() {
        // given
        fixture.failNextWithRawBody(200, "<html>a web server, not a registry</html>");
        HttpSchemaRegistryClient client = client(Map.of());

        // when / then
        assertThatThrownBy(() -> client.schemaById(1))
                .isInstanceOf(RegistryRequestException.class)
                .hasMessageContaining("not JSON")
                .hasMessageContaining("schema.registry.url");
    }

    @ParameterizedTest(name = "HTTP {0}, error_code {1} -> {2}")
    @CsvSource({
        "422, 42201, InvalidSchemaException, fix the .avsc file",
        "404, 40402, VersionNotFoundException, register the schema again",
        "409, 40901, IncompatibleSchemaException, backward compatible",
        "403, 40301, RegistryAuthorizationException, basic.auth.credentials.source",
        "400, 40001, RegistryRequestException, error_code 40001",
    })
    void shouldMapRegistryErrorWhenRegistryRefuses(int status, int errorCode, String type, String advice) {
        // given
        fixture.failNext(1, status, errorCode);
        HttpSchemaRegistryClient client = client(Map.of());

        // when / then
        assertThatThrownBy(() -> client.register("tiny-value", TinySchemas.V1))
                .satisfies(e -> assertThat(e.getClass().getSimpleName()).isEqualTo(type))
                .isInstanceOfSatisfying(SchemaRegistryException.class, e -> {
                    assertThat(e.errorCode()).isEqualTo(errorCode);
                    assertThat(e.isRetriable()).isFalse();
                })
                .hasMessageContaining(advice)
                .hasMessageContaining("Injected failure " + errorCode);
        assertThat(fixture.requests()).hasSize(1);
    }

    @Test
    void shouldPercentEncodeSubjectWhenItHasReservedCharacters() {
        // given
        HttpSchemaRegistryClient client = client(Map.of());

        // when
        int id = client.register("team a/tiny-value", TinySchemas.V1);

        // then
        assertThat(fixture.requests().get(0).path()).isEqualTo("/subjects/team%20a%2Ftiny-value/versions");
        assertThat(client.latestVersion("team a/tiny-value").id()).isEqualTo(id);
    }

    private HttpSchemaRegistryClient client(Map<String, Object> overrides) {
        Map<String, Object> configs = new HashMap<>();
        configs.put(RegistryConfig.URL_CONFIG, fixture.url());
        configs.put(RegistryConfig.RETRIES_WAIT_CONFIG, 10);
        configs.putAll(overrides);
        return new HttpSchemaRegistryClient(new RestTransport(RegistryConfig.from(configs), waits::add));
    }

    private static String quoted(String text) {
        return "\"" + text.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }
}
