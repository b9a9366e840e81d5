package io.rewardannotator.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.rewardannotator.TestBundles;
import io.rewardannotator.text.ChatTemplate;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelBundleTest {
    @TempDir
    Path tmp;

    @Test
    void shouldLoadTinyBundleWhenManifestAndFilesMatch() throws IOException {
        ModelBundle bundle = ModelBundle.load(TestBundles.TINY);

        assertThat(bundle.manifest().name()).isEqualTo("tiny-qrm-test");
        assertThat(bundle.chatTemplate()).isEqualTo(ChatTemplate.LLAMA_3_1);
        assertThat(bundle.numQuantiles()).isEqualTo(19);
        assertThat(bundle.manifest().attributes()).hasSize(19).startsWith("helpsteer-helpfulness")
                .endsWith("code-readability");
        assertThat(bundle.manifest().padTokenId()).isEqualTo(128256L);
        // the digest is what `sha256sum reward-model.json` prints
        assertThat(bundle.digest()).isEqualTo(
                TestBundles.sha256Hex(Files.readAllBytes(TestBundles.TINY.resolve("reward-model.json"))));
    }

    @Test
    void shouldNameFileWhenItsSizeDiffersFromManifest() throws IOException {
        Path bundle = TestBundles.copyOfTiny(tmp);
        Files.writeString(bundle.resolve("tokenizer_config.json"), " ", java.nio.file.StandardOpenOption.APPEND);

        assertThatThrownBy(() -> ModelBundle.load(bundle))
                .isInstanceOf(BundleException.class)
                .hasMessageContaining("tokenizer_config.json")
                .hasMessageContaining("bytes, the manifest says");
    }

    @Test
    void shouldNameFileWhenItsDigestDiffersFromManifest() throws IOException {
        Path bundle = TestBundles.copyOfTiny(tmp);
        Path config = bundle.resolve("tokenizer_config.json");
        byte[] bytes = Files.readAllBytes(config);
        bytes[bytes.length / 2] ^= 1;
        Files.write(config, bytes);

        assertThatThrownBy(() -> ModelBundle.load(bundle))
                .isInstanceOf(BundleException.class)
                .hasMessageContaining("tokenizer_config.json")
                .hasMessageContaining("SHA-256");
    }

    @Test
    void shouldNameFileWhenListedFileIsMissing() throws IOException {
        Path bundle = TestBundles.copyOfTiny(tmp);
        Files.delete(bundle.resolve("tokenizer_config.json"));

        assertThatThrownBy(() -> ModelBundle.load(bundle))
                .hasMessageContaining("tokenizer_config.json")
                .hasMessageContaining("missing");
    }

    @Test
    void shouldDescribeModeOwnerAndReaderOfAFile() throws IOException {
        Path data = Files.createFile(tmp.resolve("model.onnx.data"),
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));

        assertThat(ModelBundle.access(data))
                .isEqualTo("mode rw------- (owner " + Files.getOwner(data).getName() + "), read as user "
                        + System.getProperty("user.name"));
    }

    @Test
    void shouldNameTheFileModeWhenAListedFileExistsButCannotBeRead() throws IOException {
        Path bundle = TestBundles.copyOfTiny(tmp);
        Path config = bundle.resolve("tokenizer_config.json");   // a copy, not a hard link: chmod stays local
        Files.setPosixFilePermissions(config, PosixFilePermissions.fromString("-w-------"));
        assumeFalse(Files.isReadable(config), "user " + System.getProperty("user.name") + " reads files whatever "
                + "their mode (root): an unreadable bundle file cannot be made here");

        assertThatThrownBy(() -> ModelBundle.load(bundle))
                .isInstanceOf(BundleException.class)
                .hasMessageContaining("tokenizer_config.json: exists but cannot be read (mode -w------- (owner ")
                .hasMessageContaining("chmod a+r");
    }

    @Test
    void shouldExplainWhenManifestIsMissing() throws IOException {
        Path bundle = TestBundles.copyOfTiny(tmp);
        Files.delete(bundle.resolve("reward-model.json"));

        assertThatThrownBy(() -> ModelBundle.load(bundle))
                .isInstanceOf(BundleException.class)
                .hasMessageContaining("reward-model.json")
                .hasMessageContaining("manifest missing");
    }

    @Test
    void shouldRefuseDirectoryThatDoesNotExist() {
        assertThatThrownBy(() -> ModelBundle.load(tmp.resolve("nowhere")))
                .isInstanceOf(BundleException.class)
                .hasMessageContaining("is not a directory");
    }

    @Test
    void shouldRefuseUnknownChatTemplate() throws IOException {
        Path bundle = TestBundles.copyOfTiny(tmp);
        ObjectNode manifest = TestBundles.readManifest(bundle);
        manifest.put("chat_template", "chatml");
        TestBundles.writeManifest(bundle, manifest);

        assertThatThrownBy(() -> ModelBundle.load(bundle))
                .isInstanceOf(BundleException.class)
                .hasMessageContaining("reward-model.json")
                .hasMessageContaining("'chatml' is not implemented")
                .hasMessageContaining("llama-3.1");
    }

    @Test
    void shouldRefuseOtherManifestFormat() throws IOException {
        Path bundle = TestBundles.copyOfTiny(tmp);
        ObjectNode manifest = TestBundles.readManifest(bundle);
        manifest.put("format", "qrm-onnx/2");
        TestBundles.writeManifest(bundle, manifest);

        assertThatThrownBy(() -> ModelBundle.load(bundle)).hasMessageContaining("format is 'qrm-onnx/2'");
    }

    @Test
    void shouldRefuseQuantileLevelsThatAreNotIncreasing() throws IOException {
        Path bundle = TestBundles.copyOfTiny(tmp);
        ObjectNode manifest = TestBundles.readManifest(bundle);
        manifest.putArray("quantile_levels").add(0.5).add(0.25);
        TestBundles.writeManifest(bundle, manifest);

        assertThatThrownBy(() -> ModelBundle.load(bundle)).hasMessageContaining("quantile_levels");
    }

    @Test
    void shouldRefuseFileEntryOutsideBundle() throws IOException {
        Path bundle = TestBundles.copyOfTiny(tmp);
        ObjectNode manifest = TestBundles.readManifest(bundle);
        ((ObjectNode) manifest.get("files")).putObject("../escape.bin").put("sha256", "00").put("bytes", 1);
        TestBundles.writeManifest(bundle, manifest);

        assertThatThrownBy(() -> ModelBundle.load(bundle)).hasMessageContaining("outside the bundle directory");
    }

    @Test
    void shouldRefuseManifestThatIsNotJson() throws IOException {
        Path bundle = TestBundles.copyOfTiny(tmp);
        Files.writeString(bundle.resolve("reward-model.json"), "{ not json");

        assertThatThrownBy(() -> ModelBundle.load(bundle))
                .isInstanceOf(BundleException.class)
                .hasMessageContaining("not a valid manifest");
    }
}
