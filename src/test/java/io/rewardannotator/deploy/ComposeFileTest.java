package io.rewardannotator.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.rewardannotator.app.AnnotatorConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.DecoderFactory;
import org.junit.jupiter.api.Test;

/** The facts docker/compose.yaml must keep, checked by reading it (no Docker engine on the build machines). */
class ComposeFileTest {
    private static final Path DIR = RepositoryFiles.path("docker");
    private static final JsonNode SERVICES = RepositoryFiles.yaml(DIR.resolve("compose.yaml")).path("services");
    private final ConfigurationReference config = new ConfigurationReference();

    /** The services built from docker/Dockerfile, by name. */
    private static Map<String, JsonNode> annotators() {
        Map<String, JsonNode> out = new LinkedHashMap<>();
        SERVICES.fields().forEachRemaining(e -> {
            if (e.getValue().path("build").path("dockerfile").asText().equals("docker/Dockerfile")) {
                out.put(e.getKey(), e.getValue());
            }
        });
        assertThat(out).as("annotator services").isNotEmpty();
        return out;
    }

    /** env_file entries (relative to docker/), then environment, as compose merges them. */
    private static Map<String, String> environment(JsonNode service) {
        Map<String, String> env = new LinkedHashMap<>();
        JsonNode files = service.path("env_file");
        for (JsonNode file : files.isArray() ? files : List.of(files)) {
            if (!file.isMissingNode()) {
                env.putAll(RepositoryFiles.envFile(DIR.resolve(file.asText())));
            }
        }
        JsonNode environment = service.path("environment");
        if (environment.isArray()) {
            environment.forEach(e -> env.put(e.asText().split("=", 2)[0], e.asText().split("=", 2)[1]));
        } else {
            environment.fields().forEachRemaining(e -> env.put(e.getKey(), e.getValue().asText()));
        }
        return env;
    }

    @Test
    void shouldConfigureTheAnnotatorsOnlyWithItsSettings() {
        annotators().forEach((name, service) ->
                assertThat(config.unknownVariables(environment(service).keySet())).as(name).isEmpty());
    }

    @Test
    void shouldRunTheGpuAnnotatorOnCuda0WithAnNvidiaGpuReservedAndTheCpuAnnotatorWithout() {
        JsonNode gpu = SERVICES.path("annotator");
        JsonNode cpu = SERVICES.path("annotator-cpu");

        assertThat(config.effective(environment(gpu), AnnotatorConfig.DEVICE)).isEqualTo("cuda:0");
        assertThat(gpu.path("build").path("args").path("VARIANT").asText()).isEqualTo("gpu");
        JsonNode device = gpu.at("/deploy/resources/reservations/devices/0");
        assertThat(device.path("driver").asText()).isEqualTo("nvidia");
        assertThat(device.path("count").asInt()).isEqualTo(1);
        assertThat(device.path("capabilities").toString()).isEqualTo("[\"gpu\"]");
        assertThat(config.effective(environment(cpu), AnnotatorConfig.DEVICE)).isEqualTo("cpu");
        assertThat(cpu.path("build").path("args").path("VARIANT").asText()).isEqualTo("cpu");
        assertThat(cpu.has("deploy")).isFalse();
    }

    @Test
    void shouldMountTheModelReadOnlyWhereModelDirPoints() {
        annotators().forEach((name, service) -> {
            String modelDir = config.effective(environment(service), AnnotatorConfig.MODEL_DIR);
            List<String> mounts = new ArrayList<>();
            service.path("volumes").forEach(v -> mounts.add(v.asText()));
            assertThat(mounts).as(name).anySatisfy(m -> assertThat(m).endsWith(":" + modelDir + ":ro"));
        });
    }

    @Test
    void shouldPublishTheHttpPortTheAnnotatorListensOn() {
        annotators().forEach((name, service) -> {
            int port = config.httpPort(environment(service));
            List<String> ports = new ArrayList<>();
            service.path("ports").forEach(p -> ports.add(p.asText()));
            assertThat(ports).as(name).anySatisfy(p -> assertThat(p).endsWith(":" + port));
        });
    }

