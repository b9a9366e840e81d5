package io.rewardannotator.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.rewardannotator.devkit.DemoEvents;
import java.util.List;
import org.junit.jupiter.api.Test;

class DemoEventsFileTest {
    @Test
    void shouldSendEventsForLinesInTheScoreFormatAndRawBytesForOthers() {
        List<String> lines = List.of(
                "{\"id\": \"a\", \"prompt\": [{\"role\": \"user\", \"content\": \"Hi\"}], \"response\": \"Hello\"}",
                "",
                "{\"prompt\": [{\"role\": \"robot\", \"content\": \"beep\"}], \"response\": \"boop\"}",
                "not json");

        List<DemoEvents.Outgoing> out = DemoCommand.fromJsonLines(lines);

        assertThat(out).extracting(DemoEvents.Outgoing::key).containsExactly("a", "line-3", "line-4");
        assertThat(out.get(0).event().getPrompt().get(0).getContent()).isEqualTo("Hi");
        // an unknown role is still an event: the annotator dead-letters it as INVALID_ROLE
        assertThat(out.get(1).event().getPrompt().get(0).getRole()).isEqualTo("robot");
        assertThat(out.get(2).event()).isNull();
        assertThat(new String(out.get(2).raw())).isEqualTo("not json");
    }
}
