package io.rewardannotator.streams;

import io.rewardannotator.event.GeneratedResponse;
import io.rewardannotator.event.ScoredResponse;
import io.rewardannotator.registry.SpecificAvroDeserializer;
import io.rewardannotator.registry.SpecificAvroSerializer;
import java.util.Map;
import java.util.Properties;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.TopologyTestDriver;

/** A {@link TopologyTestDriver} over an annotator topology, with its input and output topics and their serdes. */
final class AnnotatorDriver implements AutoCloseable {
    final TopologyTestDriver driver;
    final TestInputTopic<byte[], GeneratedResponse> input;
    final TestInputTopic<byte[], byte[]> rawInput;
    final TestOutputTopic<byte[], ScoredResponse> output;
    final TestOutputTopic<byte[], byte[]> deadLetters;

    AnnotatorDriver(Topology topology, Properties props, AnnotatorTopics topics, Map<String, ?> serdeConfig) {
        driver = new TopologyTestDriver(topology, props);
        SpecificAvroSerializer<GeneratedResponse> serializer = new SpecificAvroSerializer<>();
        serializer.configure(serdeConfig, false);
        SpecificAvroDeserializer<ScoredResponse> deserializer = new SpecificAvroDeserializer<>(ScoredResponse.class);
        deserializer.configure(serdeConfig, false);
        String in = topics.inputs().get(0);
        input = driver.createInputTopic(in, new ByteArraySerializer(), serializer);
        rawInput = driver.createInputTopic(in, new ByteArraySerializer(), new ByteArraySerializer());
        output = driver.createOutputTopic(topics.output(), new ByteArrayDeserializer(), deserializer);
        deadLetters = driver.createOutputTopic(topics.deadLetter(), new ByteArrayDeserializer(),
                new ByteArrayDeserializer());
    }

    /** Another output topic of the topology, of Confluent-Avro {@code type} values. */
    <K, T extends SpecificRecord> TestOutputTopic<K, T> avroOutput(String topic, Deserializer<K> keys, Class<T> type,
                                                                  Map<String, ?> serdeConfig) {
        SpecificAvroDeserializer<T> values = new SpecificAvroDeserializer<>(type);
        values.configure(serdeConfig, false);
        return driver.createOutputTopic(topic, keys, values);
    }

    @Override
    public void close() {
        driver.close();
    }
}
