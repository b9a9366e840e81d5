package io.rewardannotator.registry;

/** The registry refused a schema as invalid (registry error 42201). */
public final class InvalidSchemaException extends SchemaRegistryException {

    InvalidSchemaException(int errorCode, String message) {
        super("INVALID_SCHEMA", errorCode, message, null);
    }
}
