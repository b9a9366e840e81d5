package io.rewardannotator.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.rewardannotator.TestBundles;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class BenchCommandTest {
    private static final Pattern ROW = Pattern.compile(
            "(?m)^(planner|FIFO fixed size).*?\\s+([0-9.]+)\\s+([0-9.]+)\\s+([0-9.]+)\\s+([0-9.]+)\\s+([0-9.]+)\\s+(\\d+)"
                    + "\\s+\\d+ MB$");

    @Test
    void shouldReportBothBatchersWithLessPaddingForTheTokenBudget() {
        CliRun run = CliRun.of("bench", "--model", TestBundles.TINY.toString(), "--requests", "64",
                "--min-tokens", "20", "--max-tokens", "400", "--fifo-batch-size", "8");

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).contains("64 requests").contains("log-uniform");
        Matcher m = ROW.matcher(run.out());
        assertThat(m.find()).as(run.out()).isTrue();
        double budgetPadding = Double.parseDouble(m.group(5));
        assertThat(m.group(6)).as("no prompt shared: the tiny bundle's graph has no past inputs").isEqualTo("0.000");
        assertThat(m.find()).as(run.out()).isTrue();
        double fifoPadding = Double.parseDouble(m.group(5));
        int fifoBatches = Integer.parseInt(m.group(7));
        // the service plans what has arrived when a runner frees up: a round may end in a partial batch
        assertThat(fifoBatches).isBetween(64 / 8, 64 / 8 * 2);
        assertThat(budgetPadding).isGreaterThan(fifoPadding).isLessThanOrEqualTo(1.0);
    }

    @Test
    void shouldRefuseLengthsTheModelCannotTake() {
        CliRun run = CliRun.of("bench", "--model", TestBundles.TINY.toString(), "--max-tokens", "9000");

        assertThat(run.exitCode()).isEqualTo(Main.EXIT_CONFIG);
        assertThat(run.err()).contains("max_tokens 4096");
    }
}
