package io.rewardannotator.text;

import java.util.Objects;

/** An input that cannot be scored, with a typed reason and a message that says what is wrong with it. */
public class InputRejectedException extends Exception {
    private static final long serialVersionUID = 1L;

    private final RejectionReason reason;

    public InputRejectedException(RejectionReason reason, String message) {
        this(reason, message, null);
    }

    public InputRejectedException(RejectionReason reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = Objects.requireNonNull(reason, "reason");
    }

    public RejectionReason reason() {
        return reason;
    }
}
