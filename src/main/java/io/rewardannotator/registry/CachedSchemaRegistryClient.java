package io.rewardannotator.registry;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;
import org.apache.avro.Schema;

/**
 * Caches another client's answers: ids by schema per subject, schemas by id (both never change once
 * registered), and each subject's latest version for a configured time. Thread-safe.
 */
final class CachedSchemaRegistryClient implements SchemaRegistryClient {

    private final SchemaRegistryClient delegate;
    private final Optional<Duration> latestTtl;
    private final LongSupplier nanoTime;
    private final Map<String, Map<SchemaKey, Integer>> idsBySubject = new ConcurrentHashMap<>();
    private final Map<Integer, Schema> schemasById = new ConcurrentHashMap<>();
    private final Map<String, Fetched> latestBySubject = new ConcurrentHashMap<>();

    CachedSchemaRegistryClient(SchemaRegistryClient delegate, Optional<Duration> latestTtl, LongSupplier nanoTime) {
        this.delegate = delegate;
        this.latestTtl = latestTtl;
        this.nanoTime = nanoTime;
    }

    @Override
    public int register(String subject, Schema schema) {
        Integer cached = ids(subject).get(new SchemaKey(schema));
        return cached != null ? cached : remember(subject, schema, delegate.register(subject, schema));
    }

    @Override
    public int idOf(String subject, Schema schema) {
        Integer cached = ids(subject).get(new SchemaKey(schema));
        return cached != null ? cached : remember(subject, schema, delegate.idOf(subject, schema));
    }

    @Override
    public Schema schemaById(int id) {
        Schema cached = schemasById.get(id);
        if (cached != null) {
            return cached;
        }
        Schema fetched = delegate.schemaById(id);
        Schema raced = schemasById.putIfAbsent(id, fetched);
        return raced != null ? raced : fetched;
    }

    @Override
    public RegisteredSchema latestVersion(String subject) {
        long now = nanoTime.getAsLong();
        Fetched cached = latestBySubject.get(subject);
        if (cached != null && latestTtl.map(ttl -> now - cached.atNanos() < ttl.toNanos()).orElse(true)) {
            return cached.latest();
        }
        RegisteredSchema latest = delegate.latestVersion(subject);
        latestBySubject.put(subject, new Fetched(latest, now));
        schemasById.putIfAbsent(latest.id(), latest.schema());
        return latest;
    }

    @Override
    public boolean isCompatible(String subject, Schema schema) {
        return delegate.isCompatible(subject, schema);
    }

    @Override
    public void close() {
        delegate.close();
    }

    private Map<SchemaKey, Integer> ids(String subject) {
        return idsBySubject.computeIfAbsent(subject, s -> new ConcurrentHashMap<>());
    }

    private int remember(String subject, Schema schema, int id) {
        ids(subject).put(new SchemaKey(schema), id);
        schemasById.putIfAbsent(id, schema);
        return id;
    }

    private record Fetched(RegisteredSchema latest, long atNanos) {
    }

    /**
     * A schema as the registry tells schemas apart: by their JSON text, docs included ({@link Schema#equals}
     * ignores docs). The serializers pass the same instance every time, which compares without text.
     */
    private record SchemaKey(Schema schema) {

        @Override
        public boolean equals(Object other) {
            return other instanceof SchemaKey key
                    && (key.schema == schema || key.schema.toString().equals(schema.toString()));
        }

        @Override
        public int hashCode() {
            return schema.hashCode();
        }
    }
}
