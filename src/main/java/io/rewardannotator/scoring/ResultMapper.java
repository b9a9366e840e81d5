package io.rewardannotator.scoring;

import io.rewardannotator.model.RawRewards;
import io.rewardannotator.text.EncodedConversation;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns one row of the graph's outputs into a {@link RewardResult}, and checks the model's own identity
 * {@code score == mean(reward_quantiles)} (warned once per model: a failing identity means a wrong export).
 */
final class ResultMapper {
    private static final Logger LOG = LoggerFactory.getLogger(ResultMapper.class);
    /** float32 sums over 19x19 products: relative error well under this for a correct graph. */
    private static final double IDENTITY_TOLERANCE = 1e-3;

    private final ScorerInfo info;
    private final double[] levels;
    private final double cvarAlpha;
    private final AtomicBoolean warned = new AtomicBoolean();

    ResultMapper(ScorerInfo info, double cvarAlpha) {
        this.info = info;
        this.levels = info.levelArray();
        this.cvarAlpha = cvarAlpha;
    }

    RewardResult map(RawRewards raw, int row, EncodedConversation input) {
        int q = raw.numQuantiles();
        int k = raw.numAttributes();
        double[] quantiles = slice(raw.quantiles(), row * q, q);
        double score = raw.score()[row];
        checkIdentity(score, quantiles);
        return new RewardResult(score, quantiles, slice(raw.rewards(), row * k, k), slice(raw.gating(), row * k, k),
                RewardStatistics.of(quantiles, levels, cvarAlpha), input.length(), input.droppedTurns());
    }

    private void checkIdentity(double score, double[] quantiles) {
        double mean = 0;
        for (double v : quantiles) {
            mean += v;
        }
        mean /= quantiles.length;
        double gap = Math.abs(score - mean);
        if (gap > IDENTITY_TOLERANCE * Math.max(1.0, Math.abs(score)) && warned.compareAndSet(false, true)) {
            LOG.warn("model {} revision {}: score {} differs from the mean of its quantiles {} by {}; "
                    + "the export may not follow the QRM contract (warned once)", info.name(), info.revision(),
                    score, mean, gap);
        }
    }

    private static double[] slice(float[] values, int offset, int length) {
        double[] out = new double[length];
        for (int i = 0; i < length; i++) {
            out[i] = values[offset + i];
        }
        return out;
    }
}
