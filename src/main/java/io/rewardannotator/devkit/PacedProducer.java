package io.rewardannotator.devkit;

import io.rewardannotator.event.GeneratedResponse;
import io.rewardannotator.registry.SpecificAvroSerializer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.locks.LockSupport;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/** Sends events keyed by response id, at a steady rate or as fast as possible, stamped with their send time. */
public final class PacedProducer {
    private PacedProducer() {
    }

    /** @param rate events per second; 0 sends as fast as possible */
    public static void send(String bootstrap, Map<String, ?> serdeConfig, String topic, List<GeneratedResponse> events,
                     double rate) {
        SpecificAvroSerializer<GeneratedResponse> serializer = new SpecificAvroSerializer<>();
        serializer.configure(serdeConfig, false);
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ProducerConfig.LINGER_MS_CONFIG, rate > 0 ? 0 : 5);
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(props, new ByteArraySerializer(),
                new ByteArraySerializer())) {
            long start = System.nanoTime();
            for (int i = 0; i < events.size(); i++) {
                if (rate > 0) {
                    LockSupport.parkNanos(start + (long) (i * 1e9 / rate) - System.nanoTime());
                }
                GeneratedResponse event = events.get(i);
                producer.send(new ProducerRecord<>(topic, null, System.currentTimeMillis(),
                        event.getResponseId().getBytes(StandardCharsets.UTF_8), serializer.serialize(topic, event)));
            }
            producer.flush();
        }
    }
}
