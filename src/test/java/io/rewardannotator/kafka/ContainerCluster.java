package io.rewardannotator.kafka;

import io.rewardannotator.devkit.TopicCreator;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.testcontainers.kafka.KafkaContainer;

/** The {@code apache/kafka} image through Testcontainers, the same Kafka version as the clients by default. */
final class ContainerCluster implements KafkaClusterExtension.ClusterHandle {
    /** System property naming another image, e.g. a mirror's copy of {@code apache/kafka}. */
    static final String IMAGE_PROPERTY = "kafka.image";
    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    private final KafkaContainer container;
    private final Admin admin;

    private ContainerCluster(KafkaContainer container) {
        this.container = container;
        this.admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, container.getBootstrapServers()));
    }

    static ContainerCluster start() {
        KafkaContainer container = new KafkaContainer(image());
        container.start();
        return new ContainerCluster(container);
    }

    static String image() {
        return System.getProperty(IMAGE_PROPERTY, "apache/kafka:" + clientVersion());
    }

    /** The version of kafka-clients on the class path, from the file it carries for its own app-info metric. */
    private static String clientVersion() {
        try (InputStream in = Admin.class.getResourceAsStream("/kafka/kafka-version.properties")) {
            Properties props = new Properties();
            if (in != null) {
                props.load(in);
            }
            return props.getProperty("version", "latest");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public String bootstrapServers() {
        return container.getBootstrapServers();
    }

    @Override
    public void createTopics(int partitions, String... names) {
        TopicCreator.createAndAwait(admin, partitions, (short) 1, TIMEOUT, names);
    }

    @Override
    public void close() {
        admin.close(Duration.ofSeconds(5));
        container.stop();
    }
}
