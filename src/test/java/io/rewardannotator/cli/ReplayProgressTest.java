package io.rewardannotator.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.rewardannotator.streams.DeadLetters;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class ReplayProgressTest {
    @Test
    void shouldSummarizeScoredAndDeadLetteredByReason() {
        ReplayProgress progress = new ReplayProgress(6, null);
        for (int i = 0; i < 3; i++) {
            progress.scored("policy-a", "v1", 12, 5);
        }
        progress.deadLettered(DeadLetters.Stage.VALIDATE, "TOO_LONG", "policy-a", "v1");
        progress.deadLettered(DeadLetters.Stage.DESERIALIZE, "WRONG_MAGIC_BYTE", null, null);
        progress.deadLettered(DeadLetters.Stage.VALIDATE, "TOO_LONG", "policy-a", "v1");
        StringWriter out = new StringWriter();

        progress.summary(new PrintWriter(out), true, "tiny-qrm-test tiny-qrm-20240917-v1");

        assertThat(progress.done()).isEqualTo(6);
        assertThat(out.toString()).startsWith("replay complete: 6 records in ")
                .contains("scored:        3 with tiny-qrm-test tiny-qrm-20240917-v1",
                        "dead-lettered: 3 (TOO_LONG: 2, WRONG_MAGIC_BYTE: 1)")
                .doesNotContain("resume");
    }

    @Test
    void shouldSayHowToResumeARunStoppedBeforeItsEnd() {
        StringWriter out = new StringWriter();

        new ReplayProgress(10, null).summary(new PrintWriter(out), false, "m r");

        assertThat(out.toString()).startsWith("replay stopped before its end: 0 records")
                .contains("dead-lettered: 0\n", "run the same command again to resume");
    }

    @Test
    void shouldShowRecordsOfTotalRateAndTimeLeft() {
        assertThat(ProgressBar.status(10, 40, TimeUnit.SECONDS.toNanos(5))).isEqualTo("10/40 records, 2.0/s, ETA 15s");
        assertThat(ProgressBar.status(40, 40, TimeUnit.SECONDS.toNanos(20))).isEqualTo("40/40 records, 2.0/s");
        assertThat(ProgressBar.duration(185)).isEqualTo("3m05s");
        assertThat(ProgressBar.duration(7620)).isEqualTo("2h07m");
    }
}
