package io.rewardannotator.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The client over https, with a self-signed certificate made by the JDK's keytool. */
class TlsRegistryTest {

    private static final String PASSWORD = "changeit";

    @TempDir
    static Path dir;
    private static Path keystore;
    private static RegistryHttpFixture fixture;

    @BeforeAll
    static void startTlsRegistry() throws Exception {
        keystore = dir.resolve("registry.p12");
        keytool("-genkeypair", "-alias", "registry", "-keyalg", "RSA", "-keysize", "2048", "-validity", "2",
                "-dname", "CN=localhost", "-ext", "san=ip:127.0.0.1,dns:localhost",
                "-storetype", "PKCS12", "-keystore", keystore.toString(), "-storepass", PASSWORD);
        fixture = RegistryHttpFixture.startTls(serverContext(keystore));
    }

    @AfterAll
    static void stopTlsRegistry() {
        if (fixture != null) {
            fixture.close();
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

    private static SSLContext serverContext(Path keystore) throws IOException, GeneralSecurityException {
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(keystore)) {
            store.load(in, PASSWORD.toCharArray());
        }
        KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keys.init(store, PASSWORD.toCharArray());
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(keys.getKeyManagers(), null, null);
        return context;
    }

    private static void keytool(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes());
        if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
            throw new IllegalStateException("keytool failed: " + output);
        }
    }
}
