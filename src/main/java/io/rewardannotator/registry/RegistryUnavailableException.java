package io.rewardannotator.registry;

/**
 * The registry could not be reached, timed out, or answered a server error (5xx) on every attempt.
 * Retriable: the record is fine, the registry is not; do not dead-letter it.
 */
public final class RegistryUnavailableException extends SchemaRegistryException {

    RegistryUnavailableException(int errorCode, String message, Throwable cause) {
        super("REGISTRY_UNAVAILABLE", errorCode, message, cause);
    }

    @Override
    public boolean isRetriable() {
        return true;
    }
}
