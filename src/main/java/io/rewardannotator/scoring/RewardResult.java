package io.rewardannotator.scoring;

import java.util.Objects;

/**
 * The reward distribution of one scored conversation. Levels and attribute names are the scorer's
 * ({@link ScorerInfo}); the arrays here are in the same order.
 *
 * @param score           expected reward (gate-weighted mean of the attribute rewards)
 * @param quantiles       reward quantiles at {@link ScorerInfo#quantileLevels()}, as the model gives them (unsorted)
 * @param attributeScores expected reward per attribute, in {@link ScorerInfo#attributes()} order
 * @param gatingWeights   the gate weights per attribute (they sum to the model's logit scale, not to 1)
 * @param statistics      derived risk statistics
 * @param numTokens       length of the scored id sequence, BOS included, padding excluded
 * @param droppedTurns    oldest prompt turns dropped to fit the model's length limit
 */
public record RewardResult(double score, double[] quantiles, double[] attributeScores, double[] gatingWeights,
                           RewardStatistics statistics, int numTokens, int droppedTurns) {
    public RewardResult {
        Objects.requireNonNull(quantiles, "quantiles");
        Objects.requireNonNull(attributeScores, "attributeScores");
        Objects.requireNonNull(gatingWeights, "gatingWeights");
        Objects.requireNonNull(statistics, "statistics");
        if (attributeScores.length != gatingWeights.length) {
            throw new IllegalArgumentException("one gating weight per attribute score expected");
        }
    }
}
