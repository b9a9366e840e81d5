package io.rewardannotator.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.rewardannotator.TestBundles;
import io.rewardannotator.TestCertificates;
import io.rewardannotator.app.Annotator;
import io.rewardannotator.app.AnnotatorConfig;
import io.rewardannotator.app.ChildJvm;
import io.rewardannotator.app.KafkaTestClients;
import io.rewardannotator.app.StartupChecks;
import io.rewardannotator.devkit.EmbeddedKafkaBroker;
import io.rewardannotator.event.GeneratedResponse;
import io.rewardannotator.streams.AnnotationListener;
import io.rewardannotator.streams.TestEvents;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The annotator end to end through a broker that demands SASL_SSL with SCRAM-SHA-512, or TLS with client
 * certificates (mutual TLS), all signed by a private CA made for the test. The test's own producers and
 * consumers use the broker's plain-text listener; only the annotator goes through the secure ones.
 */
class SecureKafkaIntegrationTest {
    private static final Duration WAIT = Duration.ofSeconds(90);
    private static final String SCRAM = "SCRAM";
    private static final String MTLS = "MTLS";
    private static final String USER = "annotator";
    private static final String USER_PASSWORD = "scram-pass-0451";

    @TempDir
    static Path dir;
    private static TestCertificates pki;
    private static EmbeddedKafkaBroker broker;

