package io.rewardannotator.registry;

import java.util.Objects;

/**
 * One request to the registry's REST API, with what it is about so that an error can name it.
 *
 * @param method HTTP method
 * @param path path below the base URL, already percent-encoded, starting with a slash
 * @param body JSON body, or null for none
 * @param subject the subject concerned, or null
 * @param schemaId the schema id concerned, or null
 * @param schemaName full name of the schema sent, or null
 */
record RestCall(String method, String path, String body, String subject, Integer schemaId, String schemaName) {

    RestCall {
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(path, "path");
        if (!path.startsWith("/")) {
            throw new IllegalArgumentException("path must start with '/': " + path);
        }
    }
}
