package io.rewardannotator.registry;

/**
 * An error answered by the schema registry (or the {@code mock://} registry, which answers the same
 * way), or the registry could not be reached.
 */
public abstract sealed class SchemaRegistryException extends AvroSerdeException
        permits SubjectNotFoundException, VersionNotFoundException, SchemaNotRegisteredException,
                UnknownSchemaIdException, IncompatibleSchemaException, InvalidSchemaException,
                RegistryAuthorizationException, RegistryUnavailableException, RegistryRequestException {

    private final int errorCode;

    SchemaRegistryException(String reason, int errorCode, String message, Throwable cause) {
        super(reason, message, cause);
        this.errorCode = errorCode;
    }

    /**
     * The registry's {@code error_code} (such as 40401), or the HTTP status when the answer carried none,
     * or -1 when the registry gave no answer at all.
     */
    public int errorCode() {
        return errorCode;
    }
}
