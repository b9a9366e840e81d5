package io.rewardannotator.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.rewardannotator.event.Policy;
import io.rewardannotator.event.RewardStats;
import io.rewardannotator.scoring.ScoringStage;
import io.rewardannotator.streams.DeadLetters;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class AnnotatorMetricsTest {
    private static RewardStats window(long end, long count, Double mean) {
        return window("v7", end, count, mean);
    }

    private static RewardStats window(String version, long end, long count, Double mean) {
        return RewardStats.newBuilder()
                .setPolicy(new Policy("policy-a", version))
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
        try (AnnotatorMetrics metrics = new AnnotatorMetrics(3)) {
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
        try (AnnotatorMetrics metrics = new AnnotatorMetrics(3)) {
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
        try (AnnotatorMetrics metrics = new AnnotatorMetrics(3)) {
            metrics.scored("policy-a", "v1", 42, 10);
            metrics.deadLettered(DeadLetters.Stage.VALIDATE, "INVALID_ROLE", "policy-a", "v1");
            metrics.deadLettered(DeadLetters.Stage.VALIDATE, "INVALID_ROLE", "policy-a", "v1");

            assertThat(metrics.summary()).isEqualTo("1 scored, 2 dead-lettered (validate/INVALID_ROLE 2)");
        }
    }

    @Test
    void shouldSumUpAnIdleAnnotatorWithoutAReasonList() {
        try (AnnotatorMetrics metrics = new AnnotatorMetrics(3)) {
            assertThat(metrics.summary()).isEqualTo("0 scored, 0 dead-lettered");
        }
    }

    @Test
    void shouldKeepTheSeriesCountBoundedWhileNewPolicyVersionsKeepComing() {
        try (AnnotatorMetrics metrics = new AnnotatorMetrics(3)) {
            int baseline = seriesCount(metrics);
            int peak = 0;
            // one new version per minute window, each reporting two windows and a late record, like online RLHF
            for (int v = 0; v < 200; v++) {
                long end = (v + 1) * 60_000L;
                metrics.windowClosed(window("v" + v, end, 5, 1.0));
                metrics.lateStatsRecord("policy-a", "v" + v, 10);
                if (v > 0) {
                    metrics.windowClosed(window("v" + (v - 1), end, 5, 1.0));
                }
                peak = Math.max(peak, seriesCount(metrics) - baseline);
            }

            String scrape = metrics.scrape();

            // versions with a window in the last 3 windows: v196..v199 (v196 reported at 197 min, within 3 min of 200)
            // at most 5 versions at once, each with 11 window gauges and its late-record counter
            assertThat(peak).isLessThanOrEqualTo(5 * 12);
            assertThat(scrape).contains("policy_version=\"v199\"").contains("policy_version=\"v197\"")
                    .doesNotContain("policy_version=\"v0\"").doesNotContain("policy_version=\"v150\"");
        }
    }

    @Test
    void shouldCountPromptTokensComputedOnceForAGroup() {
        try (AnnotatorMetrics metrics = new AnnotatorMetrics(3)) {
            metrics.promptTokensShared(120);
            metrics.promptTokensShared(30);

            assertThat(metrics.scrape()).contains("reward_annotator_prompt_tokens_shared_total 150.0");
        }
    }

    /** A Prometheus scrape runs on the HTTP thread while the stream thread closes windows. */
    @Test
    void shouldNeverScrapeHalfOfAPolicyVersionsSeries() throws Exception {
        try (AnnotatorMetrics metrics = new AnnotatorMetrics(3)) {
            int versions = 400;
            Thread streamThread = new Thread(() -> {
                for (int v = 0; v < versions; v++) {
                    metrics.windowClosed(window("v" + v, 60_000, 5, 1.0));
                }
            });
            List<String> torn = new ArrayList<>();
            streamThread.start();
            do {
                String scrape = metrics.scrape();
                Set<String> counted = versionsOf(scrape, "reward_annotator_stats_window_count");
                Set<String> ended = versionsOf(scrape, "reward_annotator_stats_window_end_seconds");
                if (!counted.equals(ended)) {
                    torn.add("count for " + counted.size() + " versions, end_seconds for " + ended.size());
                }
            } while (streamThread.isAlive());
            streamThread.join();

            assertThat(torn).as("scrapes that showed some of a version's window gauges but not all").isEmpty();
            assertThat(versionsOf(metrics.scrape(), "reward_annotator_stats_window_mean_score")).hasSize(versions);
        }
    }

    private static Set<String> versionsOf(String scrape, String metric) {
        Matcher m = Pattern.compile("(?m)^" + metric + "\\{.*policy_version=\"([^\"]+)\"").matcher(scrape);
        Set<String> out = new HashSet<>();
        while (m.find()) {
            out.add(m.group(1));
        }
        return out;
    }

    @Test
    void shouldTimeEachScoringStage() {
        try (AnnotatorMetrics metrics = new AnnotatorMetrics(3)) {
            metrics.stageTimed(ScoringStage.ENCODE, 2_000_000);
            metrics.stageTimed(ScoringStage.ENCODE, 4_000_000);
            metrics.stageTimed(ScoringStage.FORWARD, 500_000_000);

            String scrape = metrics.scrape();

            assertThat(scrape).contains("reward_annotator_stage_seconds_count{stage=\"encode\"} 2")
                    .contains("reward_annotator_stage_seconds_sum{stage=\"encode\"} 0.006")
                    .contains("reward_annotator_stage_seconds_sum{stage=\"forward\"} 0.5");
        }
    }

    @Test
    void shouldKeepAVersionThatStillReports() {
        try (AnnotatorMetrics metrics = new AnnotatorMetrics(2)) {
            for (int w = 1; w <= 20; w++) {
                metrics.windowClosed(window("stable", w * 60_000L, 1, 1.0));
                metrics.windowClosed(window("short-lived-" + w, w * 60_000L, 1, 1.0));
            }

            assertThat(metrics.scrape()).contains("policy_version=\"stable\"")
                    .doesNotContain("policy_version=\"short-lived-1\"");
        }
    }

    @Test
    void shouldExposeTheWindowsGroupFiguresAndCountGroupsAndLateMembers() {
        try (AnnotatorMetrics metrics = new AnnotatorMetrics(3)) {
            RewardStats window = window(60_000, 8, 1.5);
            window.setGroupCount(2L);
            window.setMeanGroupSpread(0.75);
            metrics.windowClosed(window);
            metrics.groupClosed("policy-a", "v7", true);
            metrics.groupClosed("policy-a", "v7", true);
            metrics.groupClosed("policy-a", "v7", false);
            metrics.lateGroupMember("policy-a", "v7");

            String scrape = metrics.scrape();

            String tags = "policy=\"policy-a\",policy_version=\"v7\"";
            assertThat(scrape).contains("reward_annotator_stats_window_groups{" + tags + "} 2.0")
                    .contains("reward_annotator_stats_window_mean_group_spread{" + tags + "} 0.75")
                    .contains("reward_annotator_groups_closed_total{complete=\"true\"," + tags + "} 2.0")
                    .contains("reward_annotator_groups_closed_total{complete=\"false\"," + tags + "} 1.0")
                    .contains("reward_annotator_groups_late_members_total{" + tags + "} 1.0");
        }
    }

    /** Meters tagged with a policy version. */
    private static int seriesCount(AnnotatorMetrics metrics) {
        return (int) metrics.scrape().lines().filter(l -> l.contains("policy_version=")).count();
    }
}
