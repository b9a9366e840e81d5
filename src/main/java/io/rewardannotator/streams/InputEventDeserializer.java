package io.rewardannotator.streams;

import io.rewardannotator.event.GeneratedResponse;
import java.util.Map;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * Decodes Confluent-framed {@link GeneratedResponse} values and keeps their bytes. Undecodable bytes throw the
 * registry serdes' typed exceptions, which {@link DeadLetterDeserializationHandler} turns into dead letters.
 */
final class InputEventDeserializer implements Deserializer<InputEvent> {
    private final Deserializer<GeneratedResponse> avro;

    InputEventDeserializer(Deserializer<GeneratedResponse> avro) {
        this.avro = avro;
    }

    @Override
    public void configure(Map<String, ?> configs, boolean isKey) {
        avro.configure(configs, isKey);
    }

    @Override
    public InputEvent deserialize(String topic, byte[] data) {
        return deserialize(topic, null, data);
    }

    @Override
    public InputEvent deserialize(String topic, Headers headers, byte[] data) {
        if (data == null) {
            return null;
        }
        return new InputEvent(data, avro.deserialize(topic, headers, data));
    }

    @Override
    public void close() {
        avro.close();
    }
}
