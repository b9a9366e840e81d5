package io.rewardannotator.text;

/** Why an input cannot be scored. The names are stable: they appear in dead-letter headers and metrics. */
public enum RejectionReason {
    /** The input is not well-formed JSON or lacks a required field. */
    MALFORMED_INPUT,
    /** A role other than system, user or assistant. */
    INVALID_ROLE,
    /** The prompt has no turns. */
    EMPTY_PROMPT,
    /** The prompt's last turn is not a user turn (the response must answer a user). */
    PROMPT_NOT_ENDING_WITH_USER,
    /** The gating token pattern (end of the last turn before the final assistant header) is absent. */
    GATING_PATTERN_NOT_FOUND,
    /** More tokens than the model's {@code max_tokens}, and the prompt could not or may not be shortened. */
    TOO_LONG,
    /** The response alone does not fit in {@code max_tokens}: it is never cut. */
    RESPONSE_TOO_LONG,
    /** The model failed on this input even when run alone. */
    INFERENCE_FAILED
}
