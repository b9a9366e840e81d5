package io.rewardannotator.streams;

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
     * For a sink fed by name from {@link MicroBatchProcessor}, whose output type is {@code Object} because its
     * children take different types: the processor forwards to each sink only what that sink's serializer takes.
     */
    @SuppressWarnings("unchecked")
    static Serde<Object> writing(Serializer<?> serializer) {
        return Serdes.serdeFrom((Serializer<Object>) serializer, (topic, bytes) -> {
            throw new UnsupportedOperationException("a sink serde does not deserialize (topic " + topic + ")");
        });
    }
}
