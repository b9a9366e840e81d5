package io.rewardannotator.registry;

/** The registry refused a schema as incompatible with the subject's earlier versions (HTTP 409). */
public final class IncompatibleSchemaException extends SchemaRegistryException {

    IncompatibleSchemaException(int errorCode, String message) {
        super("INCOMPATIBLE_SCHEMA", errorCode, message, null);
    }
}
