package io.rewardannotator.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.rewardannotator.app.AnnotatorConfig;
import io.rewardannotator.cli.Main;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.xpath.XPathFactory;
import org.junit.jupiter.api.Test;
import picocli.CommandLine.Command;

/** The facts docker/Dockerfile must keep, checked by reading it (no Docker engine on the build machines). */
class DockerfileTest {
    private static final Dockerfile DOCKERFILE = Dockerfile.parse(RepositoryFiles.path("docker", "Dockerfile"));
    private final ConfigurationReference config = new ConfigurationReference();

    @Test
    void shouldExposeTheDefaultHttpPort() {
        assertThat(DOCKERFILE.single(DOCKERFILE.finalStage("EXPOSE")))
                .contains(String.valueOf(config.defaultValue(AnnotatorConfig.HTTP_PORT)));
    }

    @Test
    void shouldCheckHealthOnTheReadyPathOfTheHttpPort() {
        String healthcheck = DOCKERFILE.single(DOCKERFILE.finalStage("HEALTHCHECK")).orElseThrow();

        Matcher url = Pattern.compile("http://localhost:\\$\\{(\\w+):-(\\d+)}(/\\S*?)\"").matcher(healthcheck);
        assertThat(url.find()).as("health URL in %s", healthcheck).isTrue();
        assertThat(config.settingOf(url.group(1))).contains(AnnotatorConfig.HTTP_PORT);
        assertThat(url.group(2)).isEqualTo(String.valueOf(config.defaultValue(AnnotatorConfig.HTTP_PORT)));
        assertThat(url.group(3)).isEqualTo("/health/ready");
        assertThat(healthcheck).contains("CMD curl -fsS");
    }

    @Test
    void shouldRunAsTheNonRootUserItCreates() {
        String user = DOCKERFILE.single(DOCKERFILE.finalStage("USER")).orElseThrow();

        // numeric, so that Kubernetes' runAsNonRoot can verify it without reading /etc/passwd
        assertThat(user).matches("\\d+:\\d+").isNotEqualTo("0:0");
        String uid = user.split(":")[0];
        assertThat(uid).isNotEqualTo("0");
        assertThat(DOCKERFILE.finalStage("RUN")).anySatisfy(run -> assertThat(run.arguments())
                .contains("useradd").contains("--uid " + uid));
    }

    @Test
    void shouldBuildTheGpuVariantWithTheGpuMavenProfile() throws Exception {
        String build = String.join("\n",
                DOCKERFILE.inStage("build", "RUN").stream().map(Dockerfile.Instruction::arguments).toList());

        assertThat(DOCKERFILE.globalArg("VARIANT")).contains("gpu");
        assertThat(build).contains("gpu) PROFILE=-Pgpu ;;").contains("cpu) PROFILE= ;;")
                .contains("*) echo \"VARIANT must be gpu or cpu").contains("./mvnw -B -q -DskipTests $PROFILE package");
        var pom = DocumentBuilderFactory.newInstance().newDocumentBuilder()
                .parse(RepositoryFiles.path("pom.xml").toFile());
        String artifact = XPathFactory.newInstance().newXPath().evaluate(
                "/*[local-name()='project']/*[local-name()='profiles']/*[local-name()='profile']"
                        + "[*[local-name()='id']='gpu']/*[local-name()='properties']"
                        + "/*[local-name()='onnxruntime.artifact']",
                pom);
        assertThat(artifact).as("pom.xml profile gpu swaps in the CUDA build of ONNX Runtime")
                .isEqualTo("onnxruntime_gpu");
    }

    @Test
    void shouldRunTheGpuVariantOnCuda12WithCudnn9AndTheCpuVariantOnAJre() {
        assertThat(DOCKERFILE.single(DOCKERFILE.finalStage("FROM"))).contains("runtime-${VARIANT}");
        assertThat(DOCKERFILE.expand(DOCKERFILE.baseOf("runtime-gpu").orElseThrow()))
                .matches("nvidia/cuda:12\\.\\d+\\.\\d+-cudnn-runtime-ubuntu22\\.04");
        assertThat(DOCKERFILE.inStage("runtime-gpu", "COPY")).singleElement()
                .extracting(Dockerfile.Instruction::arguments)
                .isEqualTo("--from=jre /opt/java/openjdk /opt/java/openjdk");
        assertThat(DOCKERFILE.expand(DOCKERFILE.baseOf("jre").orElseThrow())).isEqualTo("eclipse-temurin:17-jre");
        assertThat(DOCKERFILE.expand(DOCKERFILE.baseOf("runtime-cpu").orElseThrow()))
                .isEqualTo("eclipse-temurin:17-jre");
        assertThat(DOCKERFILE.expand(DOCKERFILE.baseOf("build").orElseThrow())).isEqualTo("eclipse-temurin:17-jdk");
    }

    @Test
    void shouldSetOnlyAnnotatorSettingsAndPointTheModelDirIntoTheModelVolume() {
        var env = DOCKERFILE.finalEnvironment();

        assertThat(config.unknownVariables(env.keySet())).isEmpty();
        String modelDir = config.effective(env, AnnotatorConfig.MODEL_DIR);
        assertThat(modelDir).isEqualTo("/models/qrm");
        assertThat(DOCKERFILE.single(DOCKERFILE.finalStage("VOLUME"))).contains("[\"/models\"]");
        assertThat(env).containsEntry("LANG", "C.UTF-8");
    }

    @Test
    void shouldStartTheRunCommandWithContainerAwareJvmFlags() throws Exception {
        var json = new ObjectMapper();
        var strings = new TypeReference<List<String>>() { };
        List<String> command = new ArrayList<>(
                json.readValue(DOCKERFILE.single(DOCKERFILE.finalStage("ENTRYPOINT")).orElseThrow(), strings));
        command.addAll(json.readValue(DOCKERFILE.single(DOCKERFILE.finalStage("CMD")).orElseThrow(), strings));

        assertThat(command).startsWith("java").contains("-XX:+ExitOnOutOfMemoryError").endsWith("run");
        assertThat(command).anyMatch(arg -> arg.startsWith("-XX:MaxRAMPercentage="));
        String jar = command.get(command.indexOf("-jar") + 1);
        assertThat(DOCKERFILE.finalStage("COPY")).anySatisfy(copy -> assertThat(copy.arguments()).endsWith(" " + jar));
        assertThat(Arrays.stream(Main.class.getAnnotation(Command.class).subcommands())
                .map(c -> c.getAnnotation(Command.class).name())).contains("run");
    }

    @Test
    void shouldCopyOnlyBuildInputsThatExistAndThatDockerignoreLetsIn() {
        List<String> allowed = RepositoryFiles.lines(RepositoryFiles.path(".dockerignore")).stream()
                .filter(l -> l.startsWith("!")).map(l -> l.substring(1).replaceAll("/$", "")).toList();

        List<String> sources = DOCKERFILE.all("COPY").stream().map(Dockerfile.Instruction::arguments)
                .filter(a -> !a.startsWith("--from")).flatMap(a -> {
                    String[] words = a.split("\\s+");
                    return Arrays.stream(words, 0, words.length - 1);
                }).toList();

        assertThat(sources).isNotEmpty().allSatisfy(source -> {
            assertThat(Files.exists(RepositoryFiles.path(source))).as(source).isTrue();
            assertThat(allowed).as(".dockerignore re-includes %s", source)
                    .anyMatch(a -> a.equals(source) || a.startsWith(source + "/"));
        });
    }
}
