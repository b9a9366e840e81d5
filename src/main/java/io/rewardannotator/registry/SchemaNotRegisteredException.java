package io.rewardannotator.registry;

/** A schema is not registered under a subject (registry error 40403 on a lookup), and the caller may not register it. */
public final class SchemaNotRegisteredException extends SchemaRegistryException {

    SchemaNotRegisteredException(int errorCode, String message) {
        super("SCHEMA_NOT_REGISTERED", errorCode, message, null);
    }
}
