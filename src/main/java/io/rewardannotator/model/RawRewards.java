package io.rewardannotator.model;

/**
 * The graph's four outputs for one batch, copied out of native memory.
 *
 * @param score     (batch)
 * @param quantiles (batch, numQuantiles)
 * @param rewards   (batch, numAttributes)
 * @param gating    (batch, numAttributes)
 * @param sharedPromptTokens prompt ids the run did not compute again for each row that shares them
 */
public record RawRewards(int batchSize, int numQuantiles, int numAttributes,
                         float[] score, float[] quantiles, float[] rewards, float[] gating, long sharedPromptTokens) {
    public RawRewards {
        if (score.length != batchSize || quantiles.length != batchSize * numQuantiles
                || rewards.length != batchSize * numAttributes || gating.length != batchSize * numAttributes) {
            throw new IllegalArgumentException("output sizes do not match batch " + batchSize);
        }
    }

    /** A run in which no row shared its prompt. */
    public RawRewards(int batchSize, int numQuantiles, int numAttributes, float[] score, float[] quantiles,
                      float[] rewards, float[] gating) {
        this(batchSize, numQuantiles, numAttributes, score, quantiles, rewards, gating, 0);
    }

    /** Rows' outputs put together from the runs of parts of a batch. */
    static final class Assembly {
        private final float[] score;
        private final float[] quantiles;
        private final float[] rewards;
        private final float[] gating;
        private final int numQuantiles;
        private final int numAttributes;
        private long sharedPromptTokens;

        Assembly(int batchSize, int numQuantiles, int numAttributes) {
            this.numQuantiles = numQuantiles;
            this.numAttributes = numAttributes;
            score = new float[batchSize];
            quantiles = new float[batchSize * numQuantiles];
            rewards = new float[batchSize * numAttributes];
            gating = new float[batchSize * numAttributes];
        }

        /** Row i of {@code part} is row rows[i] of the batch; {@code shared}: prompt ids the part did not repeat. */
        void put(int[] rows, RawRewards part, long shared) {
            sharedPromptTokens += shared;
            for (int i = 0; i < rows.length; i++) {
                int row = rows[i];
                score[row] = part.score()[i];
                System.arraycopy(part.quantiles(), i * numQuantiles, quantiles, row * numQuantiles, numQuantiles);
                System.arraycopy(part.rewards(), i * numAttributes, rewards, row * numAttributes, numAttributes);
                System.arraycopy(part.gating(), i * numAttributes, gating, row * numAttributes, numAttributes);
            }
        }

        RawRewards build() {
            return new RawRewards(score.length, numQuantiles, numAttributes, score, quantiles, rewards, gating,
                    sharedPromptTokens);
        }
    }
}
