package io.rewardannotator.streams;

import io.rewardannotator.event.GeneratedResponse;
import io.rewardannotator.event.ScoredGroup;
import io.rewardannotator.event.ScoredResponse;
import io.rewardannotator.registry.SpecificAvroDeserializer;
import io.rewardannotator.registry.SpecificAvroSerializer;
import io.rewardannotator.scoring.RewardScorer;
import io.rewardannotator.streams.groups.GroupBranch;
import io.rewardannotator.streams.groups.GroupSettings;
import io.rewardannotator.streams.stats.RewardStatsBranch;
import io.rewardannotator.streams.stats.StatsSettings;
import java.util.Map;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.state.Stores;

/**
 * Builds the annotator's topology: a pure function of its arguments, called by the application and by tests.
 *
 * <pre>
 *                                               Outcome.Scored
 * inputs (Avro) -> micro-batch scorer (buffer store) -----------> scored-responses (Avro)
 *                                                   \-Outcome.Rejected-> dead letters (original bytes + reason headers)
 *                                                   \-Outcome.Stats-> {@link RewardStatsBranch} -> reward-stats (Avro)
 *                                                   \-Outcome.Member-> {@link GroupBranch} -> scored-groups (Avro)
 *                                                                        \-closed groups' spread-> RewardStatsBranch
 * undecodable inputs -> dead letters, through {@link DeadLetterDeserializationHandler}
 * </pre>
 *
 * <p>A replay adds one node: {@code inputs -> slice filter -> micro-batch scorer}.
 *
 * <p>The micro-batch scorer is a Processor-API processor whose output is the sealed {@link Outcome}; it forwards
 * each kind to its child by name, and each child takes its part through {@link Outcome}'s typed accessors
 * ({@code Outcome::scored}, {@code Outcome::original}, {@code Outcome::stats}). The DSL wires it because the
 * statistics need a repartition topic, which only the DSL creates and manages.
 */
public final class AnnotatorTopology {
    private AnnotatorTopology() {
    }

    /**
     * The online annotator's topology.
     *
     * @param serdeConfig the schema-registry serde configuration ({@code schema.registry.url}, ...)
     * @param scorer      the JVM-wide scorer shared by every task
     * @throws IllegalArgumentException when {@code stats.topic} or {@code group.topic} is one of the other topics
     */
    public static Topology build(AnnotatorTopics topics, Map<String, ?> serdeConfig, RewardScorer scorer,
                                 BatchingSettings batching, StatsSettings stats, GroupSettings groups,
                                 AnnotationListener listener) {
        return build(topics, serdeConfig, scorer, batching, stats, groups, listener, null);
    }

    /**
     * As {@link #build(AnnotatorTopics, Map, RewardScorer, BatchingSettings, StatsSettings, GroupSettings,
     * AnnotationListener)},
     * for a replay when {@code slice} is given: a {@link SliceFilter} between the source and the scorer passes on
     * only the records inside it.
     *
     * @param slice the replay's bounds, or {@code null} for the online annotator (no filter node)
     */
    public static Topology build(AnnotatorTopics topics, Map<String, ?> serdeConfig, RewardScorer scorer,
                                 BatchingSettings batching, StatsSettings stats, GroupSettings groups,
                                 AnnotationListener listener, SliceBounds slice) {
        stats.requireDistinctFrom(topics);
        groups.requireDistinctFrom(topics, stats.topic());
        TopologyNames names = TopologyNames.DEFAULT;
        SpecificAvroSerializer<ScoredResponse> scoredSerializer = new SpecificAvroSerializer<>();
        scoredSerializer.configure(serdeConfig, false);
        scoredSerializer.resolve(topics.output(), ScoredResponse.getClassSchema());

        StreamsBuilder builder = new StreamsBuilder();
        // In memory with a changelog: the buffer holds at most max-in-flight records per task, so restoring it
        // from its changelog is quick, and no local disk state must be managed. It signals commits to the
        // processors' wait budget.
        builder.addStateStore(Stores.keyValueStoreBuilder(
                CommitSignallingStore.wrapping(Stores.inMemoryKeyValueStore(names.bufferStore())),
                Serdes.Long(), BufferedRecordSerde.SERDE));
        KStream<byte[], InputEvent> inputs = builder.stream(topics.inputs(), Consumed.with(Serdes.ByteArray(),
                OneWaySerdes.reading(new InputEventDeserializer(decoder(serdeConfig)))).withName(names.source()));
        if (slice != null) {
            inputs = inputs.process(() -> new SliceFilter(slice), Named.as(SliceFilter.NAME));
        }
        KStream<byte[], Outcome> results = inputs.process(() -> new MicroBatchProcessor(scorer, decoder(serdeConfig),
                batching, listener, names, stats.enabled(), groups.enabled()), Named.as(names.processor()),
                names.bufferStore());
        results.to(topics.output(), Produced.with(Serdes.ByteArray(),
                OneWaySerdes.writing(Outcome::scored, scoredSerializer))
                .withName(names.scoredSink()));
        results.to(topics.deadLetter(), Produced.with(Serdes.ByteArray(),
                OneWaySerdes.writing(Outcome::original, new ByteArraySerializer())).withName(names.deadLetterSink()));
        KStream<String, ScoredGroup> closedGroups = groups.enabled() ? GroupBranch.addTo(builder, results,
                names.memberOutcomes(), groups, EventMapping.scorer(scorer.info()), serdeConfig, listener) : null;
        if (stats.enabled()) {
            RewardStatsBranch.addTo(builder, results, names.statsOutcomes(), closedGroups, stats, serdeConfig,
                    listener);
        }
        return builder.build();
    }

    private static Deserializer<GeneratedResponse> decoder(Map<String, ?> serdeConfig) {
        SpecificAvroDeserializer<GeneratedResponse> deserializer =
                new SpecificAvroDeserializer<>(GeneratedResponse.class);
        deserializer.configure(serdeConfig, false);
        return deserializer;
    }
}
