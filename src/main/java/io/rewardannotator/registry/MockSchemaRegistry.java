package io.rewardannotator.registry;

import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * In-memory registries named by scope and shared within the JVM, as behind Confluent's
 * {@code mock://} URLs: every serializer, deserializer and client configured with
 * {@code schema.registry.url=mock://my-scope} sees the same schemas and ids. Used by tests (one
 * scope per test class keeps them apart) and by the annotator's embedded mode.
 */
public final class MockSchemaRegistry {

    private static final Map<String, InMemoryRegistry> SCOPES = new ConcurrentHashMap<>();

    private MockSchemaRegistry() {
    }

    /** The client of a scope's registry, created empty on first use. Closing it keeps the scope. */
    public static SchemaRegistryClient clientForScope(String scope) {
        Objects.requireNonNull(scope, "scope");
        return SCOPES.computeIfAbsent(scope, s -> new InMemoryRegistry(RegistryConfig.MOCK_SCHEME + "://" + s));
    }

    /** Forgets a scope's schemas; the next use of the scope starts an empty registry. */
    public static void dropScope(String scope) {
        SCOPES.remove(Objects.requireNonNull(scope, "scope"));
    }
}
