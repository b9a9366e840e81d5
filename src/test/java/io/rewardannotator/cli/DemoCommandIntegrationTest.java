package io.rewardannotator.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.rewardannotator.app.ChildJvm;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The README's first command, {@code demo}, in its own JVM with nothing else running. */
class DemoCommandIntegrationTest {
    @TempDir
    Path tmp;

    @Test
    void shouldTellTheStoryOnStdoutAndKeepStderrFreeOfWarningsAndStackTraces() throws Exception {
        Path out = tmp.resolve("stdout.txt");
        Path err = tmp.resolve("stderr.txt");
        Process demo = new ProcessBuilder(ChildJvm.command("demo")).redirectOutput(out.toFile())
                .redirectError(err.toFile()).start();

        assertThat(demo.waitFor(3, TimeUnit.MINUTES)).as("demo finished").isTrue();

        String stdout = Files.readString(out);
        String stderr = Files.readString(err);
        assertThat(demo.exitValue()).as(stdout + stderr).isZero();
        assertThat(stdout).contains("MEANINGLESS")
                .contains("Scored events (scored-responses, 5)")
                .contains("pizza-honest").contains("quantiles").contains("top attributes")
                .contains("prompt   \"Is pineapple a good topping for pizza?\"")
                .contains("response \"It is a matter of taste.")
                .contains("Dead letters (reward-annotator-dead-letters, 3)")
                .contains("INVALID_ROLE").contains("PROMPT_NOT_ENDING_WITH_USER").contains("WRONG_MAGIC_BYTE")
                .contains("8 sent = 5 scored + 3 dead-lettered")
                .contains("Reward-stats window (reward-stats")
                .contains("demo-policy v1").contains("5 scored, 2 dead-lettered");
        // the model card's example comes first
        assertThat(stdout.indexOf("pizza-honest")).isLessThan(stdout.indexOf("capital"));
        assertThat(stderr).as("stderr").doesNotContain("WARN").doesNotContain("\tat ").doesNotContain("Exception");
        String logFile = stdout.lines().filter(line -> line.startsWith("Logs of Kafka and the annotator: "))
                .findFirst().orElseThrow().substring("Logs of Kafka and the annotator: ".length());
        assertThat(Path.of(logFile)).exists();
    }
}
