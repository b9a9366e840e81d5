package io.rewardannotator.scoring;

import io.rewardannotator.text.Conversation;
import io.rewardannotator.text.EncodedConversation;
import io.rewardannotator.text.InputRejectedException;
import java.util.concurrent.CompletableFuture;

/**
 * Scores conversations with a reward model. The one entry point the streaming layer uses.
 *
 * <p>Threading: {@link #encode} runs on the caller's thread; {@link #score} only enqueues and returns at once.
 * Futures complete on the scorer's own worker thread, so callers must not block inside callbacks; the stream
 * thread drains completed futures itself. A future fails with {@link InputRejectedException} (reason
 * {@code INFERENCE_FAILED}) when the model fails on that input alone, and with {@link ScorerFailedException}
 * when the scorer as a whole cannot go on (the error is sticky: every later call fails the same way).
 */
public interface RewardScorer extends AutoCloseable {
    /** The model behind this scorer. */
    ScorerInfo info();

    /** Validates and tokenizes; rejections name their reason. Thread-safe. */
    EncodedConversation encode(Conversation conversation) throws InputRejectedException;

    /**
     * Queues an encoded conversation for scoring.
     *
     * @return a future of the result; failed at once with {@link ScorerFailedException} if the queue is full
     *         or the scorer is closed or failed
     */
    CompletableFuture<RewardResult> score(EncodedConversation encoded);

    /** Stops the worker; requests still waiting fail with {@link ScorerFailedException}. Idempotent. */
    @Override
    void close();
}
