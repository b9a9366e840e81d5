package io.rewardannotator.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.rewardannotator.TestBundles;
import io.rewardannotator.app.AnnotatorConfig;
import io.rewardannotator.app.ChildJvm;
import io.rewardannotator.app.ConfigSummary;
import io.rewardannotator.app.HttpEndpoint;
import io.rewardannotator.app.KafkaTestClients;
import io.rewardannotator.app.StartupChecks;
import io.rewardannotator.event.ChatMessage;
import io.rewardannotator.event.GeneratedResponse;
import io.rewardannotator.kafka.KafkaCluster;
import io.rewardannotator.kafka.KafkaClusterExtension;
import io.rewardannotator.registry.RegistryHttpFixture;
import io.rewardannotator.streams.TestEvents;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** {@code run} as an operator deploys it: a child JVM, configured three ways, scraped over HTTP, stopped by SIGTERM. */
@ExtendWith(KafkaClusterExtension.class)
class RunCommandIntegrationTest {
    private static final Duration WAIT = Duration.ofSeconds(90);
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @TempDir
    Path tmp;

    @Test
    void shouldServeHealthAndMetricsAndStopCleanlyOnSigterm(KafkaCluster kafka) throws Exception {
        try (RegistryHttpFixture registry = RegistryHttpFixture.start()) {
            // 1. settings from a file, overridden by an environment variable, overridden by a flag
            kafka.createTopics(3, "run-in", "run-file-out", "run-env-out", "run-flag-out", "run-dlq", "run-stats");
            int port = freePort();
            Path config = Files.writeString(tmp.resolve("annotator.properties"), String.join("\n",
                    "bootstrap.servers=" + kafka.bootstrapServers(),
                    "application.id=run-it",
                    "model.dir=" + TestBundles.TINY,
                    "input.topics=run-in",
                    "output.topic=run-file-out",
                    "dead.letter.topic=run-dlq",
                    "stats.topic=run-stats",
                    "http.port=1",
                    "kafka.state.dir=" + tmp.resolve("state"),
                    "kafka.commit.interval.ms=100",
                    "registry.basic.auth.credentials.source=USER_INFO",
                    "registry.basic.auth.user.info=annotator:s3cret-pw",
                    ""));
            Map<String, String> env = Map.of("REWARD_ANNOTATOR_OUTPUT_TOPIC", "run-env-out",
                    "REWARD_ANNOTATOR_HTTP_PORT", Integer.toString(port),
                    "REWARD_ANNOTATOR_SCHEMA_REGISTRY_URL", registry.url());
            ChildJvm child = ChildJvm.start("run-sigterm", env, "run", "--config", config.toString(),
                    "--set", "output.topic=run-flag-out");

            // 2. ready once the streams run; metrics scrapeable
            awaitStatus(port, HttpEndpoint.READY, 200, child);
            assertThat(get(port, HttpEndpoint.LIVE).statusCode()).isEqualTo(200);
            Map<String, Object> serde = Map.of("schema.registry.url", registry.url());
            List<GeneratedResponse> events = TestEvents.valid("run", 40);
            KafkaTestClients.produce(kafka.bootstrapServers(), serde, "run-in", events);
            KafkaTestClients.produce(kafka.bootstrapServers(), serde, "run-in", List.of(TestEvents.event("robot",
                    List.of(new ChatMessage("robot", "beep?")), "boop", "policy-a", "v1")));
            KafkaTestClients.produceRaw(kafka.bootstrapServers(), "run-in", "poison",
                    "{\"not\": \"avro\"}".getBytes(StandardCharsets.UTF_8));
            var scored = KafkaTestClients.readScored(kafka.bootstrapServers(), serde, "run-flag-out",
                    r -> r.size() >= events.size(), WAIT);
            assertThat(scored).as(child.tail()).hasSize(events.size());
            String metrics = get(port, HttpEndpoint.METRICS).body();
            assertThat(metrics).contains("reward_annotator_records_scored_total 40.0")
                    .contains("reward_annotator_batch_padding_efficiency")
                    .contains("reward_annotator_scoring_queue_depth")
                    .contains("reward_annotator_record_latency_seconds")
                    .contains("kafka_stream_thread_process_total")
                    .contains("jvm_memory_used_bytes");

            long deadline = System.nanoTime() + WAIT.toNanos();
            while (!(child.output().contains("dead-lettered run-in-")
                    && get(port, HttpEndpoint.METRICS).body().contains("reason=\"INVALID_ROLE\""))
                    && System.nanoTime() < deadline) {
                Thread.sleep(100); // the child's log is a file: nothing to block on
            }

            // 3. SIGTERM: exit code 0, everything committed, nothing lost
            child.process().destroy();
            assertThat(child.process().waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(child.process().exitValue()).as(child.tail()).isZero();
            assertThat(child.output()).contains("stopped cleanly")
                    .contains("registry.basic.auth.user.info=" + ConfigSummary.MASK).doesNotContain("s3cret-pw");
            // 4. the poison record: one line with its reason and place, no stack trace, no advisory nobody can act on
            assertThat(child.output().lines().filter(line -> line.contains("dead-lettered run-in-")))
                    .singleElement().asString().contains("WRONG_MAGIC_BYTE").containsPattern("run-in-\\d@\\d+");
            assertThat(child.output()).doesNotContain("\tat ").doesNotContain("Skipping record")
                    .doesNotContain("GlobalThread").contains("starting Kafka Streams (joining the group");
            // ... nor for the fresh application id's repartition topic, unknown until the group leader creates it
            assertThat(child.output()).doesNotContain("UNKNOWN_TOPIC_OR_PARTITION");
            // rejected conversations are not logged one by one: the totals count them
            assertThat(child.output()).doesNotContain("robot").contains("totals: 40 scored, 2 dead-lettered (")
                    .contains("validate/INVALID_ROLE 1").contains("deserialize/WRONG_MAGIC_BYTE 1");
            assertThat(committedOffsets(kafka, "run-it", "run-in")).isEqualTo(endOffsets(kafka, "run-in"));
            assertThat(KafkaTestClients.readScored(kafka.bootstrapServers(), serde, "run-file-out", r -> false,
                    Duration.ofSeconds(2))).as("the file's output topic was overridden").isEmpty();
        }
    }

    @Test
    void shouldExitZeroWithoutACrashWhenSigtermArrivesUnderLoad(KafkaCluster kafka) throws Exception {
        try (RegistryHttpFixture registry = RegistryHttpFixture.start()) {
            // 1. a backlog far larger than what one task holds in flight
            String id = UUID.randomUUID().toString().substring(0, 8);
            String in = "load-in-" + id;
            String out = "load-out-" + id;
            kafka.createTopics(3, in, out, "load-dlq-" + id, "load-stats-" + id);
            Path config = Files.writeString(tmp.resolve("load.properties"), String.join("\n",
                    "bootstrap.servers=" + kafka.bootstrapServers(),
                    "schema.registry.url=" + registry.url(),
                    "application.id=load-it-" + id,
                    "model.dir=" + TestBundles.TINY,
                    "input.topics=" + in,
                    "output.topic=" + out,
                    "dead.letter.topic=load-dlq-" + id,
                    "stats.topic=load-stats-" + id,
                    "http.port=0",
                    "kafka.state.dir=" + tmp.resolve("state"),
                    ""));
            Map<String, Object> serde = Map.of("schema.registry.url", registry.url());
            List<GeneratedResponse> events = TestEvents.valid("load", 1_500);
            KafkaTestClients.produce(kafka.bootstrapServers(), serde, in, events);

            // 2. stopped by SIGTERM while batches run, again and again: each run resumes where the last committed
            int scored = 0;
            for (int run = 1; run <= 3 && scored < events.size(); run++) {
                try (ChildJvm child = ChildJvm.start("run-load-" + run, Map.of(), "run", "--config",
                        config.toString())) {
                    int before = scored;
                    awaitOutput(child, "reward-annotator starting");
                    KafkaTestClients.readScored(kafka.bootstrapServers(), serde, out,
                            r -> r.size() > before || r.size() >= events.size(), WAIT);
                    child.process().destroy();

                    // 3. exit 0, a clean stop, and no native crash
                    assertThat(child.process().waitFor(90, TimeUnit.SECONDS)).as(child.tail()).isTrue();
                    assertThat(child.process().exitValue()).as(child.tail()).isZero();
                    assertThat(child.output()).contains("stopped cleanly").doesNotContain("SIGSEGV")
                            .doesNotContain("A fatal error has been detected");
                    assertThat(Path.of("hs_err_pid" + child.process().pid() + ".log")).doesNotExist();
                }
                scored = KafkaTestClients.readToEnd(kafka.bootstrapServers(), out,
                        KafkaTestClients.scoredDeserializer(serde), WAIT).size();
            }
        }
    }

    @Test
    void shouldExitZeroWhenSigtermArrivesDuringStartUp() throws Exception {
        // a broker that never answers keeps the child in its start-up checks
        try (ChildJvm child = ChildJvm.start("run-sigterm-startup", Map.of(), "run", "--bootstrap-servers",
                "127.0.0.1:" + freePort(), "--model", TestBundles.TINY.toString(),
                "--set", "schema.registry.url=http://127.0.0.1:1", "--set", "startup.timeout.ms=120000")) {
            awaitOutput(child, "starting: checking Kafka");

            child.process().destroy();

            assertThat(child.process().waitFor(60, TimeUnit.SECONDS)).as(child.tail()).isTrue();
            assertThat(child.process().exitValue()).as(child.tail()).isZero();
            assertThat(child.output()).contains("stopped during start-up");
        }
    }

    @Test
    void shouldExitWithKafkaCodeWhenBrokerDoesNotAnswer() {
        CliRun run = CliRun.of("run", "--bootstrap-servers", "127.0.0.1:" + freePortUnchecked(), "--model",
                TestBundles.TINY.toString(), "--set", "startup.timeout.ms=3000",
                "--set", "schema.registry.url=http://127.0.0.1:1");

        assertThat(run.exitCode()).isEqualTo(Main.EXIT_KAFKA);
        assertThat(run.err()).contains("no Kafka broker answered").contains("bootstrap.servers");
    }

    @Test
    void shouldExitWithKafkaCodeNamingMissingTopics(KafkaCluster kafka) {
        CliRun run = CliRun.of("run", "--bootstrap-servers", kafka.bootstrapServers(), "--model",
                TestBundles.TINY.toString(), "--set", "input.topics=nowhere-in", "--set", "output.topic=nowhere-out",
                "--set", "schema.registry.url=http://127.0.0.1:1");

        assertThat(run.exitCode()).isEqualTo(Main.EXIT_KAFKA);
        assertThat(run.err()).contains("nowhere-in").contains("nowhere-out").contains("topics.create=true");
    }

    @Test
    void shouldCreateMissingTopicsWhenAsked(KafkaCluster kafka) throws Exception {
        AnnotatorConfig config = new AnnotatorConfig(Map.of("bootstrap.servers", kafka.bootstrapServers(),
                "model.dir", TestBundles.TINY.toString(), "schema.registry.url", "http://127.0.0.1:1",
                "input.topics", "made-in", "output.topic", "made-out",
                "dead.letter.topic", "made-dlq", "stats.topic", "made-stats", "topics.create", "true",
                "topics.partitions", "4"));

        StartupChecks.kafka(config);

        try (Admin admin = Admin.create(adminProps(kafka))) {
            var described = admin.describeTopics(List.of("made-in", "made-out", "made-dlq", "made-stats"))
                    .allTopicNames().get();
            assertThat(described.values()).allSatisfy(t -> assertThat(t.partitions()).hasSize(4));
        }
    }

    @Test
    void shouldExitWithRegistryCodeWhenRegistryRefusesTheSchema(KafkaCluster kafka) {
        kafka.createTopics(1, "reg-in", "reg-out", "reg-dlq", "reg-stats");

        CliRun run = CliRun.of("run", "--bootstrap-servers", kafka.bootstrapServers(), "--model",
                TestBundles.TINY.toString(), "--set", "input.topics=reg-in", "--set", "output.topic=reg-out",
                "--set", "dead.letter.topic=reg-dlq", "--set", "stats.topic=reg-stats",
                "--set", "schema.registry.url=http://127.0.0.1:"
                        + freePortUnchecked(), "--set", "registry.max.retries=0");

        assertThat(run.exitCode()).isEqualTo(Main.EXIT_REGISTRY);
        assertThat(run.err()).contains("schema registry refused").contains("reg-out-value");
    }

    static void awaitStatus(int port, String path, int status, ChildJvm child) throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < deadline && child.process().isAlive()) {
            try {
                if (get(port, path).statusCode() == status) {
                    return;
                }
            } catch (IOException notYetListening) {
                // the endpoint starts once the streams run
            }
            Thread.onSpinWait();
            child.process().waitFor(200, TimeUnit.MILLISECONDS);
        }
        throw new AssertionError(path + " never answered " + status + "; child output:\n" + child.tail());
    }

    static void awaitOutput(ChildJvm child, String line) throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!child.output().contains(line)) {
            assertThat(child.process().isAlive()).as(child.tail()).isTrue();
            assertThat(System.nanoTime()).as("no '" + line + "' within " + WAIT).isLessThan(deadline);
            child.process().waitFor(100, TimeUnit.MILLISECONDS);
        }
    }

    static HttpResponse<String> get(int port, String path) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static Map<TopicPartition, Long> committedOffsets(KafkaCluster kafka, String group, String topic)
            throws Exception {
        try (Admin admin = Admin.create(adminProps(kafka))) {
            Map<TopicPartition, OffsetAndMetadata> offsets = admin.listConsumerGroupOffsets(group)
                    .partitionsToOffsetAndMetadata().get();
            Map<TopicPartition, Long> out = new java.util.HashMap<>();
            offsets.forEach((tp, om) -> {
                if (tp.topic().equals(topic)) {
                    out.put(tp, om.offset());
                }
            });
            return out;
        }
    }

    private static Map<TopicPartition, Long> endOffsets(KafkaCluster kafka, String topic) throws Exception {
        try (Admin admin = Admin.create(adminProps(kafka))) {
            Map<TopicPartition, OffsetSpec> request = new java.util.HashMap<>();
            for (int p = 0; p < 3; p++) {
                request.put(new TopicPartition(topic, p), OffsetSpec.latest());
            }
            Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> ends = admin.listOffsets(request).all().get();
            Map<TopicPartition, Long> out = new java.util.HashMap<>();
            ends.forEach((tp, info) -> out.put(tp, info.offset()));
            return out;
        }
    }

    private static Properties adminProps(KafkaCluster kafka) {
        Properties props = new Properties();
        props.put("bootstrap.servers", kafka.bootstrapServers());
        return props;
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    static int freePortUnchecked() {
        try {
            return freePort();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
