package io.rewardannotator.streams;

import java.util.function.Function;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Serdes for the ends of the topology where only one direction is ever used: a source only deserializes, a sink
 * only serializes. The other half throws, so a misuse shows at once.
 */
final class OneWaySerdes {
    private OneWaySerdes() {
    }

    /** For a source topic. */
    static <T> Serde<T> reading(Deserializer<T> deserializer) {
        return Serdes.serdeFrom((topic, value) -> {
            throw new UnsupportedOperationException("a source serde does not serialize (topic " + topic + ")");
        }, deserializer);
    }

    /**
     * For a sink fed by {@link MicroBatchProcessor}: serializes the part of each {@link Outcome} that this sink
     * takes, e.g. {@code writing(Outcome::scored, avro)}.
     */
    static <T> Serde<Outcome> writing(Function<Outcome, T> part, Serializer<T> serializer) {
        Serializer<Outcome> outcomes = new Serializer<>() {
            @Override
            public byte[] serialize(String topic, Outcome outcome) {
                return serializer.serialize(topic, part.apply(outcome));
            }

            @Override
            public byte[] serialize(String topic, Headers headers, Outcome outcome) {
                return serializer.serialize(topic, headers, part.apply(outcome));
            }
        };
        return Serdes.serdeFrom(outcomes, (topic, bytes) -> {
            throw new UnsupportedOperationException("a sink serde does not deserialize (topic " + topic + ")");
        });
    }
}
