package io.rewardannotator.cli;

import io.rewardannotator.scoring.ScoringListener;
import java.util.concurrent.atomic.LongAdder;

/** Adds up the scorer's batches for a benchmark: real and padded tokens, batch count. */
final class BatchTotals implements ScoringListener {
    private final LongAdder real = new LongAdder();
    private final LongAdder padded = new LongAdder();
    private final LongAdder batches = new LongAdder();

    @Override
    public void batchScored(int rows, long realTokens, long paddedTokens, long nanos) {
        real.add(realTokens);
        padded.add(paddedTokens);
        batches.increment();
    }

    void reset() {
        real.reset();
        padded.reset();
        batches.reset();
    }

    long realTokens() {
        return real.sum();
    }

    long paddedTokens() {
        return padded.sum();
    }

    long batches() {
        return batches.sum();
    }

    /** Real tokens / padded tokens computed; 1.0 means no padding. */
    double paddingEfficiency() {
        return padded.sum() == 0 ? 1.0 : (double) real.sum() / padded.sum();
    }
}
