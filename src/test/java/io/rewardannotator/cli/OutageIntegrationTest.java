package io.rewardannotator.cli;

import static io.rewardannotator.cli.RunCommandIntegrationTest.awaitStatus;
import static io.rewardannotator.cli.RunCommandIntegrationTest.freePort;
import static io.rewardannotator.cli.RunCommandIntegrationTest.get;
import static org.assertj.core.api.Assertions.assertThat;

import io.rewardannotator.TestBundles;
import io.rewardannotator.app.ChildJvm;
import io.rewardannotator.app.HttpEndpoint;
import io.rewardannotator.app.KafkaTestClients;
import io.rewardannotator.devkit.EmbeddedKafkaBroker;
import io.rewardannotator.event.GeneratedResponse;
import io.rewardannotator.registry.RegistryHttpFixture;
import io.rewardannotator.registry.SpecificAvroSerializer;
import io.rewardannotator.streams.TestEvents;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code run} through outages of what it depends on, each in a broker of its own (this test stops and restarts
 * it): a schema registry that stops answering, brokers that go away and come back.
 */
class OutageIntegrationTest {
    private static final Duration WAIT = Duration.ofSeconds(90);

    @TempDir
    Path tmp;

    /** A child {@code run} on {@code broker} and {@code registry}, serving HTTP on {@code port}. */
    private ChildJvm run(String name, EmbeddedKafkaBroker broker, RegistryHttpFixture registry, int port,
                         String... more) throws Exception {
        broker.createTopics(2, "in", "out", "dlq", "stats");
        Path config = Files.writeString(tmp.resolve(name + ".properties"), String.join("\n",
                "bootstrap.servers=" + broker.bootstrapServers(),
                "schema.registry.url=" + registry.url(),
                "registry.max.retries=0",
                "application.id=" + name,
                "model.dir=" + TestBundles.TINY,
                "input.topics=in",
                "output.topic=out",
                "dead.letter.topic=dlq",
                "stats.topic=stats",
                "http.port=" + port,
                "kafka.state.dir=" + tmp.resolve("state"),
                "kafka.commit.interval.ms=100",
                String.join("\n", more),
                ""));
        return ChildJvm.start(name, Map.of(), "run", "--config", config.toString());
    }

    @Test
    void shouldWaitOutAnUnreachableRegistryThenStopWithTheRegistryCodeNamingIt() throws Exception {
        int port = freePort();
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start();
             RegistryHttpFixture registry = RegistryHttpFixture.start();
             ChildJvm child = run("registry-outage", broker, registry, port, "schema.registry.outage.ms=8000")) {
            // 1. running, with the input schema's id known to the annotator
            awaitStatus(port, HttpEndpoint.READY, 200, child);
            Map<String, Object> serde = Map.of("schema.registry.url", registry.url());
            List<GeneratedResponse> events = TestEvents.valid("reg", 10);
            KafkaTestClients.produce(broker.bootstrapServers(), serde, "in", events.subList(0, 5));
            List<ProducerRecord<byte[], byte[]>> cached = framed(serde, events.subList(5, 10));
            awaitScored(broker, 5);

            // 2. the registry stops answering: not ready, counted, and events of the known id still scored
            registry.unavailable(true);
            awaitStatus(port, HttpEndpoint.READY, 503, child);
            KafkaTestClients.send(broker.bootstrapServers(), cached);
            awaitScored(broker, 10);
            assertThat(get(port, HttpEndpoint.METRICS).body()).containsPattern(
                    "reward_annotator_registry_unavailable_total [1-9]");

            // 3. an event of a schema id never seen: waited for, then exit 7 naming the registry and its URL
            KafkaTestClients.produceRaw(broker.bootstrapServers(), "in", "new-id",
                    new byte[] {0, 0, 0, 0x27, 0x0f, 2, 'x'});
            assertThat(child.process().waitFor(WAIT.toSeconds(), TimeUnit.SECONDS)).as(child.tail()).isTrue();
            assertThat(child.process().exitValue()).as(child.tail()).isEqualTo(Main.EXIT_REGISTRY);
            assertThat(child.tail()).contains("the schema registry at " + registry.url() + " could not be reached")
                    .contains("schema.registry.outage.ms");
            assertThat(child.output()).contains("retrying in");
            assertThat(KafkaTestClients.readRaw(broker.bootstrapServers(), "dlq", r -> false, Duration.ofSeconds(2)))
                    .as("nothing dead-lettered for an outage").isEmpty();
        }
    }

    @Test
    void shouldReportNotReadyWhileTheBrokersAreDownAndReadyOnceTheyAreBack() throws Exception {
        int kafkaPort = freePort();
        Path logDir = Files.createDirectories(tmp.resolve("kafka"));
        EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.builder().port(kafkaPort).logDir(logDir).start();
        try (RegistryHttpFixture registry = RegistryHttpFixture.start()) {
            // 1. running and ready
            int port = freePort();
            try (ChildJvm child = run("broker-outage", broker, registry, port)) {
                awaitStatus(port, HttpEndpoint.READY, 200, child);

                // 2. the broker stops: not ready, but live (a restart would not help)
                broker.close();
                awaitStatus(port, HttpEndpoint.READY, 503, child);
                assertThat(get(port, HttpEndpoint.LIVE).statusCode()).isEqualTo(200);

                // 3. back on its data: ready again, and a SIGTERM still stops cleanly
                broker = EmbeddedKafkaBroker.builder().port(kafkaPort).logDir(logDir).start();
                awaitStatus(port, HttpEndpoint.READY, 200, child);
                child.process().destroy();
                assertThat(child.process().waitFor(60, TimeUnit.SECONDS)).as(child.tail()).isTrue();
                assertThat(child.process().exitValue()).as(child.tail()).isZero();
            }
        } finally {
            broker.close();
        }
    }

    private static List<ProducerRecord<byte[], byte[]>> framed(Map<String, Object> serde,
                                                               List<GeneratedResponse> events) {
        SpecificAvroSerializer<GeneratedResponse> serializer = new SpecificAvroSerializer<>();
        serializer.configure(serde, false);
        return events.stream().map(e -> new ProducerRecord<>("in", KafkaTestClients.key(e.getResponseId()),
                serializer.serialize("in", e))).toList();
    }

    /** Counts the output's records without decoding them: decoding would need the registry this test stops. */
    private static void awaitScored(EmbeddedKafkaBroker broker, int count) {
        assertThat(KafkaTestClients.readRaw(broker.bootstrapServers(), "out", r -> r.size() >= count, WAIT))
                .hasSizeGreaterThanOrEqualTo(count);
    }
}
