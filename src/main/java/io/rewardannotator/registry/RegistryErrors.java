package io.rewardannotator.registry;

/**
 * The registry's error codes, turned into exceptions whose messages say what to change. Both the HTTP
 * client and the {@code mock://} registry build their errors here, so a test against one sees what
 * production sees against the other.
 */
final class RegistryErrors {

    static final int SUBJECT_NOT_FOUND = 40401;
    static final int VERSION_NOT_FOUND = 40402;
    static final int SCHEMA_NOT_FOUND = 40403;
    static final int INCOMPATIBLE = 409;
    static final int INCOMPATIBLE_NEW = 40901;
    static final int INVALID_SCHEMA = 42201;

    private RegistryErrors() {
    }

    static SubjectNotFoundException subjectNotFound(String registry, String subject, String detail) {
        return new SubjectNotFoundException(SUBJECT_NOT_FOUND, String.format(
                "Subject '%s' not found in schema registry %s (%s): nothing is registered under it yet. "
                        + "Let a producer register its schema (auto.register.schemas=true) or register it by hand, "
                        + "and check the topic name and value.subject.name.strategy / key.subject.name.strategy",
                subject, registry, detail));
    }

    static VersionNotFoundException versionNotFound(String registry, String subject, String detail) {
        return new VersionNotFoundException(VERSION_NOT_FOUND, String.format(
                "Subject '%s' of schema registry %s has no such version (%s): it may have been deleted; "
                        + "register the schema again", subject, registry, detail));
    }

    static SchemaNotRegisteredException schemaNotRegistered(String registry, String subject, String schemaName) {
        return new SchemaNotRegisteredException(SCHEMA_NOT_FOUND, String.format(
                "Schema %s is not registered under subject '%s' in schema registry %s: register it first "
                        + "(POST /subjects/%s/versions), or set auto.register.schemas=true to let the serializer do it",
                schemaName, subject, registry, subject));
    }

    static UnknownSchemaIdException unknownId(String registry, int id) {
        return new UnknownSchemaIdException(SCHEMA_NOT_FOUND, String.format(
                "Schema id %d is not known to schema registry %s: the record was written against another registry "
                        + "(check schema.registry.url) or its schema was deleted", id, registry));
    }

    static IncompatibleSchemaException incompatible(String registry, String subject, String schemaName,
                                                    int errorCode, String detail) {
        return new IncompatibleSchemaException(errorCode, String.format(
                "Schema %s is incompatible with the earlier versions of subject '%s' in schema registry %s (%s). "
                        + "Keep changes backward compatible: add fields only with a default, "
                        + "never remove or retype a field that has none", schemaName, subject, registry, detail));
    }

    static InvalidSchemaException invalidSchema(String registry, String subject, String detail) {
        return new InvalidSchemaException(INVALID_SCHEMA, String.format(
                "Schema registry %s refused the schema for subject '%s' as invalid (%s): fix the .avsc file",
                registry, subject, detail));
    }

    /**
     * Maps an error answer of the REST API.
     *
     * @param status the HTTP status
     * @param errorCode the body's {@code error_code}, or the status when the body had none
     * @param detail the body's {@code message}, or the raw body
     * @param subject the subject the request was about, or null
     * @param schemaId the schema id the request was about, or null
     * @param schemaName full name of the schema sent, or null
     */
    static SchemaRegistryException fromResponse(String registry, int status, int errorCode, String detail,
                                                String subject, Integer schemaId, String schemaName) {
        if (status == 401 || status == 403) {
            return new RegistryAuthorizationException(errorCode, String.format(
                    "Schema registry %s refused access (HTTP %d: %s): check basic.auth.credentials.source "
                            + "and basic.auth.user.info", registry, status, detail));
        }
        if (status == 429) {
            return new RegistryUnavailableException(errorCode, String.format(
                    "Schema registry %s is rate-limiting this client (HTTP 429: %s); retry later", registry, detail), null);
        }
        if (status >= 500) {
            return new RegistryUnavailableException(errorCode, String.format(
                    "Schema registry %s failed (HTTP %d, error_code %d: %s); retry later, and check the registry's "
                            + "health and its backing Kafka topic", registry, status, errorCode, detail), null);
        }
        return switch (errorCode) {
            case SUBJECT_NOT_FOUND -> subjectNotFound(registry, subject, detail);
            case VERSION_NOT_FOUND -> versionNotFound(registry, subject, detail);
            case SCHEMA_NOT_FOUND -> schemaId != null
                    ? unknownId(registry, schemaId)
                    : schemaNotRegistered(registry, subject, schemaName);
            case INCOMPATIBLE, INCOMPATIBLE_NEW -> incompatible(registry, subject, schemaName, errorCode, detail);
            case INVALID_SCHEMA -> invalidSchema(registry, subject, detail);
            default -> new RegistryRequestException(errorCode, String.format(
                    "Schema registry %s refused the request (HTTP %d, error_code %d: %s); check that %s is the "
                            + "registry's base URL", registry, status, errorCode, detail, RegistryConfig.URL_CONFIG));
        };
    }
}
