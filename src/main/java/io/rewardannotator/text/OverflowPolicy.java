package io.rewardannotator.text;

/** What to do with a conversation longer than the model's {@code max_tokens}. A response is never cut. */
public enum OverflowPolicy {
    /** Reject it with {@link RejectionReason#TOO_LONG}: what is scored is exactly what was sent. */
    REJECT,
    /** Drop the oldest prompt turns (system turns are kept) until it fits, and report how many were dropped. */
    DROP_OLDEST_TURNS
}
