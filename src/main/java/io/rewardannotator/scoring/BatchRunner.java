package io.rewardannotator.scoring;

import ai.onnxruntime.OrtException;
import io.rewardannotator.model.RawRewards;
import io.rewardannotator.text.EncodedConversation;
import io.rewardannotator.text.InputRejectedException;
import io.rewardannotator.text.PaddedBatch;
import io.rewardannotator.text.RejectionReason;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one planned batch and completes each request's future. Called from the scoring service's runner threads,
 * several at once: its only shared state is the last input the model scored, which any runner may replace.
 *
 * <p>Failure: a failed run of several rows is retried as two halves, recursively (for an out-of-memory error
 * that is a retry with half the token budget), until the rows that fail alone are found. A failing device is not
 * the records' fault: a row that fails alone, and again when retried, is blamed ({@code INFERENCE_FAILED}) only if
 * the model still scores another input (the last input that worked, run again; before any has, the
 * {@link ReferenceInput} scored at start-up). Otherwise {@link #run} throws
 * {@link ScorerFailedException} and no record is blamed.
 */
final class BatchRunner {
    private static final Logger LOG = LoggerFactory.getLogger(BatchRunner.class);
    /** ONNX Runtime's words for a failed CUDA or CPU allocation. */
    private static final List<String> OUT_OF_MEMORY = List.of("out of memory", "failed to allocate memory",
            "bad_alloc", "bad allocation", "alloc_failed");

    private final BatchInference inference;
    private final long padId;
    private final ResultMapper mapper;
    private final ScoringListener listener;
    /** The last input the model scored: run again, it tells a broken device from a poison input. */
    private volatile EncodedConversation lastGood;

    /** @param reference an input the model is known to score, or null if none is yet (then a batch must first) */
    BatchRunner(BatchInference inference, long padId, ResultMapper mapper, ScoringListener listener,
                EncodedConversation reference) {
        this.inference = inference;
        this.padId = padId;
        this.mapper = mapper;
        this.listener = listener;
        this.lastGood = reference;
    }

    /**
     * Scores the batch's requests that are not cancelled.
     *
     * @throws ScorerFailedException when rows failed and the model no longer scores any input; their futures are
     *                               left for the caller to fail
     */
    void run(List<ScoringRequest> batch) {
        List<ScoringRequest> live = batch.stream().filter(r -> !r.future().isDone()).toList();
        if (live.isEmpty()) {
            return;
        }
        long started = System.nanoTime();
        for (ScoringRequest request : live) {
            listener.stageTimed(ScoringStage.QUEUE_WAIT, started - request.enqueuedNanos());
        }
        List<Failed> failed = new ArrayList<>();
        run(live, failed);
        if (!failed.isEmpty()) {
            settle(failed);
        }
    }

    private void run(List<ScoringRequest> batch, List<Failed> failed) {
        long started = System.nanoTime();
        PaddedBatch padded = PaddedBatch.of(batch.stream().map(ScoringRequest::encoded).toList(), padId);
        RawRewards raw;
        long forwardStarted = System.nanoTime();
        try {
            raw = inference.run(padded);
        } catch (OrtException | RuntimeException e) {
            if (batch.size() == 1) {
                failed.add(new Failed(batch.get(0), e));
                return;
            }
            if (isOutOfMemory(e)) {
                LOG.warn("out of memory on a batch of {} rows x {} tokens; retrying with half the token budget",
                        batch.size(), padded.paddedLength());
            } else {
                LOG.warn("model run failed for a batch of {}; retrying as two halves: {}", batch.size(),
                        e.getMessage());
            }
            int half = batch.size() / 2;
            run(batch.subList(0, half), failed);
            run(batch.subList(half, batch.size()), failed);
            return;
        }
        long forwardNanos = System.nanoTime() - forwardStarted;
        listener.stageTimed(ScoringStage.FORWARD, forwardNanos);
        listener.batchScored(padded.batchSize(), padded.realTokens(), padded.paddedTokens(), forwardNanos);
        if (raw.sharedPromptTokens() > 0) {
            listener.promptTokensShared(raw.sharedPromptTokens());
        }
        RewardResult[] results = new RewardResult[batch.size()];
        for (int row = 0; row < batch.size(); row++) {
            if (Float.isFinite(raw.score()[row])) {
                results[row] = mapper.map(raw, row, batch.get(row).encoded());
                lastGood = batch.get(row).encoded();
            }
        }
        // timed before the futures complete, so that whoever waits for them sees this batch's timing
        listener.stageTimed(ScoringStage.MODEL, System.nanoTime() - started);
        for (int row = 0; row < batch.size(); row++) {
            if (results[row] != null) {
                batch.get(row).future().complete(results[row]);
            } else {
                batch.get(row).future().completeExceptionally(new InputRejectedException(
                        RejectionReason.INFERENCE_FAILED, "the model produced a non-finite score (" + raw.score()[row]
                        + ")"));
            }
        }
    }

    /** Rows that failed alone: retried once each (a transient error passes), then blamed only if the model works. */
    private void settle(List<Failed> failed) {
        List<Failed> again = new ArrayList<>();
        for (Failed f : failed) {
            run(List.of(f.request()), again);
        }
        if (again.isEmpty()) {
            return;
        }
        Exception last = again.get(again.size() - 1).error();
        if (!modelWorks()) {
            throw new ScorerFailedException("the model fails on every input (last error: " + last.getMessage()
                    + "); the device or the session is broken. Records stay buffered; restart on a healthy device",
                    last);
        }
        for (Failed f : again) {
            LOG.warn("the model fails on one input of {} tokens while it scores others; dead-lettering it: {}",
                    f.request().length(), f.error().getMessage());
            f.request().future().completeExceptionally(new InputRejectedException(RejectionReason.INFERENCE_FAILED,
                    "the model failed on this input: " + f.error().getMessage(), f.error()));
        }
    }

    private boolean modelWorks() {
        if (lastGood == null) {
            return false;
        }
        try {
            return Float.isFinite(inference.run(PaddedBatch.of(List.of(lastGood), padId)).score()[0]);
        } catch (OrtException | RuntimeException e) {
            return false;
        }
    }

    static boolean isOutOfMemory(Throwable error) {
        String message = String.valueOf(error.getMessage()).toLowerCase(Locale.ROOT);
        return OUT_OF_MEMORY.stream().anyMatch(message::contains);
    }

    private record Failed(ScoringRequest request, Exception error) {
    }
}
