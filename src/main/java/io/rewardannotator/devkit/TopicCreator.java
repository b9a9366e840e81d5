package io.rewardannotator.devkit;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.LockSupport;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.TopicExistsException;

/**
 * Creates topics and waits until every partition has a leader, so producers and consumers can use them at once
 * (a created topic is not usable before its metadata has reached the broker). Existing topics are left alone.
 */
public final class TopicCreator {
    private static final long RETRY_NANOS = TimeUnit.MILLISECONDS.toNanos(20);

    private TopicCreator() {
    }

    /** @throws KafkaException when a topic cannot be created, or has no leaders, within {@code timeout} */
    public static void createAndAwait(Admin admin, int partitions, short replication, Duration timeout,
                                      String... names) {
        if (partitions < 1) {
            throw new IllegalArgumentException("partitions must be at least 1, got " + partitions);
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        List<NewTopic> topics = Arrays.stream(names).map(name -> new NewTopic(name, partitions, replication)).toList();
        admin.createTopics(topics).values().forEach((name, future) -> {
            try {
                future.get(remainingMillis(deadline), TimeUnit.MILLISECONDS);
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof TopicExistsException)) {
                    throw new KafkaException("could not create topic " + name, e.getCause());
                }
            } catch (TimeoutException e) {
                throw new KafkaException("topic " + name + " was not created within " + timeout, e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new KafkaException("interrupted while creating topic " + name, e);
            }
        });
        awaitLeaders(admin, Set.of(names), deadline, timeout);
    }

    private static void awaitLeaders(Admin admin, Set<String> names, long deadline, Duration timeout) {
        while (remainingMillis(deadline) > 0) {
            try {
                Map<String, TopicDescription> described = admin.describeTopics(names).allTopicNames()
                        .get(remainingMillis(deadline), TimeUnit.MILLISECONDS);
                if (described.values().stream().flatMap(topic -> topic.partitions().stream())
                        .allMatch(partition -> partition.leader() != null && !partition.leader().isEmpty())) {
                    return;
                }
            } catch (ExecutionException e) {
                // UnknownTopicOrPartition until the broker has applied the new metadata: try again
            } catch (TimeoutException e) {
                break;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new KafkaException("interrupted while waiting for topics " + names, e);
            }
            LockSupport.parkNanos(RETRY_NANOS);
        }
        throw new KafkaException("topics " + names + " have no leader after " + timeout);
    }

    private static long remainingMillis(long deadline) {
        return Math.max(0, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime()));
    }
}
