package io.rewardannotator.registry;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;

/**
 * The registry of one {@code mock://} scope, kept in memory. It behaves as a Confluent registry with
 * the default BACKWARD compatibility level: ids are registry-wide and start at 1, the same schema text
 * gets the same id in every subject, and errors are the same exceptions the HTTP client raises.
 * Thread-safe (every method is synchronized; it is for tests and the embedded default, not for speed).
 */
final class InMemoryRegistry implements SchemaRegistryClient {

    private final String name;
    private final Map<String, List<Integer>> versionsBySubject = new HashMap<>();
    private final Map<Integer, Schema> schemasById = new HashMap<>();
    private final Map<String, Integer> idsByText = new HashMap<>();

    InMemoryRegistry(String name) {
        this.name = name;
    }

    @Override
    public synchronized int register(String subject, Schema schema) {
        Integer existing = idInSubject(subject, schema);
        if (existing != null) {
            return existing;
        }
        List<Integer> versions = versionsBySubject.get(subject);
        if (versions != null) {
            Schema latest = schemasById.get(versions.get(versions.size() - 1));
            AvroCompatibility.whyReaderCannotRead(schema, latest).ifPresent(why -> {
                throw RegistryErrors.incompatible(name, subject, schema.getFullName(), RegistryErrors.INCOMPATIBLE, why);
            });
        }
        int id = idsByText.computeIfAbsent(schema.toString(), text -> {
            int next = schemasById.size() + 1;
            schemasById.put(next, schema);
            return next;
        });
        versionsBySubject.computeIfAbsent(subject, s -> new ArrayList<>()).add(id);
        return id;
    }

    @Override
    public synchronized int idOf(String subject, Schema schema) {
        requireSubject(subject);
        Integer id = idInSubject(subject, schema);
        if (id == null) {
            throw RegistryErrors.schemaNotRegistered(name, subject, schema.getFullName());
        }
        return id;
    }

    @Override
    public synchronized Schema schemaById(int id) {
        Schema schema = schemasById.get(id);
        if (schema == null) {
            throw RegistryErrors.unknownId(name, id);
        }
        return schema;
    }

    @Override
    public synchronized RegisteredSchema latestVersion(String subject) {
        List<Integer> versions = requireSubject(subject);
        int id = versions.get(versions.size() - 1);
        return new RegisteredSchema(subject, id, versions.size(), schemasById.get(id));
    }

    @Override
    public synchronized boolean isCompatible(String subject, Schema schema) {
        return AvroCompatibility.whyReaderCannotRead(schema, latestVersion(subject).schema()).isEmpty();
    }

    @Override
    public void close() {
        // the scope outlives its clients; MockSchemaRegistry.dropScope forgets it
    }

    private List<Integer> requireSubject(String subject) {
        List<Integer> versions = versionsBySubject.get(subject);
        if (versions == null) {
            throw RegistryErrors.subjectNotFound(name, subject, "Subject '" + subject + "' not found.");
        }
        return versions;
    }

    private Integer idInSubject(String subject, Schema schema) {
        Integer id = idsByText.get(schema.toString());
        return id != null && versionsBySubject.getOrDefault(subject, List.of()).contains(id) ? id : null;
    }
}
