package io.rewardannotator.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.rewardannotator.app.ChildJvm;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
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
                .contains("Scored events (scored-responses, 9)")
                .contains("pizza-honest").contains("quantiles").contains("top attributes")
                .contains("prompt   \"Is pineapple a good topping for pizza?\"")
                .contains("response \"It is a matter of taste.")
                .contains("Dead letters (reward-annotator-dead-letters, 3)")
                .contains("INVALID_ROLE").contains("PROMPT_NOT_ENDING_WITH_USER").contains("WRONG_MAGIC_BYTE")
                .contains("12 sent = 9 scored + 3 dead-lettered")
                .contains("Groups of responses to one prompt (scored-groups, 2)")
                .contains("pizza: 2 of 2 members scored").contains("P(pizza-honest better than pizza-dismissive) = ")
                .contains("sky: 4 of 4 members scored").contains("p_better (row beats column)")
                .contains("Reward-stats window (reward-stats")
                .contains("demo-policy v1").contains("9 scored, 2 dead-lettered")
                .contains("2 groups, mean within-group spread of scores ");
        // the group of four: every member has an advantage, and the advantages of a group sum to zero
        List<Double> advantages = stdout.lines().filter(line -> line.strip().startsWith("sky-"))
                .filter(line -> line.contains("advantage"))
                .map(line -> Double.parseDouble(line.replaceAll(".*advantage\\s+([-+0-9.]+).*", "$1"))).toList();
        assertThat(advantages).hasSize(4);
        assertThat(advantages.stream().mapToDouble(Double::doubleValue).sum()).isCloseTo(0, within(0.01));
        // the model card's example comes first
        assertThat(stdout.indexOf("pizza-honest")).isLessThan(stdout.indexOf("capital"));
        assertThat(stderr).as("stderr").doesNotContain("WARN").doesNotContain("\tat ").doesNotContain("Exception");
        String logFile = stdout.lines().filter(line -> line.startsWith("Logs of Kafka and the annotator: "))
                .findFirst().orElseThrow().substring("Logs of Kafka and the annotator: ".length());
        assertThat(Path.of(logFile)).exists();
    }
}
