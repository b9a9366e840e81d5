package io.rewardannotator.registry;

import org.apache.avro.Schema;

/**
 * The subset of the Confluent Schema Registry API the annotator needs.
 *
 * <p>Implementations are thread-safe. Every method throws a {@link SchemaRegistryException} subclass
 * that says what failed: {@link SubjectNotFoundException}, {@link SchemaNotRegisteredException},
 * {@link UnknownSchemaIdException}, {@link IncompatibleSchemaException}, {@link InvalidSchemaException},
 * {@link RegistryAuthorizationException}, {@link RegistryUnavailableException} (after the configured
 * retries) or {@link RegistryRequestException}.
 *
 * <p>Obtain one with {@link #create(RegistryConfig)}: an HTTP client with caches for a
 * {@code http(s)://} URL, or the JVM-wide in-memory registry of a scope for a {@code mock://scope} URL.
 * Whoever creates a client closes it; closing twice is harmless.
 */
public interface SchemaRegistryClient extends AutoCloseable {

    /**
     * Registers a schema under a subject ({@code POST /subjects/{subject}/versions}), or finds it if
     * already registered there.
     *
     * @return the schema's registry-wide id
     */
    int register(String subject, Schema schema);

    /**
     * The id of a schema already registered under a subject ({@code POST /subjects/{subject}});
     * registers nothing.
     *
     * @throws SchemaNotRegisteredException if the subject exists but holds no such schema
     */
    int idOf(String subject, Schema schema);

    /**
     * The schema with this id ({@code GET /schemas/ids/{id}}).
     *
     * @throws UnknownSchemaIdException if no schema has this id
     */
    Schema schemaById(int id);

    /** The subject's latest version ({@code GET /subjects/{subject}/versions/latest}). */
    RegisteredSchema latestVersion(String subject);

    /**
     * Whether the schema may be registered as the subject's next version under the subject's
     * compatibility level ({@code POST /compatibility/subjects/{subject}/versions/latest}).
     */
    boolean isCompatible(String subject, Schema schema);

    /** Releases what the client holds; idempotent. A {@code mock://} scope's schemas survive it. */
    @Override
    void close();

    /** The registry named by {@code config}: HTTP with caches, or the {@code mock://} scope. */
    static SchemaRegistryClient create(RegistryConfig config) {
        return config.mockScope()
                .<SchemaRegistryClient>map(MockSchemaRegistry::clientForScope)
                .orElseGet(() -> new CachedSchemaRegistryClient(new HttpSchemaRegistryClient(config),
                        config.latestCacheTtl(), System::nanoTime));
    }
}
