package io.rewardannotator.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.rewardannotator.event.Policy;
import io.rewardannotator.event.RewardStats;
import io.rewardannotator.scoring.ScoringStage;
import io.rewardannotator.streams.DeadLetters;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class AnnotatorMetricsTest {
    private static RewardStats window(long end, long count, Double mean) {
        return RewardStats.newBuilder()
                .setPolicy(new Policy("policy-a", "v7"))
                .setWindowStart(Instant.ofEpochMilli(end - 60_000))
                .setWindowEnd(Instant.ofEpochMilli(end))
                .setCount(count)
                .setMeanScore(mean)
                .setScoreP10(mean)
                .setScoreP50(mean)
                .setScoreP90(mean)
                .setMeanSpread(mean == null ? null : 0.5)
                .setLowerTailRate(mean == null ? null : 0.25)
                .setLowerTailThreshold(0.0)
                .setDeadLetterCount(2)
                .build();
    }

    @Test
    void shouldExposeTheLatestClosedWindowPerPolicy() {
        try (AnnotatorMetrics metrics = new AnnotatorMetrics()) {
            metrics.windowClosed(window(60_000, 10, 1.5));
            metrics.windowClosed(window(120_000, 4, 2.5));

            String scrape = metrics.scrape();

            assertThat(scrape).contains("reward_annotator_stats_window_count{policy=\"policy-a\",policy_version=\"v7\"} 4.0")
                    .contains("reward_annotator_stats_window_mean_score{policy=\"policy-a\",policy_version=\"v7\"} 2.5")
                    .contains("reward_annotator_stats_window_lower_tail_rate{policy=\"policy-a\",policy_version=\"v7\"} 0.25")
                    .contains("reward_annotator_stats_window_end_seconds{policy=\"policy-a\",policy_version=\"v7\"} 120.0");
        }
    }

    @Test
    void shouldReadNaNForFiguresAWindowWithoutScoresLacksAndCountDeadLettersByReason() {
        try (AnnotatorMetrics metrics = new AnnotatorMetrics()) {
            metrics.windowClosed(window(60_000, 0, null));
            metrics.deadLettered(DeadLetters.Stage.VALIDATE, "INVALID_ROLE", "policy-a", "v7");
            metrics.deadLettered(DeadLetters.Stage.VALIDATE, "INVALID_ROLE", "policy-a", "v7");

            String scrape = metrics.scrape();

            assertThat(scrape).contains("reward_annotator_stats_window_mean_score{policy=\"policy-a\",policy_version=\"v7\"} NaN")
                    .contains("reward_annotator_records_dead_lettered_total{reason=\"INVALID_ROLE\",stage=\"validate\"} 2.0");
        }
    }

    @Test
    void shouldSumUpScoredAndDeadLetteredRecordsByStageAndReasonForTheLog() {
        try (AnnotatorMetrics metrics = new AnnotatorMetrics()) {
            metrics.scored("policy-a", "v1", 42, 10);
            metrics.deadLettered(DeadLetters.Stage.VALIDATE, "INVALID_ROLE", "policy-a", "v1");
            metrics.deadLettered(DeadLetters.Stage.VALIDATE, "INVALID_ROLE", "policy-a", "v1");

            assertThat(metrics.summary()).isEqualTo("1 scored, 2 dead-lettered (validate/INVALID_ROLE 2)");
        }
    }

    @Test
    void shouldSumUpAnIdleAnnotatorWithoutAReasonList() {
        try (AnnotatorMetrics metrics = new AnnotatorMetrics()) {
            assertThat(metrics.summary()).isEqualTo("0 scored, 0 dead-lettered");
        }
    }

    @Test
    void shouldTimeEachScoringStage() {
        try (AnnotatorMetrics metrics = new AnnotatorMetrics()) {
            metrics.stageTimed(ScoringStage.ENCODE, 2_000_000);
            metrics.stageTimed(ScoringStage.ENCODE, 4_000_000);
            metrics.stageTimed(ScoringStage.FORWARD, 500_000_000);

            String scrape = metrics.scrape();

            assertThat(scrape).contains("reward_annotator_stage_seconds_count{stage=\"encode\"} 2")
                    .contains("reward_annotator_stage_seconds_sum{stage=\"encode\"} 0.006")
                    .contains("reward_annotator_stage_seconds_sum{stage=\"forward\"} 0.5");
        }
    }
}
