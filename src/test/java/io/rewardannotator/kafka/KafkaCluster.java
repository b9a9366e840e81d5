package io.rewardannotator.kafka;

import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.CommonClientConfigs;

/**
 * A running Kafka cluster for an integration test: the in-JVM broker by default, a Testcontainers broker when
 * asked for (see {@link KafkaClusterExtension}). The cluster is shared by every test class in the JVM, so a test
 * uses topic names and group ids of its own.
 */
public interface KafkaCluster {
    /** The {@code bootstrap.servers} value for clients. */
    String bootstrapServers();

    /** Creates the topics (replication factor 1) and waits until every partition has a leader. */
    void createTopics(int partitions, String... names);

    /** A mutable client configuration holding only {@code bootstrap.servers}, to add the test's own settings to. */
    default Map<String, Object> clientConfig() {
        Map<String, Object> config = new HashMap<>();
        config.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        return config;
    }
}
