package io.rewardannotator.registry;

/** No schema is registered under a subject (registry error 40401). */
public final class SubjectNotFoundException extends SchemaRegistryException {

    SubjectNotFoundException(int errorCode, String message) {
        super("SUBJECT_NOT_FOUND", errorCode, message, null);
    }
}
