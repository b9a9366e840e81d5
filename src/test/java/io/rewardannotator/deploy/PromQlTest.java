package io.rewardannotator.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PromQlTest {
    private static final Map<String, List<Map<String, String>>> EXPOSED = PromQl.series(String.join("\n",
            "# TYPE x counter",
            "reward_annotator_records_dead_lettered_total{reason=\"TOO_LONG\",stage=\"validate\"} 1.0",
            "reward_annotator_record_latency_seconds{quantile=\"0.99\"} 0.5",
            "kafka_consumer_fetch_manager_records_lag_max{client_id=\"app-1-StreamThread-1-consumer\"} 3.0",
            ""));

    @Test
    void shouldFindSelectorsMatchersAndGroupingButNotFunctionsOrRanges() {
        PromQl.Query query = PromQl.read("sum by (stage, reason) (rate(reward_annotator_records_dead_lettered_total"
                + "{job=~\"$job\"}[5m])) / on () sum(kafka_consumer_fetch_manager_records_lag_max"
                + "{client_id=~\".+-StreamThread-[0-9]+-consumer\"}) > 0 and up");

        assertThat(query.selectors()).extracting(PromQl.Selector::metric).containsExactly(
                "reward_annotator_records_dead_lettered_total", "kafka_consumer_fetch_manager_records_lag_max", "up");
        assertThat(query.groupedBy()).containsExactly("stage", "reason");
        assertThat(query.selectors().get(1).matchers()).containsExactly(
                new PromQl.LabelMatcher("client_id", "=~", ".+-StreamThread-[0-9]+-consumer"));
    }

    @Test
    void shouldReportMissingMetricsLabelsValuesAndGroupingLabels() {
        assertThat(PromQl.problems(PromQl.read("rate(reward_annotator_records_scored_total[5m])"), EXPOSED))
                .singleElement().asString().contains("reward_annotator_records_scored_total is not exposed");
        assertThat(PromQl.problems(PromQl.read("reward_annotator_record_latency_seconds{quantile=\"0.999\"}"),
                EXPOSED)).singleElement().asString().contains("quantile=\"0.999\"");
        assertThat(PromQl.problems(PromQl.read("sum by (policy) (reward_annotator_records_dead_lettered_total)"),
                EXPOSED)).singleElement().asString().contains("grouping label policy");
        assertThat(PromQl.problems(PromQl.read("max by (pod, quantile) (reward_annotator_record_latency_seconds"
                + "{job=\"reward-annotator\"})"), EXPOSED)).isEmpty();
    }
}
