package io.rewardannotator.app;

/** The schema registry stayed unreachable longer than {@code schema.registry.outage.ms}; the message names it. */
public final class RegistryOutageException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    RegistryOutageException(String message, Throwable cause) {
        super(message, cause);
    }
}
