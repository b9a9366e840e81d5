package io.rewardannotator.registry;

/** A record names a schema id the registry does not know (registry error 40403 on an id): it was written against another registry, or its schema was deleted. */
public final class UnknownSchemaIdException extends SchemaRegistryException {

    UnknownSchemaIdException(int errorCode, String message) {
        super("UNKNOWN_SCHEMA_ID", errorCode, message, null);
    }
}
