package io.rewardannotator.kafka;

import io.rewardannotator.devkit.EmbeddedKafkaBroker;
import java.util.Locale;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.testcontainers.DockerClientFactory;

/**
 * Gives integration tests a {@link KafkaCluster}, by parameter ({@code @BeforeAll static void setUp(KafkaCluster
 * kafka)}, a constructor, or a test method). One cluster serves the whole JVM: it starts on first use and stops
 * when the test run ends.
 *
 * <p>Which cluster: the system property {@value #FIXTURE_PROPERTY} (or the environment variable
 * {@value #FIXTURE_ENV}) is {@code embedded} (the default: a real broker inside this JVM) or
 * {@code testcontainers} (the {@code apache/kafka} image; tests are skipped, not failed, when no Docker engine
 * is reachable).
 */
public final class KafkaClusterExtension implements ExecutionCondition, ParameterResolver {
    public static final String FIXTURE_PROPERTY = "kafka.fixture";
    public static final String FIXTURE_ENV = "KAFKA_FIXTURE";
    private static final ExtensionContext.Namespace NAMESPACE =
            ExtensionContext.Namespace.create(KafkaClusterExtension.class);

    enum Kind { EMBEDDED, TESTCONTAINERS }

    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
        if (kind() == Kind.TESTCONTAINERS && !DockerClientFactory.instance().isDockerAvailable()) {
            return ConditionEvaluationResult.disabled(FIXTURE_PROPERTY + "=testcontainers but no Docker engine");
        }
        return ConditionEvaluationResult.enabled("Kafka fixture: " + kind().name().toLowerCase(Locale.ROOT));
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == KafkaCluster.class;
    }

    @Override
    public KafkaCluster resolveParameter(ParameterContext parameter, ExtensionContext context) {
        // The root store closes AutoCloseable values when the whole test plan has run.
        return context.getRoot().getStore(NAMESPACE)
                .getOrComputeIfAbsent(Kind.class, key -> start(kind()), ClusterHandle.class);
    }

    static Kind kind() {
        String value = System.getProperty(FIXTURE_PROPERTY, System.getenv().getOrDefault(FIXTURE_ENV, "embedded"));
        return switch (value.trim().toLowerCase(Locale.ROOT)) {
            case "embedded", "" -> Kind.EMBEDDED;
            case "testcontainers" -> Kind.TESTCONTAINERS;
            default -> throw new IllegalArgumentException(
                    FIXTURE_PROPERTY + " must be 'embedded' or 'testcontainers', got '" + value + "'");
        };
    }

    private static ClusterHandle start(Kind kind) {
        return switch (kind) {
            case EMBEDDED -> new EmbeddedCluster(EmbeddedKafkaBroker.start());
            case TESTCONTAINERS -> ContainerCluster.start();
        };
    }

    /** A cluster the store can close at the end of the run. */
    interface ClusterHandle extends KafkaCluster, AutoCloseable {
        @Override
        void close();
    }

    private record EmbeddedCluster(EmbeddedKafkaBroker broker) implements ClusterHandle {
        @Override
        public String bootstrapServers() {
            return broker.bootstrapServers();
        }

        @Override
        public void createTopics(int partitions, String... names) {
            broker.createTopics(partitions, names);
        }

        @Override
        public void close() {
            broker.close();
        }
    }
}
