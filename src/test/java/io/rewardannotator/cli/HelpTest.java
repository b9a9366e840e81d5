package io.rewardannotator.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class HelpTest {
    @ParameterizedTest
    @ValueSource(strings = {"run", "demo", "replay", "score", "bench", "bench-streams", "config-docs"})
    void shouldPrintUsageForHelpFlagsWithoutRequiredOptions(String command) {
        for (String flag : new String[] {"--help", "-h"}) {
            CliRun run = CliRun.of(command, flag);

            assertThat(run.exitCode()).as(command + " " + flag + ": " + run.err()).isZero();
            assertThat(run.out()).contains("Usage: reward-annotator " + command);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"run", "demo", "replay", "score", "bench", "bench-streams", "config-docs"})
    void shouldPrintUsageForHelpCommand(String command) {
        CliRun run = CliRun.of("help", command);

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).contains("Usage: reward-annotator " + command);
    }

    @ParameterizedTest
    @ValueSource(strings = {"help", "--help", "-h"})
    void shouldListEveryCommandInTheTopLevelHelp(String arg) {
        CliRun run = CliRun.of(arg);

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).contains("Usage: reward-annotator").contains("bench-streams").contains("config-docs")
                .contains("help");
    }
}
