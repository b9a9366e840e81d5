package io.rewardannotator.scoring;

import io.rewardannotator.text.OverflowPolicy;
import java.time.Duration;
import java.util.Objects;

/**
 * How the scoring service batches. Each field is a setting declared in {@code AnnotatorConfig} (the key is given
 * below), which every command validates first, naming the key and any flag it came from; the checks here
 * guard direct construction and name the key too.
 *
 * @param maxBatchTokens padded tokens (rows x longest row) per model run ({@code batch.max.tokens}). Lower it
 *                       when the GPU runs out of memory; raise it when the GPU is under-used
 * @param maxBatchSize   rows per model run ({@code batch.max.size})
 * @param maxLinger      how long the first waiting request may wait for others to fill a batch
 *                       ({@code batch.linger.ms}); trades latency for batch size at low traffic
 * @param queueCapacity  requests waiting for the scorer before {@code score} refuses more
 *                       ({@code scoring.queue.capacity}); bounds memory when producers outrun the model
 * @param cvarAlpha      tail level of the CVaR statistic ({@code cvar.alpha}), in (0, 1)
 * @param overflow       what to do with conversations over the model's {@code max_tokens}
 *                       ({@code drop.oldest.turns})
 */
public record ScoringConfig(int maxBatchTokens, int maxBatchSize, Duration maxLinger, int queueCapacity,
                            double cvarAlpha, OverflowPolicy overflow) {
    public static final int DEFAULT_BATCH_TOKENS = 16_384;
    public static final int DEFAULT_BATCH_SIZE = 64;
    public static final long DEFAULT_LINGER_MS = 10;
    public static final int DEFAULT_QUEUE_CAPACITY = 8_192;
    public static final double DEFAULT_CVAR_ALPHA = 0.1;

    public ScoringConfig {
        if (maxBatchTokens < 1) {
            throw new IllegalArgumentException("batch.max.tokens must be >= 1, got " + maxBatchTokens);
        }
        if (maxBatchSize < 1) {
            throw new IllegalArgumentException("batch.max.size must be >= 1, got " + maxBatchSize);
        }
        Objects.requireNonNull(maxLinger, "maxLinger");
        if (maxLinger.isNegative()) {
            throw new IllegalArgumentException("batch.linger.ms must be >= 0, got " + maxLinger.toMillis());
        }
        if (queueCapacity < 1) {
            throw new IllegalArgumentException("scoring.queue.capacity must be >= 1, got " + queueCapacity);
        }
        if (!(cvarAlpha > 0 && cvarAlpha < 1)) {
            throw new IllegalArgumentException("cvar.alpha must lie in (0, 1), got " + cvarAlpha);
        }
        Objects.requireNonNull(overflow, "overflow");
    }

    public static ScoringConfig defaults() {
        return new ScoringConfig(DEFAULT_BATCH_TOKENS, DEFAULT_BATCH_SIZE, Duration.ofMillis(DEFAULT_LINGER_MS),
                DEFAULT_QUEUE_CAPACITY, DEFAULT_CVAR_ALPHA, OverflowPolicy.REJECT);
    }

    public ScoringConfig withMaxBatchSize(int rows) {
        return new ScoringConfig(maxBatchTokens, rows, maxLinger, queueCapacity, cvarAlpha, overflow);
    }

    public ScoringConfig withMaxLinger(Duration linger) {
        return new ScoringConfig(maxBatchTokens, maxBatchSize, linger, queueCapacity, cvarAlpha, overflow);
    }
}
