package io.rewardannotator.scoring;

/**
 * What one model run over {@code rows} rows padded to {@code length} tokens costs, in token-equivalents of
 * work: {@code overheadTokens + rows * length * (1 + length / attentionCrossover)}.
 *
 * <p>The linear term is the per-token work of the projections and the MLP; the quadratic one is attention,
 * which (unfused) compares every position with every other: per token it grows with the padded length and
 * equals the linear work at {@code attentionCrossover} tokens (for a Llama, non-embedding parameters divided
 * by 2 x layers x hidden size: about 27k for Llama-3.1-8B, 3k for the 512-wide, 4-layer benchmark model).
 * {@code overheadTokens} is what a run costs beyond its tokens (operator dispatch, small-matrix inefficiency,
 * on a GPU kernel launches): merging two rows into one run saves it once and costs their padding.
 *
 * @param overheadTokens     fixed cost of a run, in tokens of work; {@code >= 0}
 * @param attentionCrossover padded length at which attention costs as much as the rest per token; {@code > 0}
 */
public record BatchCostModel(double overheadTokens, double attentionCrossover) {
    public BatchCostModel {
        if (!(overheadTokens >= 0) || !(attentionCrossover > 0)) {
            throw new IllegalArgumentException("overhead must be >= 0 and attention crossover > 0");
        }
    }

    /** Cost of one run over {@code rows} rows padded to {@code length}. */
    public double cost(int rows, int length) {
        return overheadTokens + perRow(length) * rows;
    }

    /** Cost of one row padded to {@code length}, without the run's overhead. */
    double perRow(int length) {
        return length * (1 + length / attentionCrossover);
    }

    /**
     * Whether a row of {@code length} should join a run padded to {@code longest} rather than run alone:
     * its padding costs less than the overhead of a run of its own.
     */
    boolean worthPadding(int length, int longest) {
        return perRow(longest) - perRow(length) <= overheadTokens;
    }
}
