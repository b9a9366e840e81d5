package io.rewardannotator.scoring;

/** The scorer cannot score anything: closed, or its model fails on every input. Not a per-record verdict. */
public class ScorerFailedException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public ScorerFailedException(String message) {
        super(message);
    }

    public ScorerFailedException(String message, Throwable cause) {
        super(message, cause);
    }
}
