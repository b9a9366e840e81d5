package io.rewardannotator.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rewardannotator.TestCertificates;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The client over https to a registry whose certificate a private CA signed (made with the JDK's keytool). */
class TlsRegistryTest {

    private static final String PASSWORD = TestCertificates.PASSWORD;

    @TempDir
    static Path dir;
    /** The trust store: the private CA's certificate only. */
    private static Path keystore;
    private static Path clientKeystore;
    private static RegistryHttpFixture fixture;
    /** Accepts only clients presenting a certificate signed by the CA. */
    private static RegistryHttpFixture mutualFixture;

    @BeforeAll
    static void startTlsRegistry() throws Exception {
        TestCertificates pki = TestCertificates.create(dir);
        keystore = pki.truststore();
        Path registryKeys = pki.keystore("registry");
        clientKeystore = pki.keystore("annotator");
        fixture = RegistryHttpFixture.startTls(serverContext(registryKeys, null));
        mutualFixture = RegistryHttpFixture.startTls(serverContext(registryKeys, keystore), true);
    }

    @AfterAll
    static void stopTlsRegistry() {
        if (fixture != null) {
            fixture.close();
        }
        if (mutualFixture != null) {
            mutualFixture.close();
        }
    }

    @Test
    void shouldRegisterOverHttpsWhenTruststoreHoldsRegistryCertificate() {
        // given
        try (SchemaRegistryClient client = SchemaRegistryClient.create(RegistryConfig.from(Map.of(
                RegistryConfig.URL_CONFIG, fixture.url(),
                RegistryConfig.TRUSTSTORE_LOCATION_CONFIG, keystore.toString(),
                RegistryConfig.TRUSTSTORE_PASSWORD_CONFIG, PASSWORD,
                RegistryConfig.TRUSTSTORE_TYPE_CONFIG, "PKCS12")))) {

            // when
            int id = client.register("tiny-value", TinySchemas.V1);

            // then
            assertThat(client.latestVersion("tiny-value").id()).isEqualTo(id);
        }
    }

    @Test
    void shouldSendBasicCredentialsOverHttpsAndBeRefusedWithWrongOnes() {
        // given: a registry that requires basic auth, reached over TLS with the private CA as trust store
        fixture.requireBasicAuth("Basic " + Base64.getEncoder().encodeToString(
                "annotator:tls-s3cret".getBytes(StandardCharsets.UTF_8)));
        try {
            Map<String, Object> configs = new HashMap<>(Map.of(
                    RegistryConfig.URL_CONFIG, fixture.url(),
                    RegistryConfig.CREDENTIALS_SOURCE_CONFIG, "USER_INFO",
                    RegistryConfig.USER_INFO_CONFIG, "annotator:tls-s3cret",
                    RegistryConfig.TRUSTSTORE_LOCATION_CONFIG, keystore.toString(),
                    RegistryConfig.TRUSTSTORE_PASSWORD_CONFIG, PASSWORD,
                    RegistryConfig.TRUSTSTORE_TYPE_CONFIG, "PKCS12"));
            try (SchemaRegistryClient client = SchemaRegistryClient.create(RegistryConfig.from(configs))) {
                // when / then
                int id = client.register("auth-value", TinySchemas.V1);
                assertThat(client.latestVersion("auth-value").id()).isEqualTo(id);
            }
            configs.put(RegistryConfig.USER_INFO_CONFIG, "annotator:wrong");
            try (SchemaRegistryClient client = SchemaRegistryClient.create(RegistryConfig.from(configs))) {
                assertThatThrownBy(() -> client.register("auth-value", TinySchemas.V1))
                        .isInstanceOf(RegistryAuthorizationException.class)
                        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("wrong"));
            }
        } finally {
            fixture.requireBasicAuth(null);
        }
    }

    @Test
    void shouldPresentTheClientCertificateToARegistryThatRequiresOne() {
        // given
        Map<String, Object> trustOnly = Map.of(
                RegistryConfig.URL_CONFIG, mutualFixture.url(),
                RegistryConfig.MAX_RETRIES_CONFIG, 0,
                RegistryConfig.TRUSTSTORE_LOCATION_CONFIG, keystore.toString(),
                RegistryConfig.TRUSTSTORE_PASSWORD_CONFIG, PASSWORD,
                RegistryConfig.TRUSTSTORE_TYPE_CONFIG, "PKCS12");
        Map<String, Object> withKey = new HashMap<>(trustOnly);
        withKey.put(RegistryConfig.KEYSTORE_LOCATION_CONFIG, clientKeystore.toString());
        withKey.put(RegistryConfig.KEYSTORE_PASSWORD_CONFIG, PASSWORD);
        withKey.put(RegistryConfig.KEYSTORE_TYPE_CONFIG, "PKCS12");

        // when / then
        try (SchemaRegistryClient client = SchemaRegistryClient.create(RegistryConfig.from(withKey))) {
            int id = client.register("mtls-value", TinySchemas.V1);
            assertThat(client.latestVersion("mtls-value").id()).isEqualTo(id);
        }
        try (SchemaRegistryClient client = SchemaRegistryClient.create(RegistryConfig.from(trustOnly))) {
            assertThatThrownBy(() -> client.register("mtls-value", TinySchemas.V1))
                    .isInstanceOf(RegistryUnavailableException.class);
        }
    }

    @Test
    void shouldNameKeystorePropertiesWhenKeystoreCannotBeLoaded() {
        Map<String, Object> configs = Map.of(
                RegistryConfig.URL_CONFIG, mutualFixture.url(),
                RegistryConfig.KEYSTORE_LOCATION_CONFIG, clientKeystore.toString(),
                RegistryConfig.KEYSTORE_PASSWORD_CONFIG, "wrong",
                RegistryConfig.KEYSTORE_TYPE_CONFIG, "PKCS12");

        assertThatThrownBy(() -> SchemaRegistryClient.create(RegistryConfig.from(configs)))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("schema.registry.ssl.keystore.location")
                .hasMessageContaining("schema.registry.ssl.keystore.password")
                .hasMessageNotContaining("wrong");
    }

    @Test
    void shouldNameTruststorePropertyWhenCertificateIsNotTrusted() {
        // given: the JVM's default trust store, which does not know the self-signed certificate
        try (SchemaRegistryClient client = SchemaRegistryClient.create(RegistryConfig.from(Map.of(
                RegistryConfig.URL_CONFIG, fixture.url())))) {

            // when / then
            assertThatThrownBy(() -> client.register("tiny-value", TinySchemas.V1))
                    .isInstanceOf(RegistryUnavailableException.class)
                    .hasMessageContaining("TLS")
                    .hasMessageContaining("schema.registry.ssl.truststore.location");
        }
    }

    @Test
    void shouldNameTruststorePropertyWhenTruststoreCannotBeLoaded() {
        // given
        Map<String, Object> configs = Map.of(
                RegistryConfig.URL_CONFIG, fixture.url(),
                RegistryConfig.TRUSTSTORE_LOCATION_CONFIG, keystore.toString(),
                RegistryConfig.TRUSTSTORE_PASSWORD_CONFIG, "wrong",
                RegistryConfig.TRUSTSTORE_TYPE_CONFIG, "PKCS12");

        // when / then
        assertThatThrownBy(() -> SchemaRegistryClient.create(RegistryConfig.from(configs)))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("schema.registry.ssl.truststore.location")
                .hasMessageContaining("schema.registry.ssl.truststore.password");
    }

    /** The registry's side: its key, and (for mutual TLS) the trust store its clients' certificates must chain to. */
    private static SSLContext serverContext(Path keys, Path clientTrust) throws IOException, GeneralSecurityException {
        KeyManagerFactory keyManagers = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keyManagers.init(load(keys), PASSWORD.toCharArray());
        TrustManagerFactory trust = null;
        if (clientTrust != null) {
            trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trust.init(load(clientTrust));
        }
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(keyManagers.getKeyManagers(), trust == null ? null : trust.getTrustManagers(), null);
        return context;
    }

    private static KeyStore load(Path file) throws IOException, GeneralSecurityException {
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(file)) {
            store.load(in, PASSWORD.toCharArray());
        }
        return store;
    }
}