    @Test
    void shouldCreateTheTopicsTheAnnotatorReadsAndWrites() {
        List<String> created = Arrays.asList(SERVICES.at("/topics/environment/TOPICS").asText().split("\\s+"));
        String command = SERVICES.at("/topics/command/0").asText();

        assertThat(command).contains("kafka-topics.sh").contains("--create").contains("for topic in $$TOPICS");
        annotators().forEach((name, service) -> {
            Map<String, String> env = environment(service);
            assertThat(created).as(name).contains(config.effective(env, AnnotatorConfig.OUTPUT_TOPIC),
                            config.effective(env, AnnotatorConfig.DEAD_LETTER_TOPIC))
                    .containsAll(Arrays.asList(config.effective(env, AnnotatorConfig.INPUT_TOPICS).split(",")));
        });
    }

    @Test
    void shouldStartTheAnnotatorAfterItsTopicsAndAHealthyRegistryOnTheBrokerOfTheStack() {
        annotators().forEach((name, service) -> {
            JsonNode dependsOn = service.path("depends_on");
            assertThat(dependsOn.at("/topics/condition").asText()).isEqualTo("service_completed_successfully");
            assertThat(dependsOn.at("/schema-registry/condition").asText()).isEqualTo("service_healthy");
            Map<String, String> env = environment(service);
            assertThat(config.effective(env, AnnotatorConfig.SCHEMA_REGISTRY_URL))
                    .isEqualTo("http://schema-registry:8081");
            assertThat(config.effective(env, AnnotatorConfig.BOOTSTRAP_SERVERS)).isEqualTo("kafka:9092");
        });
        assertThat(SERVICES.at("/schema-registry/healthcheck/test").toString()).contains("8081");
        assertThat(SERVICES.at("/kafka/environment/KAFKA_ADVERTISED_LISTENERS").asText())
                .contains("PLAINTEXT://kafka:9092");
    }

    @Test
    void shouldGiveTheAnnotatorMoreTimeToStopThanItsShutdownTimeout() {
        annotators().forEach((name, service) -> {
            Duration grace = Duration.parse("PT" + service.path("stop_grace_period").asText().toUpperCase());
            assertThat(grace.toMillis()).as(name).isGreaterThan(config.shutdownTimeoutMs(environment(service)));
        });
    }

    @Test
    void shouldSendDemoEventsThatTheInputSchemaReads() throws IOException {
        JsonNode producer = SERVICES.path("demo-producer");
        String command = producer.at("/command/0").asText();
        Map<String, String> mounts = new LinkedHashMap<>();
        producer.path("volumes").forEach(v -> mounts.put(v.asText().split(":")[1], v.asText().split(":")[0]));
        Schema schema = new Schema.Parser().parse(DIR.resolve(mounts.get("/demo/generated-response.avsc")).toFile());
        List<String> lines = Files.readAllLines(DIR.resolve(mounts.get("/demo/generated-responses.txt")));

        String input = config.effective(environment(SERVICES.path("annotator")), AnnotatorConfig.INPUT_TOPICS);
        assertThat(command).contains("--topic " + input)
                .contains("value.schema=\"$$(cat /demo/generated-response.avsc)\"")   // $$ is compose's escape for $
                .contains("'key.separator=|'").contains("< /demo/generated-responses.txt");
        assertThat(schema.getFullName()).isEqualTo("io.rewardannotator.event.GeneratedResponse");
        assertThat(lines).hasSizeGreaterThanOrEqualTo(3).allSatisfy(line -> {
            String[] keyValue = line.split("\\|", 2);
            GenericRecord event = new GenericDatumReader<GenericRecord>(schema)
                    .read(null, DecoderFactory.get().jsonDecoder(schema, keyValue[1]));
            assertThat(event.get("response_id")).hasToString(keyValue[0]);
        });
    }
}
