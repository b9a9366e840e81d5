package io.rewardannotator.streams.stats;

import io.rewardannotator.scoring.RewardResult;
import io.rewardannotator.streams.DataSerde;
import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;

/**
 * What the reward statistics count, keyed by {@link PolicyKey}: an input record whose policy is known (scored or
 * dead-lettered, forwarded by the micro-batch scorer at the input record's timestamp), or a closed group of
 * responses to one prompt (from the group branch, at its last member's timestamp).
 *
 * @param kind           what is counted
 * @param score          the expected reward ({@code NaN} unless scored)
 * @param spread         scored: the standard deviation of the reward quantiles; group: the sample standard
 *                       deviation of its members' scores ({@code NaN} when dead-lettered)
 * @param lowestQuantile the lowest of the reward quantiles (the first once sorted: QRM's are not monotone;
 *                       {@code NaN} unless scored)
 */
public record StatsOutcome(Kind kind, double score, double spread, double lowestQuantile) {
    public enum Kind { SCORED, DEAD_LETTERED, GROUP }

    /** Version 1 had no groups: a boolean (dead-lettered) where version 2 has the kind. */
    static final DataSerde<StatsOutcome> SERDE = DataSerde.evolving(2, 1, StatsOutcome::write, StatsOutcome::read);

    /** The scorer dead-letters non-finite scores, so a scored outcome's values are finite. */
    public static StatsOutcome scored(RewardResult result) {
        double lowest = Double.POSITIVE_INFINITY;
        for (double q : result.quantiles()) {
            lowest = Math.min(lowest, q);
        }
        return new StatsOutcome(Kind.SCORED, result.score(), result.statistics().spread(), lowest);
    }

    public static StatsOutcome deadLetter() {
        return new StatsOutcome(Kind.DEAD_LETTERED, Double.NaN, Double.NaN, Double.NaN);
    }

    /** @param scoreSpread the sample standard deviation of the group's member scores */
    public static StatsOutcome group(double scoreSpread) {
        return new StatsOutcome(Kind.GROUP, Double.NaN, scoreSpread, Double.NaN);
    }

    private static void write(StatsOutcome outcome, DataOutput out) throws IOException {
        out.writeByte(outcome.kind.ordinal());
        out.writeDouble(outcome.score);
        out.writeDouble(outcome.spread);
        out.writeDouble(outcome.lowestQuantile);
    }

    private static StatsOutcome read(int version, DataInput in) throws IOException {
        Kind kind;
        if (version == 1) {
            kind = in.readBoolean() ? Kind.DEAD_LETTERED : Kind.SCORED;
        } else {
            int ordinal = in.readUnsignedByte();
            if (ordinal >= Kind.values().length) {
                throw new IOException("unknown outcome kind " + ordinal);
            }
            kind = Kind.values()[ordinal];
        }
        return new StatsOutcome(kind, in.readDouble(), in.readDouble(), in.readDouble());
    }
}
