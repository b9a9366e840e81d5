package io.rewardannotator.app;

/** The annotator cannot start because of something outside it; the cause picks the exit code. */
public final class StartupException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** What failed, each with its own exit code. */
    public enum Cause { KAFKA, REGISTRY }

    private final Cause cause;

    StartupException(Cause cause, String message, Throwable error) {
        super(message, error);
        this.cause = cause;
    }

    public Cause kind() {
        return cause;
    }
}
