package io.rewardannotator.app;

/** The annotator cannot start because of something outside it; the cause picks the exit code. */
final class StartupException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** What failed, each with its own exit code. */
    enum Cause { KAFKA, REGISTRY }

    private final Cause cause;

    StartupException(Cause cause, String message, Throwable error) {
        super(message, error);
        this.cause = cause;
    }

    Cause kind() {
        return cause;
    }
}
