package io.rewardannotator.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.rewardannotator.app.AnnotatorConfig;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** deploy/overlays/example, read as data on top of the base, against the configuration reference. */
class ExampleOverlayTest {
    private static final Path DIR = RepositoryFiles.path("deploy", "overlays", "example");
    private static final KustomizeBase BASE = KustomizeBase.load(RepositoryFiles.path("deploy", "base"));
    private static final JsonNode KUSTOMIZATION = RepositoryFiles.yaml(DIR.resolve(KustomizeBase.KUSTOMIZATION));
    private final ConfigurationReference config = new ConfigurationReference();

    private static JsonNode patch(String kind) {
        for (JsonNode p : KUSTOMIZATION.path("patches")) {
            if (p.has("path")) {
                JsonNode patch = RepositoryFiles.yaml(DIR.resolve(p.path("path").asText()));
                if (patch.path("kind").asText().equals(kind)) {
                    return patch;
                }
            }
        }
        throw new AssertionError("no patch of a " + kind + " in " + DIR);
    }

    private static JsonNode container() {
        return patch("Deployment").at("/spec/template/spec/containers/0");
    }

    /** The base's generated settings with the overlay's merged over them. */
    private static Map<String, String> settings() {
        Map<String, String> env = new LinkedHashMap<>(BASE.generatedConfigMap("reward-annotator-config"));
        for (JsonNode generator : KUSTOMIZATION.path("configMapGenerator")) {
            assertThat(generator.path("name").asText()).isEqualTo("reward-annotator-config");
            assertThat(generator.path("behavior").asText()).isEqualTo("merge");
            generator.path("envs").forEach(f -> env.putAll(RepositoryFiles.envFile(DIR.resolve(f.asText()))));
        }
        return env;
    }

    @Test
    void shouldBuildOnTheBaseAndSetTheImageTagOfItsContainer() {
        assertThat(KUSTOMIZATION.path("resources")).extracting(JsonNode::asText).containsExactly("../../base");
        JsonNode image = KUSTOMIZATION.at("/images/0");
        String baseImage = BASE.one("Deployment").at("/spec/template/spec/containers/0/image").asText();

        assertThat(baseImage).startsWith(image.path("name").asText() + ":");
        assertThat(image.path("newTag").asText()).isNotBlank().isNotEqualTo("latest");
    }

    @Test
    void shouldSetOnlyAnnotatorSettingsAndTakeEveryCredentialFromASecretItDocuments() {
        Map<String, String> env = settings();
        Set<String> documented = new HashSet<>();
        RepositoryFiles.yamlDocuments(RepositoryFiles.path("deploy", "secrets.example.yaml")).forEach(secret -> {
            for (String section : List.of("stringData", "data")) {
                secret.path(section).fieldNames().forEachRemaining(key ->
                        documented.add(secret.at("/metadata/name").asText() + "/" + key));
            }
        });

        assertThat(config.unknownVariables(env.keySet())).isEmpty();
        assertThat(env.keySet()).noneMatch(k -> k.contains("PASSWORD") || k.contains("JAAS")
                || k.contains("USER_INFO"));
        for (JsonNode e : container().path("env")) {
            assertThat(config.unknownVariables(List.of(e.path("name").asText()))).isEmpty();
            JsonNode ref = e.at("/valueFrom/secretKeyRef");
            assertThat(documented).contains(ref.path("name").asText() + "/" + ref.path("key").asText());
        }
        for (JsonNode v : patch("Deployment").at("/spec/template/spec/volumes")) {
            v.at("/secret/items").forEach(item -> assertThat(documented)
                    .contains(v.at("/secret/secretName").asText() + "/" + item.path("key").asText()));
        }
    }

    @Test
    void shouldMountTheTrustStoreWhereTheSettingsPointAndKeepTheModelUnderTheBaseMount() {
        Map<String, String> env = settings();
        String mount = container().at("/volumeMounts/0/mountPath").asText();

        assertThat(config.effective(env, "kafka.ssl.truststore.location")).startsWith(mount + "/");
        assertThat(config.effective(env, "registry.schema.registry.ssl.truststore.location")).startsWith(mount + "/");
        assertThat(config.effective(env, AnnotatorConfig.MODEL_DIR)).startsWith(
                BASE.one("Deployment").at("/spec/template/spec/containers/0/volumeMounts/0/mountPath").asText() + "/");
    }

    @Test
    void shouldRequestExactlyOneGpu() {
        JsonNode resources = container().path("resources");

        assertThat(resources.at("/requests/nvidia.com~1gpu").asInt()).isEqualTo(1);
        assertThat(resources.at("/limits/nvidia.com~1gpu").asInt()).isEqualTo(1);
        assertThat(config.effective(settings(), AnnotatorConfig.DEVICE)).isEqualTo("cuda:0");
    }

    @Test
    void shouldDeriveTheLagThresholdFromThroughputAndScaleOnTheAnnotatorsGroup() {
        JsonNode scaled = patch("ScaledObject");
        JsonNode annotations = scaled.at("/metadata/annotations");
        JsonNode trigger = scaled.at("/spec/triggers/0/metadata");
        Map<String, String> env = settings();

        assertThat(trigger.path("lagThreshold").asLong()).isEqualTo(
                annotations.path("rewardannotator.io/records-per-second-per-replica").asLong()
                        * annotations.path("rewardannotator.io/target-backlog-seconds").asLong());
        assertThat(scaled.at("/spec/maxReplicaCount").asInt())
                .isLessThanOrEqualTo(annotations.path("rewardannotator.io/input-topic-partitions").asInt());
        assertThat(trigger.path("bootstrapServers").asText())
                .isEqualTo(config.effective(env, AnnotatorConfig.BOOTSTRAP_SERVERS));
        assertThat(trigger.path("consumerGroup").asText())
                .isEqualTo(config.effective(env, AnnotatorConfig.APPLICATION_ID));
        assertThat(trigger.path("topic").asText()).isEqualTo(config.effective(env, AnnotatorConfig.INPUT_TOPICS));
    }
}
