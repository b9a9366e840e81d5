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
import org.junit.jupiter.api.Test;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;
import org.testcontainers.kafka.KafkaContainer;

/** The Testcontainers path: runs where a Docker engine is reachable, is skipped (never failed) elsewhere. */
@Testcontainers(disabledWithoutDocker = true)
class KafkaContainerIntegrationTest {
    @Container
    static final KafkaContainer KAFKA = new KafkaContainer(ContainerCluster.image());

    @Test
    void shouldRoundTripARecordThroughTheContainerBroker() throws Exception {
        String topic = "container-round-trip";
        Map<String, Object> config = Map.of("bootstrap.servers", KAFKA.getBootstrapServers());
        try (KafkaProducer<String, String> producer =
                     new KafkaProducer<>(config, new StringSerializer(), new StringSerializer())) {
            producer.send(new ProducerRecord<>(topic, "key", "value")).get();
        }

        Map<String, Object> consumerConfig = Map.of("bootstrap.servers", KAFKA.getBootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, "container-round-trip",
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        try (KafkaConsumer<String, String> consumer =
                     new KafkaConsumer<>(consumerConfig, new StringDeserializer(), new StringDeserializer())) {
            consumer.subscribe(List.of(topic));
            List<ConsumerRecord<String, String>> records = new ArrayList<>();
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (records.isEmpty() && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
            }
            assertThat(records).extracting(ConsumerRecord::value).containsExactly("value");
        }
    }
}