    @BeforeAll
    static void startSecureBroker() throws Exception {
        pki = TestCertificates.create(dir);
        Map<String, String> tls = Map.of(
                "ssl.keystore.location", pki.keystore("broker").toString(),
                "ssl.keystore.password", TestCertificates.PASSWORD,
                "ssl.key.password", TestCertificates.PASSWORD,
                "ssl.keystore.type", "PKCS12",
                "ssl.truststore.location", pki.truststore().toString(),
                "ssl.truststore.password", TestCertificates.PASSWORD,
                "ssl.truststore.type", "PKCS12");
        Map<String, String> scram = new HashMap<>(tls);
        scram.put("sasl.enabled.mechanisms", "SCRAM-SHA-512");
        scram.put("scram-sha-512.sasl.jaas.config", "org.apache.kafka.common.security.scram.ScramLoginModule required;");
        Map<String, String> mutual = new HashMap<>(tls);
        mutual.put("ssl.client.auth", "required");
        broker = EmbeddedKafkaBroker.builder().defaultPartitions(2)
                .listener(SCRAM, "SASL_SSL", scram)
                .listener(MTLS, "SSL", mutual)
                .start();
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()))) {
            admin.alterUserScramCredentials(List.of(new UserScramCredentialUpsertion(USER,
                    new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_512, 8192), USER_PASSWORD))).all().get();
            // the broker answers from its metadata: once it describes the user, it authenticates it
            while (!admin.describeUserScramCredentials(List.of(USER)).all().get().containsKey(USER)) {
                TimeUnit.MILLISECONDS.sleep(50);
            }
        }
    }

    @AfterAll
    static void stopBroker() {
        if (broker != null) {
            broker.close();
        }
    }

    private static Map<String, Object> scramSettings(String password) {
        Map<String, Object> c = new HashMap<>(trustSettings());
        c.put("bootstrap.servers", broker.bootstrapServers(SCRAM));
        c.put("kafka.security.protocol", "SASL_SSL");
        c.put("kafka.sasl.mechanism", "SCRAM-SHA-512");
        c.put("kafka.sasl.jaas.config", "org.apache.kafka.common.security.scram.ScramLoginModule required username=\""
                + USER + "\" password=\"" + password + "\";");
        return c;
    }

    private static Map<String, Object> mutualTlsSettings() {
        Map<String, Object> c = new HashMap<>(trustSettings());
        c.put("bootstrap.servers", broker.bootstrapServers(MTLS));
        c.put("kafka.security.protocol", "SSL");
        c.put("kafka.ssl.keystore.location", pki.keystore("annotator").toString());
        c.put("kafka.ssl.keystore.password", TestCertificates.PASSWORD);
        c.put("kafka.ssl.key.password", TestCertificates.PASSWORD);
        c.put("kafka.ssl.keystore.type", "PKCS12");
        return c;
    }

    private static Map<String, Object> trustSettings() {
        return Map.of("kafka.ssl.truststore.location", pki.truststore().toString(),
                "kafka.ssl.truststore.password", TestCertificates.PASSWORD,
                "kafka.ssl.truststore.type", "PKCS12");
    }

    @Test
    void shouldScoreEndToEndOverSaslSslWithScram() throws Exception {
        assertScoresEndToEnd("scram", scramSettings(USER_PASSWORD));
    }

    @Test
    void shouldScoreEndToEndOverMutualTls() throws Exception {
        assertScoresEndToEnd("mtls", mutualTlsSettings());
    }

    @Test
    void shouldExitWithKafkaCodeNamingAuthenticationAndNotThePasswordWhenThePasswordIsWrong() throws Exception {
        String wrong = "wrong-pass-7731";
        broker.createTopics(1, "auth-in", "auth-out", "auth-dlq", "auth-stats");
        List<String> args = new java.util.ArrayList<>(List.of("run", "--model", TestBundles.TINY.toString(),
                "--set", "input.topics=auth-in", "--set", "output.topic=auth-out", "--set", "dead.letter.topic=auth-dlq",
                "--set", "stats.topic=auth-stats", "--set", "startup.timeout.ms=30000", "--set", "http.port=0",
                "--set", "schema.registry.url=mock://auth", "--allow-mock-registry"));
        scramSettings(wrong).forEach((key, value) -> args.addAll(List.of("--set", key + "=" + value)));

        ChildJvm child = ChildJvm.start("wrong-scram-password", Map.of(), args.toArray(String[]::new));

        assertThat(child.process().waitFor(90, TimeUnit.SECONDS)).isTrue();
        assertThat(child.process().exitValue()).as(child.tail()).isEqualTo(Main.EXIT_KAFKA);
        assertThat(child.output()).contains("authentication failed").contains("kafka.sasl.jaas.config")
                .doesNotContain(wrong);
    }

    private void assertScoresEndToEnd(String name, Map<String, Object> security) throws Exception {
        String in = name + "-in";
        String out = name + "-out";
        broker.createTopics(2, in, out, name + "-dlq", name + "-stats");
        Map<String, Object> serde = Map.of("schema.registry.url", "mock://secure-" + name);
        Map<String, Object> config = new HashMap<>(security);
        config.put("application.id", "secure-" + name);
        config.put("model.dir", TestBundles.TINY.toString());
        config.put("input.topics", in);
        config.put("output.topic", out);
        config.put("dead.letter.topic", name + "-dlq");
        config.put("stats.topic", name + "-stats");
        config.put("schema.registry.url", serde.get("schema.registry.url"));
        config.put("kafka.state.dir", dir.resolve("state-" + name).toString());
        config.put("kafka.commit.interval.ms", 100);
        AnnotatorConfig annotatorConfig = new AnnotatorConfig(config);
        StartupChecks.kafka(annotatorConfig);

        try (Annotator annotator = Annotator.start(annotatorConfig, AnnotationListener.NONE, WAIT)) {
            List<GeneratedResponse> events = TestEvents.valid(name, 20);
            KafkaTestClients.produce(broker.bootstrapServers(), serde, in, events);

            var scored = KafkaTestClients.readScored(broker.bootstrapServers(), serde, out,
                    r -> r.size() >= events.size(), WAIT);

            assertThat(scored).extracting(r -> r.value().getResponseId())
                    .containsExactlyInAnyOrderElementsOf(events.stream().map(GeneratedResponse::getResponseId).toList());
        }
    }
}
