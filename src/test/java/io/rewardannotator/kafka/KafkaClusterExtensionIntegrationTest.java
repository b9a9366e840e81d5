package io.rewardannotator.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** How other integration tests get a broker: the extension resolves a shared {@link KafkaCluster}. */
@ExtendWith(KafkaClusterExtension.class)
class KafkaClusterExtensionIntegrationTest {
    private static KafkaCluster kafka;

    @BeforeAll
    static void setUp(KafkaCluster cluster) {
        kafka = cluster;
        kafka.createTopics(2, "fixture-round-trip");
    }

    @Test
    void shouldGiveTheSameClusterToEveryTest(KafkaCluster cluster) {
        assertThat(cluster).isSameAs(kafka);
    }

    @Test
    void shouldRoundTripRecordsThroughASubscribedConsumerGroup() throws Exception {
        // given records on a topic the fixture created
        try (KafkaProducer<String, String> producer =
                     new KafkaProducer<>(kafka.clientConfig(), new StringSerializer(), new StringSerializer())) {
            for (int i = 0; i < 4; i++) {
                producer.send(new ProducerRecord<>("fixture-round-trip", "key-" + i, "value-" + i)).get();
            }
        }

        // when a consumer group subscribes from the earliest offset
        Map<String, Object> config = kafka.clientConfig();
        config.put(ConsumerConfig.GROUP_ID_CONFIG, "fixture-round-trip");
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        List<ConsumerRecord<String, String>> records = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer =
                     new KafkaConsumer<>(config, new StringDeserializer(), new StringDeserializer())) {
            consumer.subscribe(List.of("fixture-round-trip"));
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (records.size() < 4 && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(100)).forEach(records::add);
            }
        }

        // then it receives every record
        assertThat(records).extracting(ConsumerRecord::value)
                .containsExactlyInAnyOrder("value-0", "value-1", "value-2", "value-3");
    }
}
