package io.rewardannotator.registry;

/** The registry refused the credentials, or their absence (HTTP 401 or 403). */
public final class RegistryAuthorizationException extends SchemaRegistryException {

    RegistryAuthorizationException(int errorCode, String message) {
        super("REGISTRY_UNAUTHORIZED", errorCode, message, null);
    }
}
