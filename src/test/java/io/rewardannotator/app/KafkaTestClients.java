package io.rewardannotator.app;

import io.rewardannotator.event.GeneratedResponse;
import io.rewardannotator.event.ScoredResponse;
import io.rewardannotator.registry.SpecificAvroDeserializer;
import io.rewardannotator.registry.SpecificAvroSerializer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.function.Predicate;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Deserializer;

/** Producers and read-committed consumers for the annotator's topics, as a downstream user would run them. */
public final class KafkaTestClients {
    private KafkaTestClients() {
    }

    public static void produce(String bootstrap, Map<String, ?> serdeConfig, String topic, List<GeneratedResponse> events) {
        SpecificAvroSerializer<GeneratedResponse> serializer = new SpecificAvroSerializer<>();
        serializer.configure(serdeConfig, false);
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(producerProps(bootstrap),
                new ByteArraySerializer(), new ByteArraySerializer())) {
            for (GeneratedResponse event : events) {
                producer.send(new ProducerRecord<>(topic, key(event.getResponseId()),
                        serializer.serialize(topic, event)));
            }
            producer.flush();
        }
    }

    /** As {@link #produce}, every record with the given timestamp (its event time). */
    public static void produceAt(String bootstrap, Map<String, ?> serdeConfig, String topic, List<GeneratedResponse> events,
                          long timestamp) {
        SpecificAvroSerializer<GeneratedResponse> serializer = new SpecificAvroSerializer<>();
        serializer.configure(serdeConfig, false);
        send(bootstrap, events.stream().map(event -> new ProducerRecord<>(topic, null, timestamp,
                key(event.getResponseId()), serializer.serialize(topic, event))).toList());
    }

    public static void produceRaw(String bootstrap, String topic, String key, byte[] value) {
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(producerProps(bootstrap),
                new ByteArraySerializer(), new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>(topic, key(key), value));
            producer.flush();
        }
    }

    /** Sends the records in order with one producer (so each partition keeps their order) and waits for them. */
    public static void send(String bootstrap, List<ProducerRecord<byte[], byte[]>> records) {
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(producerProps(bootstrap),
                new ByteArraySerializer(), new ByteArraySerializer())) {
            records.forEach(producer::send);
            producer.flush();
        }
    }

    public static byte[] key(String id) {
        return id.getBytes(StandardCharsets.UTF_8);
    }

    public static String key(ConsumerRecord<byte[], ?> record) {
        return new String(record.key(), StandardCharsets.UTF_8);
    }

    /** Scored events, read committed, from the beginning, until {@code done} holds or {@code timeout} passes. */
    public static List<ConsumerRecord<byte[], ScoredResponse>> readScored(String bootstrap, Map<String, ?> serdeConfig,
            String topic, Predicate<List<ConsumerRecord<byte[], ScoredResponse>>> done, Duration timeout) {
        return read(bootstrap, topic, scoredDeserializer(serdeConfig), done, timeout);
    }

    public static Deserializer<ScoredResponse> scoredDeserializer(Map<String, ?> serdeConfig) {
        return avroDeserializer(serdeConfig, ScoredResponse.class);
    }

    /** Confluent-Avro events of {@code type}, read committed, as {@link #readScored}. */
    public static <T extends SpecificRecord> List<ConsumerRecord<byte[], T>> readAvro(String bootstrap,
            Map<String, ?> serdeConfig, String topic, Class<T> type, Predicate<List<ConsumerRecord<byte[], T>>> done,
            Duration timeout) {
        return read(bootstrap, topic, avroDeserializer(serdeConfig, type), done, timeout);
    }

    public static <T extends SpecificRecord> Deserializer<T> avroDeserializer(Map<String, ?> serdeConfig,
                                                                              Class<T> type) {
        SpecificAvroDeserializer<T> deserializer = new SpecificAvroDeserializer<>(type);
        deserializer.configure(serdeConfig, false);
        return deserializer;
    }

    public static List<ConsumerRecord<byte[], byte[]>> readRaw(String bootstrap, String topic,
            Predicate<List<ConsumerRecord<byte[], byte[]>>> done, Duration timeout) {
        return read(bootstrap, topic, new ByteArrayDeserializer(), done, timeout);
    }

    private static <V> List<ConsumerRecord<byte[], V>> read(String bootstrap, String topic,
            Deserializer<V> deserializer, Predicate<List<ConsumerRecord<byte[], V>>> done, Duration timeout) {
        List<ConsumerRecord<byte[], V>> records = new ArrayList<>();
        long deadline = System.nanoTime() + timeout.toNanos();
        try (KafkaConsumer<byte[], V> consumer = new KafkaConsumer<>(consumerProps(bootstrap),
                new ByteArrayDeserializer(), deserializer)) {
            consumer.subscribe(List.of(topic));
            while (!done.test(records) && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
            }
        }
        return records;
    }

    /**
     * Everything committed in the topic when called, read committed: reads until every partition's position has
     * reached its end offset (or {@code timeout} passes).
     */
    public static <V> List<ConsumerRecord<byte[], V>> readToEnd(String bootstrap, String topic,
            Deserializer<V> deserializer, Duration timeout) {
        List<ConsumerRecord<byte[], V>> records = new ArrayList<>();
        long deadline = System.nanoTime() + timeout.toNanos();
        try (KafkaConsumer<byte[], V> consumer = new KafkaConsumer<>(consumerProps(bootstrap),
                new ByteArrayDeserializer(), deserializer)) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                    .map(info -> new TopicPartition(topic, info.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
            while (partitions.stream().anyMatch(p -> consumer.position(p) < ends.get(p))
                    && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
            }
        }
        return records;
    }

    private static Properties consumerProps(String bootstrap) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ConsumerConfig.GROUP_ID_CONFIG, "test-reader-" + UUID.randomUUID());
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        return props;
    }

    private static Properties producerProps(String bootstrap) {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        return props;
    }
}
