package io.rewardannotator.scoring;

import io.rewardannotator.text.Conversation;
import io.rewardannotator.text.EncodedConversation;
import io.rewardannotator.text.InputRejectedException;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * Scores conversations with a reward model. The one entry point the streaming layer uses.
 *
 * <p>Threading: {@link #encode} runs on the caller's thread. Admission is bounded JVM-wide: {@link #score} and
 * {@link #tryScore} wait (the latter for a bounded time) until the scorer has room, then only enqueue. Futures
 * complete on the scorer's own worker thread, so callers must not block inside callbacks; the stream thread
 * drains completed futures itself. A caller that no longer wants a result cancels its future: the scorer skips
 * it and its admission slot frees at once.
 *
 * <p>Failure: a future fails with {@link InputRejectedException} (reason {@code INFERENCE_FAILED}) only when the
 * model fails on that input while it still works on others (a poison input), and with
 * {@link ScorerFailedException} when the scorer as a whole cannot go on (the error is sticky: every later call
 * fails the same way).
 */
public interface RewardScorer extends AutoCloseable {
    /** The model behind this scorer. */
    ScorerInfo info();

    /** Validates and tokenizes; rejections name their reason. Thread-safe. */
    EncodedConversation encode(Conversation conversation) throws InputRejectedException;

    /**
     * Queues an encoded conversation, waiting as long as it takes for room.
     *
     * @return a future of the result; failed with {@link ScorerFailedException} if the scorer is closed or failed,
     *         or the caller was interrupted while waiting
     */
    CompletableFuture<RewardResult> score(EncodedConversation encoded);

    /**
     * Queues an encoded conversation if the scorer has room within {@code maxWait} (zero: only if it has room now).
     *
     * @return the future of the result (failed at once if the scorer is closed or failed), or empty when the scorer
     *         stayed full for {@code maxWait}
     */
    Optional<CompletableFuture<RewardResult>> tryScore(EncodedConversation encoded, Duration maxWait)
            throws InterruptedException;

    /**
     * Stops the worker and frees the model; requests still waiting fail with {@link ScorerFailedException}.
     * Idempotent; a second caller returns only once the first has finished closing.
     */
    @Override
    void close();
}
