package io.rewardannotator.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.rewardannotator.app.AnnotatorConfig;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class ConfigurationReferenceTest {
    private static final Path REFERENCE = Path.of("docs", "configuration.md");

    @Test
    void shouldMatchTheSettingsDeclaredInCode() throws IOException {
        assertThat(Files.readString(REFERENCE, StandardCharsets.UTF_8))
                .as("docs/configuration.md is stale: regenerate it with "
                        + "`java -jar target/reward-annotator.jar config-docs > docs/configuration.md`")
                .isEqualTo(ConfigDocsCommand.markdown());
    }

    @Test
    void shouldDocumentEveryKeyWithItsDefault() {
        String md = ConfigDocsCommand.markdown();

        for (String key : AnnotatorConfig.DEFINITION.names()) {
            assertThat(md).contains("| `" + key + "` |");
        }
        assertThat(md).contains("| `batch.max.size` | `64` |").contains("| `bootstrap.servers` | (required) |");
    }
}
