package io.rewardannotator.replay;

import static org.assertj.core.api.Assertions.assertThat;

import io.rewardannotator.replay.ReplayPlan.PartitionSlice;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

class ReplayPlanTest {
    private static final TopicPartition P0 = new TopicPartition("in", 0);
    private static final TopicPartition P1 = new TopicPartition("in", 1);
    private static final TopicPartition P2 = new TopicPartition("in", 2);

    @Test
    void shouldCountRecordsBetweenStartAndBoundAndNothingPastIt() {
        ReplayPlan plan = new ReplayPlan("in", "app", List.of(new PartitionSlice(0, 10, 40, false),
                new PartitionSlice(1, 7, 7, false), new PartitionSlice(2, 55, 50, true)));

        assertThat(plan.records()).isEqualTo(30);
        assertThat(plan.isEmpty()).isFalse();
        assertThat(plan.bounds().ends()).isEqualTo(Map.of(P0, 40L, P1, 7L, P2, 50L));
    }

    @Test
    void shouldCommitStartsOnlyWhereTheGroupHasNoOffset() {
        ReplayPlan fresh = new ReplayPlan("in", "app", List.of(new PartitionSlice(0, 10, 40, false),
                new PartitionSlice(1, 7, 7, false)));
        ReplayPlan resumed = new ReplayPlan("in", "app", List.of(new PartitionSlice(0, 25, 40, true),
                new PartitionSlice(1, 3, 7, false)));

        assertThat(fresh.resumed()).isFalse();
        assertThat(fresh.startsToCommit()).isEqualTo(Map.of(P0, 10L, P1, 7L));
        assertThat(resumed.resumed()).isTrue();
        assertThat(resumed.startsToCommit()).isEqualTo(Map.of(P1, 3L));
    }

    @Test
    void shouldPrintOneRowPerPartitionAndTheTotal() {
        ReplayPlan plan = new ReplayPlan("in", "app-id", List.of(new PartitionSlice(0, 10, 40, true),
                new PartitionSlice(1, 0, 0, false)));
        StringWriter out = new StringWriter();

        plan.print(new PrintWriter(out));

        assertThat(out.toString()).contains("replay of in as application.id app-id", "resuming",
                "          0           10           40         30  (committed)",
                "          1            0            0          0", "total 30 records");
    }
}
