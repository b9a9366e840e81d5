package io.rewardannotator.registry;

import java.util.Objects;
import org.apache.avro.Schema;

/**
 * One version of a schema registered under a subject.
 *
 * @param subject the subject, such as {@code scored-responses-value}
 * @param id the registry-wide schema id written into every record's header
 * @param version the version within the subject, from 1
 * @param schema the parsed schema
 */
public record RegisteredSchema(String subject, int id, int version, Schema schema) {

    public RegisteredSchema {
        Objects.requireNonNull(subject, "subject");
        Objects.requireNonNull(schema, "schema");
        if (id < 0) {
            throw new IllegalArgumentException("schema id must be >= 0, got " + id);
        }
        if (version < 1) {
            throw new IllegalArgumentException("version must be >= 1, got " + version);
        }
    }
}
