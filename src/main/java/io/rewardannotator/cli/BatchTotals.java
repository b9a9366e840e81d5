package io.rewardannotator.cli;

import io.rewardannotator.scoring.ScoringListener;
import io.rewardannotator.scoring.ScoringStage;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/** Adds up the scorer's batches for a benchmark: real, padded and shared tokens, batch count, time per stage. */
final class BatchTotals implements ScoringListener {
    private final LongAdder real = new LongAdder();
    private final LongAdder padded = new LongAdder();
    private final LongAdder batches = new LongAdder();
    private final LongAdder shared = new LongAdder();
    private final Map<ScoringStage, LongAdder> stageNanos = new EnumMap<>(ScoringStage.class);
    private final Map<ScoringStage, LongAdder> stageCounts = new EnumMap<>(ScoringStage.class);

    BatchTotals() {
        for (ScoringStage stage : ScoringStage.values()) {
            stageNanos.put(stage, new LongAdder());
            stageCounts.put(stage, new LongAdder());
        }
    }

    @Override
    public void batchScored(int rows, long realTokens, long paddedTokens, long nanos) {
        real.add(realTokens);
        padded.add(paddedTokens);
        batches.increment();
    }

    @Override
    public void promptTokensShared(long tokens) {
        shared.add(tokens);
    }

    @Override
    public void stageTimed(ScoringStage stage, long nanos) {
        stageNanos.get(stage).add(nanos);
        stageCounts.get(stage).increment();
    }

    void reset() {
        real.reset();
        padded.reset();
        batches.reset();
        shared.reset();
        stageNanos.values().forEach(LongAdder::reset);
        stageCounts.values().forEach(LongAdder::reset);
    }

    long nanos(ScoringStage stage) {
        return stageNanos.get(stage).sum();
    }

    long count(ScoringStage stage) {
        return stageCounts.get(stage).sum();
    }

    long realTokens() {
        return real.sum();
    }

    long paddedTokens() {
        return padded.sum();
    }

    /** Prompt ids computed once rather than once per row that shares them. */
    long sharedPromptTokens() {
        return shared.sum();
    }

    long batches() {
        return batches.sum();
    }

    /** Real tokens / padded tokens computed; 1.0 means no padding. */
    double paddingEfficiency() {
        return padded.sum() == 0 ? 1.0 : (double) real.sum() / padded.sum();
    }
}
