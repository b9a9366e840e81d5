package io.rewardannotator.kafka;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.errors.TopicExistsException;
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
        List<NewTopic> topics = Arrays.stream(names).map(name -> new NewTopic(name, partitions, (short) 1)).toList();
        try {
            admin.createTopics(topics).all().get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw new IllegalStateException("could not create topics " + Arrays.toString(names), e.getCause());
            }
        } catch (TimeoutException e) {
            throw new IllegalStateException("could not create topics " + Arrays.toString(names), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while creating topics " + Arrays.toString(names), e);
        }
        awaitLeaders(Set.of(names));
    }

    private void awaitLeaders(Set<String> names) {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            try {
                Map<String, TopicDescription> described = admin.describeTopics(names).allTopicNames()
                        .get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
                if (described.values().stream().flatMap(topic -> topic.partitions().stream())
                        .allMatch(partition -> partition.leader() != null && !partition.leader().isEmpty())) {
                    return;
                }
            } catch (ExecutionException e) {
                // not yet in the broker's metadata: try again
            } catch (TimeoutException e) {
                break;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for topics " + names, e);
            }
            pause();
        }
        throw new IllegalStateException("topics " + names + " have no leader after " + TIMEOUT);
    }

    private static void pause() {
        try {
            Thread.sleep(20);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for topics", e);
        }
    }

    @Override
    public void close() {
        admin.close(Duration.ofSeconds(5));
        container.stop();
    }
}
