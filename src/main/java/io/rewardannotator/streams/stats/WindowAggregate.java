package io.rewardannotator.streams.stats;

import io.rewardannotator.event.RewardStats;
import io.rewardannotator.streams.DataSerde;
import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.time.Instant;

/**
 * The running figures of one policy version over one window, as the window store keeps them: counts, sums (not
 * means) and a {@link ScoreHistogram}, so that adding a response is O(1) whatever the window holds.
 */
final class WindowAggregate {
    /** Version 1 had no group figures: they read as none. */
    static final DataSerde<WindowAggregate> SERDE = DataSerde.evolving(2, 1, WindowAggregate::write,
            WindowAggregate::read);

    private final ScoreHistogram scores;
    private double scoreSum;
    private double spreadSum;
    private long lowerTail;
    private long deadLetters;
    private long groups;
    private double groupSpreadSum;

    WindowAggregate(HistogramBins bins) {
        this(new ScoreHistogram(bins));
    }

    private WindowAggregate(ScoreHistogram scores) {
        this.scores = scores;
    }

    /** Counts one outcome; a scored one is in the lower tail when its lowest quantile is below the threshold. */
    void add(StatsOutcome outcome, double lowerTailThreshold) {
        if (outcome.kind() == StatsOutcome.Kind.DEAD_LETTERED) {
            deadLetters++;
            return;
        }
        if (outcome.kind() == StatsOutcome.Kind.GROUP) {
            groups++;
            groupSpreadSum += outcome.spread();
            return;
        }
        scores.add(outcome.score());
        scoreSum += outcome.score();
        spreadSum += outcome.spread();
        if (outcome.lowestQuantile() < lowerTailThreshold) {
            lowerTail++;
        }
    }

    long count() {
        return scores.count();
    }

    long deadLetters() {
        return deadLetters;
    }

    /** The event for window {@code [start, end)}; the reward figures are {@code null} when nothing was scored. */
    RewardStats toEvent(PolicyKey policy, long start, long end, double lowerTailThreshold) {
        long n = count();
        return RewardStats.newBuilder()
                .setPolicy(policy.toPolicy())
                .setWindowStart(Instant.ofEpochMilli(start))
                .setWindowEnd(Instant.ofEpochMilli(end))
                .setCount(n)
                .setMeanScore(n == 0 ? null : scoreSum / n)
                .setScoreP10(n == 0 ? null : scores.quantile(0.10))
                .setScoreP50(n == 0 ? null : scores.quantile(0.50))
                .setScoreP90(n == 0 ? null : scores.quantile(0.90))
                .setMeanSpread(n == 0 ? null : spreadSum / n)
                .setLowerTailRate(n == 0 ? null : (double) lowerTail / n)
                .setLowerTailThreshold(lowerTailThreshold)
                .setDeadLetterCount(deadLetters)
                .setGroupCount(groups)
                .setMeanGroupSpread(groups == 0 ? null : groupSpreadSum / groups)
                .build();
    }

    private static void write(WindowAggregate a, DataOutput out) throws IOException {
        out.writeDouble(a.scoreSum);
        out.writeDouble(a.spreadSum);
        out.writeLong(a.lowerTail);
        out.writeLong(a.deadLetters);
        a.scores.writeTo(out);
        out.writeLong(a.groups);
        out.writeDouble(a.groupSpreadSum);
    }

    private static WindowAggregate read(int version, DataInput in) throws IOException {
        double scoreSum = in.readDouble();
        double spreadSum = in.readDouble();
        long lowerTail = in.readLong();
        long deadLetters = in.readLong();
        WindowAggregate a = new WindowAggregate(ScoreHistogram.readFrom(in));
        a.scoreSum = scoreSum;
        a.spreadSum = spreadSum;
        a.lowerTail = lowerTail;
        a.deadLetters = deadLetters;
        if (version >= 2) {
            a.groups = in.readLong();
            a.groupSpreadSum = in.readDouble();
        }
        return a;
    }
}
