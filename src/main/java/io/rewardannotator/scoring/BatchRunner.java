package io.rewardannotator.scoring;

import ai.onnxruntime.OrtException;
import io.rewardannotator.model.RawRewards;
import io.rewardannotator.text.InputRejectedException;
import io.rewardannotator.text.PaddedBatch;
import io.rewardannotator.text.RejectionReason;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one planned batch and completes each request's future. A failed run (for example a GPU out-of-memory
 * error) is retried as two halves, recursively, so one bad input fails alone and never takes its batch with it.
 * Called from the scoring service's runner threads, several at once: it keeps no mutable state.
 */
final class BatchRunner {
    private static final Logger LOG = LoggerFactory.getLogger(BatchRunner.class);

    private final BatchInference inference;
    private final long padId;
    private final ResultMapper mapper;
    private final ScoringListener listener;

    BatchRunner(BatchInference inference, long padId, ResultMapper mapper, ScoringListener listener) {
        this.inference = inference;
        this.padId = padId;
        this.mapper = mapper;
        this.listener = listener;
    }

    /** Scores {@code batch}; returns how many requests succeeded. */
    int run(List<ScoringRequest> batch) {
        long started = System.nanoTime();
        for (ScoringRequest request : batch) {
            listener.stageTimed(ScoringStage.QUEUE_WAIT, started - request.enqueuedNanos());
        }
        PaddedBatch padded = PaddedBatch.of(batch.stream().map(ScoringRequest::encoded).toList(), padId);
        RawRewards raw;
        long forwardStarted = System.nanoTime();
        try {
            raw = inference.run(padded);
        } catch (OrtException | RuntimeException e) {
            return retrySplit(batch, e);
        }
        long forwardNanos = System.nanoTime() - forwardStarted;
        listener.stageTimed(ScoringStage.FORWARD, forwardNanos);
        listener.batchScored(padded.batchSize(), padded.realTokens(), padded.paddedTokens(), forwardNanos);
        RewardResult[] results = new RewardResult[batch.size()];
        for (int row = 0; row < batch.size(); row++) {
            if (Float.isFinite(raw.score()[row])) {
                results[row] = mapper.map(raw, row, batch.get(row).encoded());
            }
        }
        // timed before the futures complete, so that whoever waits for them sees this batch's timing
        listener.stageTimed(ScoringStage.MODEL, System.nanoTime() - started);
        int succeeded = 0;
        for (int row = 0; row < batch.size(); row++) {
            if (results[row] != null) {
                batch.get(row).future().complete(results[row]);
                succeeded++;
            } else {
                batch.get(row).future().completeExceptionally(new InputRejectedException(
                        RejectionReason.INFERENCE_FAILED, "the model produced a non-finite score (" + raw.score()[row]
                        + ")"));
            }
        }
        return succeeded;
    }

    private int retrySplit(List<ScoringRequest> batch, Exception failure) {
        if (batch.size() == 1) {
            LOG.debug("model run failed for a single input of {} tokens", batch.get(0).encoded().length(), failure);
            batch.get(0).future().completeExceptionally(new InputRejectedException(RejectionReason.INFERENCE_FAILED,
                    "the model failed on this input: " + failure.getMessage(), failure));
            return 0;
        }
        LOG.warn("model run failed for a batch of {}; retrying as two halves: {}", batch.size(), failure.getMessage());
        int half = batch.size() / 2;
        return run(batch.subList(0, half)) + run(batch.subList(half, batch.size()));
    }
}
