package io.rewardannotator.model;

/**
 * The graph's four outputs for one batch, copied out of native memory.
 *
 * @param score     (batch)
 * @param quantiles (batch, numQuantiles)
 * @param rewards   (batch, numAttributes)
 * @param gating    (batch, numAttributes)
 */
public record RawRewards(int batchSize, int numQuantiles, int numAttributes,
                         float[] score, float[] quantiles, float[] rewards, float[] gating) {
    public RawRewards {
        if (score.length != batchSize || quantiles.length != batchSize * numQuantiles
                || rewards.length != batchSize * numAttributes || gating.length != batchSize * numAttributes) {
            throw new IllegalArgumentException("output sizes do not match batch " + batchSize);
        }
    }
}
