package io.rewardannotator.streams.stats;

import io.rewardannotator.scoring.RewardResult;
import io.rewardannotator.streams.DataSerde;
import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;

/**
 * What became of one input record whose policy is known, as the reward statistics see it: forwarded by
 * {@link MicroBatchProcessor}, keyed by {@link PolicyKey}, at the input record's timestamp.
 *
 * @param deadLettered   the record went to the dead-letter topic; the reward fields are {@code NaN}
 * @param score          the expected reward
 * @param spread         the standard deviation of the reward quantiles
 * @param lowestQuantile the lowest of the reward quantiles (the first once sorted: QRM's are not monotone)
 */
public record StatsOutcome(boolean deadLettered, double score, double spread, double lowestQuantile) {
    static final DataSerde<StatsOutcome> SERDE = new DataSerde<>(1, StatsOutcome::write, StatsOutcome::read);

    /** The scorer dead-letters non-finite scores, so a scored outcome's values are finite. */
    public static StatsOutcome scored(RewardResult result) {
        double lowest = Double.POSITIVE_INFINITY;
        for (double q : result.quantiles()) {
            lowest = Math.min(lowest, q);
        }
        return new StatsOutcome(false, result.score(), result.statistics().spread(), lowest);
    }

    public static StatsOutcome deadLetter() {
        return new StatsOutcome(true, Double.NaN, Double.NaN, Double.NaN);
    }

    private static void write(StatsOutcome outcome, DataOutput out) throws IOException {
        out.writeBoolean(outcome.deadLettered);
        out.writeDouble(outcome.score);
        out.writeDouble(outcome.spread);
        out.writeDouble(outcome.lowestQuantile);
    }

    private static StatsOutcome read(DataInput in) throws IOException {
        return new StatsOutcome(in.readBoolean(), in.readDouble(), in.readDouble(), in.readDouble());
    }
}
