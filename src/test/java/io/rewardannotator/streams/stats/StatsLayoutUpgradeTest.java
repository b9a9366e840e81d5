package io.rewardannotator.streams.stats;

import static org.assertj.core.api.Assertions.assertThat;

import io.rewardannotator.event.RewardStats;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * Release 1 of these layouts had no groups. After an upgrade the new release reads what the old one left in the
 * statistics' repartition topic and window store: version 1 must still decode, with no group figures.
 */
class StatsLayoutUpgradeTest {
    private static final PolicyKey POLICY = new PolicyKey("policy-a", "v1");

    /** Version 1 of an outcome: the version byte, dead-lettered, score, spread, lowest quantile. */
    private static byte[] outcomeV1(boolean deadLettered, double score, double spread, double lowest)
            throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(1);
            out.writeBoolean(deadLettered);
            out.writeDouble(score);
            out.writeDouble(spread);
            out.writeDouble(lowest);
        }
        return bytes.toByteArray();
    }

    @Test
    void shouldReadVersionOneOutcomesAsScoredOrDeadLettered() throws IOException {
        StatsOutcome scored = StatsOutcome.SERDE.deserializer().deserialize("t", outcomeV1(false, 2.5, 0.3, 1.1));
        StatsOutcome dead = StatsOutcome.SERDE.deserializer().deserialize("t",
                outcomeV1(true, Double.NaN, Double.NaN, Double.NaN));

        assertThat(scored).isEqualTo(new StatsOutcome(StatsOutcome.Kind.SCORED, 2.5, 0.3, 1.1));
        assertThat(dead.kind()).isEqualTo(StatsOutcome.Kind.DEAD_LETTERED);
    }

    @Test
    void shouldRoundTripEveryKindInTodaysLayout() {
        for (StatsOutcome outcome : new StatsOutcome[] {new StatsOutcome(StatsOutcome.Kind.SCORED, 1, 2, 0.5),
                StatsOutcome.deadLetter(), StatsOutcome.group(0.75)}) {
            byte[] bytes = StatsOutcome.SERDE.serializer().serialize("t", outcome);

            assertThat(bytes[0]).isEqualTo((byte) 2);
            assertThat(StatsOutcome.SERDE.deserializer().deserialize("t", bytes)).isEqualTo(outcome);
        }
    }

    @Test
    void shouldReadAVersionOneWindowAggregateWithNoGroups() {
        // a window of two scored responses and a dead letter; version 1 is today's layout without the group
        // figures at the end (a long and a double)
        WindowAggregate aggregate = new WindowAggregate(new HistogramBins(-10, 10, 200));
        aggregate.add(new StatsOutcome(StatsOutcome.Kind.SCORED, 1.0, 0.5, 0.2), 0.5);
        aggregate.add(new StatsOutcome(StatsOutcome.Kind.SCORED, 3.0, 1.5, 0.7), 0.5);
        aggregate.add(StatsOutcome.deadLetter(), 0.5);
        byte[] v2 = WindowAggregate.SERDE.serializer().serialize("t", aggregate);
        byte[] v1 = Arrays.copyOf(v2, v2.length - Long.BYTES - Double.BYTES);
        v1[0] = 1;

        RewardStats read = WindowAggregate.SERDE.deserializer().deserialize("t", v1).toEvent(POLICY, 0, 10, 0.5);

        assertThat(read.getCount()).isEqualTo(2);
        assertThat(read.getMeanScore()).isEqualTo(2.0);
        assertThat(read.getDeadLetterCount()).isEqualTo(1);
        assertThat(read.getGroupCount()).isZero();
        assertThat(read.getMeanGroupSpread()).isNull();
    }
}
