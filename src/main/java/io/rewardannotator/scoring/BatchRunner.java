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
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the planned batches of one round and completes each request's future. Called only from the scoring
 * service's worker thread.
 *
 * <p>Failure: a failed run of several rows is retried as two halves, recursively (for an out-of-memory error
 * that is a retry with half the token budget), until the rows that fail alone are found. A failing device is not
 * the records' fault: a row that fails alone, and again when retried at the end of the round, is blamed
 * ({@code INFERENCE_FAILED}) only if the model still scores another input (one of this round, or the last input
 * that worked, run again). Otherwise {@link #runRound} throws {@link ScorerFailedException} and no record is
 * blamed.
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
    private EncodedConversation lastGood;

    BatchRunner(BatchInference inference, long padId, ResultMapper mapper, ScoringListener listener) {
        this.inference = inference;
        this.padId = padId;
        this.mapper = mapper;
        this.listener = listener;
    }

    /**
     * Runs {@code batches} in order until {@code stop} holds, skipping cancelled requests.
     *
     * @throws ScorerFailedException when rows failed and the model no longer scores any input; their futures are
     *                               left for the caller to fail
     */
    void runRound(List<List<ScoringRequest>> batches, BooleanSupplier stop) {
        List<Failed> failed = new ArrayList<>();
        for (List<ScoringRequest> batch : batches) {
            if (stop.getAsBoolean()) {
                return;
            }
            List<ScoringRequest> live = batch.stream().filter(r -> !r.future().isDone()).toList();
            if (!live.isEmpty()) {
                run(live, failed);
            }
        }
        if (!failed.isEmpty() && !stop.getAsBoolean()) {
            settle(failed);
        }
    }

    private void run(List<ScoringRequest> batch, List<Failed> failed) {
        PaddedBatch padded = PaddedBatch.of(batch.stream().map(ScoringRequest::encoded).toList(), padId);
        RawRewards raw;
        long started = System.nanoTime();
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
        listener.batchScored(padded.batchSize(), padded.realTokens(), padded.paddedTokens(),
                System.nanoTime() - started);
        for (int row = 0; row < batch.size(); row++) {
            ScoringRequest request = batch.get(row);
            if (Float.isFinite(raw.score()[row])) {
                request.future().complete(mapper.map(raw, row, request.encoded()));
                lastGood = request.encoded();
            } else {
                request.future().completeExceptionally(new InputRejectedException(RejectionReason.INFERENCE_FAILED,
                        "the model produced a non-finite score (" + raw.score()[row] + ")"));
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
