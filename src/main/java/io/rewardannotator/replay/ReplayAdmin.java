package io.rewardannotator.replay;


import java.time.Duration;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.GroupIdNotFoundException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

/**
 * The Admin calls a replay makes: topic partitions, offsets by time or position, and its group's committed
 * offsets. Each call waits at most the given timeout and fails with a message that says what was asked.
 * End offsets are read committed: a replay never waits for records of transactions still open when it starts.
 */
public final class ReplayAdmin implements AutoCloseable {
    private final Admin admin;
    private final String bootstrapServers;
    private final Duration timeout;

    private ReplayAdmin(Admin admin, String bootstrapServers, Duration timeout) {
        this.admin = admin;
        this.bootstrapServers = bootstrapServers;
        this.timeout = timeout;
    }

    /**
     * An Admin client for the replay.
     *
     * @param props Admin client properties, bootstrap servers included
     */
    public static ReplayAdmin open(Map<String, Object> props, Duration timeout) {
        return new ReplayAdmin(Admin.create(props), String.valueOf(props.get(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG)),
                timeout);
    }

    /** The topic's partitions, in partition order. */
    List<TopicPartition> partitions(String topic) {
        return get(admin.describeTopics(List.of(topic)).allTopicNames(), "topic '" + topic + "'")
                .get(topic).partitions().stream()
                .map(info -> new TopicPartition(topic, info.partition()))
                .sorted(Comparator.comparingInt(TopicPartition::partition))
                .toList();
    }

    /** The offset {@code spec} resolves to in each partition; -1 where no record matches a timestamp spec. */
    Map<TopicPartition, Long> offsets(Collection<TopicPartition> partitions, OffsetSpec spec) {
        Map<TopicPartition, OffsetSpec> request = new HashMap<>();
        partitions.forEach(p -> request.put(p, spec));
        Map<TopicPartition, Long> out = new HashMap<>();
        get(admin.listOffsets(request, new ListOffsetsOptions(IsolationLevel.READ_COMMITTED)).all(), "offsets")
                .forEach((partition, info) -> out.put(partition, info.offset()));
        return out;
    }

    /** The group's committed offsets; empty when the group does not exist. */
    public Map<TopicPartition, Long> committed(String groupId) {
        Map<TopicPartition, Long> out = new HashMap<>();
        try {
            get(admin.listConsumerGroupOffsets(groupId).partitionsToOffsetAndMetadata(),
                    "offsets of group " + groupId).forEach((partition, offset) -> {
                        if (offset != null) {
                            out.put(partition, offset.offset());
                        }
                    });
        } catch (GroupIdNotFoundException e) {
            return Map.of();
        }
        return out;
    }

    /** Commits {@code offsets} for the group, which must have no active member. */
    public void commit(String groupId, Map<TopicPartition, Long> offsets) {
        Map<TopicPartition, OffsetAndMetadata> request = new HashMap<>();
        offsets.forEach((partition, offset) -> request.put(partition, new OffsetAndMetadata(offset)));
        get(admin.alterConsumerGroupOffsets(groupId, request).all(), "setting the offsets of group " + groupId);
    }

    /** Active members of the group; 0 when it does not exist. */
    public int members(String groupId) {
        try {
            return get(admin.describeConsumerGroups(List.of(groupId)).all(), "group " + groupId)
                    .get(groupId).members().size();
        } catch (GroupIdNotFoundException e) {
            return 0;
        }
    }

    private <T> T get(KafkaFuture<T> future, String what) {
        try {
            return future.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof UnknownTopicOrPartitionException) {
                throw new IllegalArgumentException(what + ": no such topic or partition at " + bootstrapServers,
                        e.getCause());
            }
            if (e.getCause() instanceof GroupIdNotFoundException notFound) {
                throw notFound;
            }
            throw new IllegalStateException(what + ": " + e.getCause().getMessage(), e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException("Kafka at " + bootstrapServers + " did not answer within "
                    + timeout.toSeconds() + " s (" + what + "); check bootstrap.servers", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while asking Kafka for " + what, e);
        }
    }

    @Override
    public void close() {
        admin.close(timeout);
    }
}
