package io.rewardannotator.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.rewardannotator.app.ChildJvm;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The README's first command, {@code demo}, in its own JVM with nothing else running. */
class DemoCommandIntegrationTest {
    @Test
    void shouldScoreTheSamplesAndShowTheDeadLettersThenExitZero() throws Exception {
        ChildJvm demo = ChildJvm.start("demo", Map.of(), "demo");

        assertThat(demo.process().waitFor(3, TimeUnit.MINUTES)).as("demo finished").isTrue();

        assertThat(demo.process().exitValue()).as(demo.tail()).isZero();
        String out = demo.output();
        assertThat(out).contains("MEANINGLESS")
                .contains("Scored events (scored-responses, 5)")
                .contains("pizza-honest").contains("quantiles").contains("top attributes")
                .contains("Dead letters (reward-annotator-dead-letters, 3)")
                .contains("INVALID_ROLE").contains("PROMPT_NOT_ENDING_WITH_USER").contains("WRONG_MAGIC_BYTE")
                .contains("8 sent = 5 scored + 3 dead-lettered");
    }
}
