package io.rewardannotator.streams;

import io.rewardannotator.event.GeneratedResponse;
import io.rewardannotator.event.ScoredResponse;
import io.rewardannotator.registry.SpecificAvroDeserializer;
import io.rewardannotator.registry.SpecificAvroSerializer;
import io.rewardannotator.scoring.RewardScorer;
import java.util.Map;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.state.Stores;

/**
 * Builds the annotator's topology: a pure function of its arguments, called by the application and by tests.
 *
 * <pre>
 * inputs (Avro) -> micro-batch scorer (buffer store) -> scored-responses (Avro)
 *                                                   \-> dead letters (original bytes + reason headers)
 * undecodable inputs -> dead letters, through {@link DeadLetterDeserializationHandler}
 * </pre>
 *
 * <p>A replay adds one node: {@code inputs -> slice filter -> micro-batch scorer}.
 */
public final class AnnotatorTopology {
    private AnnotatorTopology() {
    }

    /**
     * @param serdeConfig the schema-registry serde configuration ({@code schema.registry.url}, ...)
     * @param scorer      the JVM-wide scorer shared by every task
     */
    public static Topology build(AnnotatorTopics topics, Map<String, ?> serdeConfig, RewardScorer scorer,
                                 BatchingSettings settings, AnnotationListener listener) {
        return build(topics, serdeConfig, scorer, settings, listener, null);
    }

    /**
     * As {@link #build(AnnotatorTopics, Map, RewardScorer, BatchingSettings, AnnotationListener)}, for a replay
     * when {@code slice} is given: a {@link SliceFilter} between the source and the scorer passes on only the
     * records inside it.
     *
     * @param slice the replay's bounds, or {@code null} for the online annotator (no filter node)
     */
    public static Topology build(AnnotatorTopics topics, Map<String, ?> serdeConfig, RewardScorer scorer,
                                 BatchingSettings settings, AnnotationListener listener, SliceBounds slice) {
        TopologyNames names = TopologyNames.DEFAULT;
        SpecificAvroSerializer<ScoredResponse> scoredSerializer = new SpecificAvroSerializer<>();
        scoredSerializer.configure(serdeConfig, false);

        Topology topology = new Topology();
        topology.addSource(names.source(), new ByteArrayDeserializer(),
                new InputEventDeserializer(decoder(serdeConfig)), topics.inputs().toArray(String[]::new));
        String scorerParent = names.source();
        if (slice != null) {
            topology.addProcessor(SliceFilter.NAME, () -> new SliceFilter(slice), names.source());
            scorerParent = SliceFilter.NAME;
        }
        topology.addProcessor(names.processor(),
                () -> new MicroBatchProcessor(scorer, decoder(serdeConfig), settings, listener, names),
                scorerParent);
        // In memory with a changelog: the buffer holds at most max-in-flight records per task, so restoring it
        // from its changelog is quick, and no local disk state must be managed.
        topology.addStateStore(Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(names.bufferStore()),
                Serdes.Long(), new BufferedRecordSerde()), names.processor());
        topology.addSink(names.scoredSink(), topics.output(), new ByteArraySerializer(), scoredSerializer,
                names.processor());
        topology.addSink(names.deadLetterSink(), topics.deadLetter(), new ByteArraySerializer(),
                new ByteArraySerializer(), names.processor());
        return topology;
    }

    private static Deserializer<GeneratedResponse> decoder(Map<String, ?> serdeConfig) {
        SpecificAvroDeserializer<GeneratedResponse> deserializer =
                new SpecificAvroDeserializer<>(GeneratedResponse.class);
        deserializer.configure(serdeConfig, false);
        return deserializer;
    }
}
