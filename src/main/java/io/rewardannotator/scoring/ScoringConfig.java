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
 * @param queueCapacity  requests admitted and not yet finished, JVM-wide ({@code scoring.queue.capacity}); past
 *                       it callers wait for room (the stream threads slow their intake), so it bounds memory when
 *                       producers outrun the model
 * @param cvarAlpha      tail level of the CVaR statistic ({@code cvar.alpha}), in (0, 1)
 * @param overflow       what to do with conversations over the model's {@code max_tokens}
 *                       ({@code drop.oldest.turns})
 * @param minLengthRatio shortest / longest row allowed in one batch ({@code batch.min.length.ratio}), in [0, 1];
 *                       caps the padding a batch may carry
 * @param maxBatchMemoryBytes memory budget of one run's attention scores ({@code batch.memory.mb}); lower it
 *                       when long batches push the process out of memory
 */
public record ScoringConfig(int maxBatchTokens, int maxBatchSize, Duration maxLinger, int queueCapacity,
                            double cvarAlpha, OverflowPolicy overflow, double minLengthRatio,
                            long maxBatchMemoryBytes) {
    public static final int DEFAULT_BATCH_TOKENS = 16_384;
    public static final int DEFAULT_BATCH_SIZE = 64;
    public static final long DEFAULT_LINGER_MS = 10;
    public static final int DEFAULT_QUEUE_CAPACITY = 8_192;
    public static final double DEFAULT_CVAR_ALPHA = 0.1;
    public static final double DEFAULT_MIN_LENGTH_RATIO = 0.5;
    public static final long DEFAULT_BATCH_MEMORY_BYTES = 8L << 30;

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
        if (!(minLengthRatio >= 0 && minLengthRatio <= 1)) {
            throw new IllegalArgumentException("--min-length-ratio must lie in [0, 1], got " + minLengthRatio);
        }
        if (maxBatchMemoryBytes < 1) {
            throw new IllegalArgumentException("--batch-memory-mb must be >= 1, got bytes " + maxBatchMemoryBytes);
        }
    }

    /** The default length ratio and memory budget. */
    public ScoringConfig(int maxBatchTokens, int maxBatchSize, Duration maxLinger, int queueCapacity,
                         double cvarAlpha, OverflowPolicy overflow) {
        this(maxBatchTokens, maxBatchSize, maxLinger, queueCapacity, cvarAlpha, overflow, DEFAULT_MIN_LENGTH_RATIO,
                DEFAULT_BATCH_MEMORY_BYTES);
    }

    public static ScoringConfig defaults() {
        return new ScoringConfig(DEFAULT_BATCH_TOKENS, DEFAULT_BATCH_SIZE, Duration.ofMillis(DEFAULT_LINGER_MS),
                DEFAULT_QUEUE_CAPACITY, DEFAULT_CVAR_ALPHA, OverflowPolicy.REJECT);
    }

    public ScoringConfig withMaxBatchTokens(int tokens) {
        return new ScoringConfig(tokens, maxBatchSize, maxLinger, queueCapacity, cvarAlpha, overflow, minLengthRatio,
                maxBatchMemoryBytes);
    }

    public ScoringConfig withMaxBatchSize(int rows) {
        return new ScoringConfig(maxBatchTokens, rows, maxLinger, queueCapacity, cvarAlpha, overflow,
                minLengthRatio, maxBatchMemoryBytes);
    }

    public ScoringConfig withMaxLinger(Duration linger) {
        return new ScoringConfig(maxBatchTokens, maxBatchSize, linger, queueCapacity, cvarAlpha, overflow,
                minLengthRatio, maxBatchMemoryBytes);
    }

    public ScoringConfig withMaxBatchMemoryBytes(long bytes) {
        return new ScoringConfig(maxBatchTokens, maxBatchSize, maxLinger, queueCapacity, cvarAlpha, overflow,
                minLengthRatio, bytes);
    }

    public ScoringConfig withQueueCapacity(int capacity) {
        return new ScoringConfig(maxBatchTokens, maxBatchSize, maxLinger, capacity, cvarAlpha, overflow,
                minLengthRatio, maxBatchMemoryBytes);
    }
}
