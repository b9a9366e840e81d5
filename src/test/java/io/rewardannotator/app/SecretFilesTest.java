package io.rewardannotator.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.rewardannotator.scoring.ScorerInfo;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Secrets read from files with Kafka's FileConfigProvider ({@code ${file:PATH:KEY}}), as a Kubernetes Secret
 * mounted as a volume provides them: resolved for the clients, never printed.
 */
class SecretFilesTest {
    private static final String JAAS = "org.apache.kafka.common.security.scram.ScramLoginModule required "
            + "username=\"annotator\" password=\"from-a-file-9931\";";

    @TempDir
    Path tmp;

    @Test
    void shouldResolveFileReferencesForTheClientsAndMaskThemInTheSummary() throws Exception {
        Path secrets = Files.writeString(tmp.resolve("kafka.properties"), "sasl.jaas.config=" + JAAS + "\n");
        Path config = Files.writeString(tmp.resolve("annotator.properties"), String.join("\n",
                "bootstrap.servers=broker:9093",
                "model.dir=/models/qrm",
                "schema.registry.url=https://registry:8081",
                "config.providers=file",
                "config.providers.file.class=org.apache.kafka.common.config.provider.FileConfigProvider",
                "kafka.sasl.jaas.config=${file:" + secrets + ":sasl.jaas.config}",
                ""));

        AnnotatorConfig loaded = ConfigSources.load(config, Map.of(), Map.of());

        assertThat(loaded.kafkaOverrides()).containsEntry("sasl.jaas.config", JAAS);
        assertThat(loaded.adminClientProperties("check")).containsEntry("sasl.jaas.config", JAAS);
        assertThat(ConfigSummary.describe(loaded, new ScorerInfo("qrm", "r1", "abc", "cpu", List.of(0.5), List.of("helpfulness"))))
                .doesNotContain("from-a-file-9931");
    }
}
