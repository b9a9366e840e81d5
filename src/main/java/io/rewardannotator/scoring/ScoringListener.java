package io.rewardannotator.scoring;

/**
 * Observes the scoring service (metrics, benchmarks). Called on the worker thread, except
 * {@link ScoringStage#ENCODE} timings, which come from the thread that encodes: implementations must be cheap,
 * thread-safe and must not block.
 */
public interface ScoringListener {
    /** A model run finished. */
    void batchScored(int rows, long realTokens, long paddedTokens, long nanos);

    /** One request (encode, queue wait) or one batch (model, forward) spent {@code nanos} in {@code stage}. */
    default void stageTimed(ScoringStage stage, long nanos) {
    }

    /**
     * A model run computed {@code tokens} prompt ids once rather than once per row that shares them (a GRPO
     * group's prompt, for a graph with past inputs).
     */
    default void promptTokensShared(long tokens) {
    }

    /** Does nothing. */
    ScoringListener NONE = (rows, realTokens, paddedTokens, nanos) -> { };
}
