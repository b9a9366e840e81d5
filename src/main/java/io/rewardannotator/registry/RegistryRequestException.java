package io.rewardannotator.registry;

/** The registry refused a request for a reason this client does not single out (another 4xx error). */
public final class RegistryRequestException extends SchemaRegistryException {

    RegistryRequestException(int errorCode, String message) {
        super("REGISTRY_REQUEST_FAILED", errorCode, message, null);
    }
}
