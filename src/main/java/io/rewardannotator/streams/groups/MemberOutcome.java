package io.rewardannotator.streams.groups;

import io.rewardannotator.scoring.RewardResult;
import io.rewardannotator.streams.DataSerde;
import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;

/**
 * What became of one response that carries a {@code prompt_id}, as its group sees it: forwarded by the micro-batch
 * scorer, repartitioned by {@code prompt_id}, at the input record's timestamp.
 *
 * @param responseId   the response's id
 * @param policyName   its policy's name
 * @param policyVersion its policy's version
 * @param expectedSize the group size the producer announced ({@code group_size}), or 0 when it announced none
 * @param deadLettered the response went to the dead-letter topic; it is named among the group's missing members
 *                     and the reward fields are {@code NaN}, the quantiles empty
 * @param score        the expected reward
 * @param cvar         the reward's conditional value at risk
 * @param spread       the standard deviation of its reward quantiles
 * @param quantiles    the reward quantiles, in the model's level order
 */
public record MemberOutcome(String responseId, String policyName, String policyVersion, int expectedSize,
                            boolean deadLettered, double score, double cvar, double spread, double[] quantiles) {
    static final DataSerde<MemberOutcome> SERDE = new DataSerde<>(1, MemberOutcome::write, MemberOutcome::read);

    public static MemberOutcome scored(String responseId, String policyName, String policyVersion,
                                       Integer groupSize, RewardResult result) {
        return new MemberOutcome(responseId, policyName, policyVersion, announced(groupSize), false, result.score(),
                result.statistics().cvar(), result.statistics().spread(), result.quantiles().clone());
    }

    public static MemberOutcome deadLettered(String responseId, String policyName, String policyVersion,
                                             Integer groupSize) {
        return new MemberOutcome(responseId, policyName, policyVersion, announced(groupSize), true, Double.NaN,
                Double.NaN, Double.NaN, new double[0]);
    }

    /** A size below 1 announces nothing a group could reach: read as none. */
    private static int announced(Integer groupSize) {
        return groupSize == null || groupSize < 1 ? 0 : groupSize;
    }

    static void write(MemberOutcome m, DataOutput out) throws IOException {
        DataSerde.writeString(out, m.responseId);
        DataSerde.writeString(out, m.policyName);
        DataSerde.writeString(out, m.policyVersion);
        out.writeInt(m.expectedSize);
        out.writeBoolean(m.deadLettered);
        out.writeDouble(m.score);
        out.writeDouble(m.cvar);
        out.writeDouble(m.spread);
        DataSerde.writeDoubles(out, m.quantiles);
    }

    static MemberOutcome read(DataInput in) throws IOException {
        String responseId = DataSerde.readString(in);
        String policyName = DataSerde.readString(in);
        String policyVersion = DataSerde.readString(in);
        int expectedSize = in.readInt();
        boolean deadLettered = in.readBoolean();
        double score = in.readDouble();
        double cvar = in.readDouble();
        double spread = in.readDouble();
        return new MemberOutcome(responseId, policyName, policyVersion, expectedSize, deadLettered, score, cvar,
                spread, DataSerde.readDoubles(in));
    }
}
