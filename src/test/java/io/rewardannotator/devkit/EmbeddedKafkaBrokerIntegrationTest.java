package io.rewardannotator.devkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.IntStream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.IntegerDeserializer;
import org.apache.kafka.common.serialization.IntegerSerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmbeddedKafkaBrokerIntegrationTest {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static EmbeddedKafkaBroker broker;

    @BeforeAll
    static void startBroker() {
        broker = EmbeddedKafkaBroker.start();
    }

    @AfterAll
    static void stopBroker() {
        broker.close();
    }

    @Test
    void shouldDeliverOnlyCommittedTransactionsToReadCommittedConsumer() throws Exception {
        // given a topic with three partitions
        String topic = "transactions";
        broker.createTopics(3, topic);

        // when two transactions commit and one between them aborts
        try (KafkaProducer<Integer, String> producer = transactionalProducer("tx-test")) {
            producer.initTransactions();
            sendInTransaction(producer, topic, 0, 10);
            producer.commitTransaction();
            sendInTransaction(producer, topic, 10, 15);
            producer.flush();
            producer.abortTransaction();
            sendInTransaction(producer, topic, 15, 25);
            producer.commitTransaction();
        }

        // then a read_committed consumer sees exactly the committed records, each partition in send order
        List<ConsumerRecord<Integer, String>> committed = consumeAll(topic, "read_committed");
        List<Integer> expected = IntStream.concat(IntStream.range(0, 10), IntStream.range(15, 25)).boxed().toList();
        assertThat(committed).extracting(ConsumerRecord::key).containsExactlyInAnyOrderElementsOf(expected);
        assertThat(committed).allSatisfy(r -> assertThat(r.value()).isEqualTo("value-" + r.key()));
        assertThat(committed).extracting(ConsumerRecord::partition).containsOnly(0, 1, 2);
        Map<Integer, List<Integer>> keysByPartition = new TreeMap<>();
        committed.forEach(r -> keysByPartition.computeIfAbsent(r.partition(), p -> new ArrayList<>()).add(r.key()));
        keysByPartition.forEach((partition, keys) -> assertThat(keys).as("partition %d", partition).isSorted());
        // and the aborted records did reach the log: a read_uncommitted consumer sees them too
        assertThat(consumeAll(topic, "read_uncommitted")).extracting(ConsumerRecord::key)
                .containsExactlyInAnyOrderElementsOf(IntStream.range(0, 25).boxed().toList());
    }

    @Test
    void shouldLeaveAnExistingTopicAsItIsWhenCreatedAgain() throws Exception {
        broker.createTopics(2, "created-twice");

        broker.createTopics(5, "created-twice");

        try (Admin admin = admin(broker)) {
            assertThat(admin.describeTopics(Set.of("created-twice")).allTopicNames().get()
                    .get("created-twice").partitions()).hasSize(2);
        }
    }

    @Test
    void shouldDeleteItsTemporaryLogDirWhenClosedTwice() {
        EmbeddedKafkaBroker own = EmbeddedKafkaBroker.start();
        Path logDir = own.logDir();
        assertThat(logDir).isDirectory();

        own.close();
        own.close();

        assertThat(logDir).doesNotExist();
        assertThatThrownBy(() -> own.createTopics(1, "after-close")).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void shouldKeepTopicsWhenRestartedOnTheSameLogDir(@TempDir Path dir) throws Exception {
        Path logDir = dir.resolve("kafka");
        try (EmbeddedKafkaBroker first = EmbeddedKafkaBroker.start(logDir)) {
            first.createTopics(2, "kept");
        }
        assertThat(logDir.resolve("meta.properties")).isRegularFile();

        try (EmbeddedKafkaBroker second = EmbeddedKafkaBroker.start(logDir); Admin admin = admin(second)) {
            assertThat(admin.listTopics().names().get()).contains("kept");
        }
        assertThat(Files.exists(logDir)).as("a caller's log dir is kept").isTrue();
    }

    @Test
    void shouldFailWithTheBindErrorWhenTheAskedPortIsTaken() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            EmbeddedKafkaBroker.Builder builder = EmbeddedKafkaBroker.builder().port(taken.getLocalPort());

            assertThatThrownBy(builder::start).hasStackTraceContaining("Address already in use");
        }
    }

    private static void sendInTransaction(KafkaProducer<Integer, String> producer, String topic, int from, int to) {
        producer.beginTransaction();
        for (int key = from; key < to; key++) {
            producer.send(new ProducerRecord<>(topic, key, "value-" + key));
        }
    }

    private static KafkaProducer<Integer, String> transactionalProducer(String transactionalId) {
        Map<String, Object> config = new HashMap<>();
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        config.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId);
        return new KafkaProducer<>(config, new IntegerSerializer(), new StringSerializer());
    }

    /** Reads every partition of {@code topic} up to its end offset (bounded by {@link #WAIT}). */
    private static List<ConsumerRecord<Integer, String>> consumeAll(String topic, String isolationLevel) {
        Map<String, Object> config = new HashMap<>();
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, isolationLevel);
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        try (KafkaConsumer<Integer, String> consumer =
                     new KafkaConsumer<>(config, new IntegerDeserializer(), new StringDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                    .map(info -> new TopicPartition(topic, info.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            List<ConsumerRecord<Integer, String>> records = new ArrayList<>();
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (partitions.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp))) {
                assertThat(System.nanoTime()).as("read %s to its end within %s", topic, WAIT).isLessThan(deadline);
                consumer.poll(Duration.ofMillis(100)).forEach(records::add);
            }
            return records;
        }
    }

    private static Admin admin(EmbeddedKafkaBroker broker) {
        return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()));
    }
}
