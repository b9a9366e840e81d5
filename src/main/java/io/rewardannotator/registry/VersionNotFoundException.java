package io.rewardannotator.registry;

/** A subject has no such version (registry error 40402). */
public final class VersionNotFoundException extends SchemaRegistryException {

    VersionNotFoundException(int errorCode, String message) {
        super("VERSION_NOT_FOUND", errorCode, message, null);
    }
}
