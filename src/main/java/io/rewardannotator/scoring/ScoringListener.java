package io.rewardannotator.scoring;

/**
 * Observes the scoring service (metrics, benchmarks). Called on the worker thread: implementations must be
 * cheap and must not block.
 */
public interface ScoringListener {
    /** A model run finished. */
    void batchScored(int rows, long realTokens, long paddedTokens, long nanos);

    /** Does nothing. */
    ScoringListener NONE = (rows, realTokens, paddedTokens, nanos) -> { };
}
