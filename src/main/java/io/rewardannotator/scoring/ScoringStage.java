package io.rewardannotator.scoring;

/** The stages the scoring service times ({@link ScoringListener#stageTimed}). */
public enum ScoringStage {
    /** Validate, render the chat and tokenize one conversation, on the caller's thread. */
    ENCODE,
    /** One request, from {@code score} until its batch starts. */
    QUEUE_WAIT,
    /** One batch: pad, run the model, map the results. */
    MODEL,
    /** One batch: the ONNX Runtime run alone, input and output copies included. */
    FORWARD
}
