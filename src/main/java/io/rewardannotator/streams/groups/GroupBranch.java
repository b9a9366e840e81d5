package io.rewardannotator.streams.groups;

import io.rewardannotator.event.ScoredGroup;
import io.rewardannotator.event.Scorer;
import io.rewardannotator.registry.SpecificAvroSerde;
import io.rewardannotator.streams.AnnotationListener;
import io.rewardannotator.streams.Outcome;
import java.util.Map;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.kstream.Repartitioned;
import org.apache.kafka.streams.state.Stores;

/**
 * The group branch of the topology:
 *
 * <pre>
 * micro-batch scorer --Outcome.Member (by name)--> repartition by prompt_id --> {@link GroupCollector} --> scored-groups (Avro)
 * </pre>
 *
 * <p>The repartition topic ({@code <application.id>-group-members-repartition}, created by Kafka Streams) brings
 * every member of one prompt to one task, whichever input partition it was produced to.
 */
public final class GroupBranch {
    static final String REPARTITION = "group-members";
    static final String COLLECTOR = "group-collector";
    static final String GROUP_STORE = "groups";
    static final String SCHEDULE_STORE = "group-schedule";
    static final String SINK = "scored-groups-sink";

    private GroupBranch() {
    }

    /**
     * Adds the branch below {@code results}, the micro-batch processor's output, whose child {@code membersNode}
     * receives {@link Outcome.Member} and rekeys them by {@code prompt_id}.
     *
     * @return the closed groups as they are emitted, keyed by {@code prompt_id}
     */
    public static KStream<String, ScoredGroup> addTo(StreamsBuilder builder, KStream<byte[], Outcome> results,
                                                     String membersNode, GroupSettings settings, Scorer scorer,
                                                     Map<String, ?> serdeConfig, AnnotationListener listener) {
        // In memory with changelogs, like the buffer: open groups are few (those scored within group.max.wait.ms)
        // and closed ones are small, so restoring is quick.
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(GROUP_STORE),
                Serdes.String(), GroupState.SERDE));
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(SCHEDULE_STORE),
                Serdes.String(), Serdes.String()));
        SpecificAvroSerde<ScoredGroup> serde = SpecificAvroSerde.forOutput(ScoredGroup.class,
                ScoredGroup.getClassSchema(), serdeConfig, settings.topic());

        KStream<String, ScoredGroup> groups = results
                .map((key, value) -> KeyValue.pair(value.member().promptId(), value.member().outcome()),
                        Named.as(membersNode))
                .repartition(Repartitioned.with(Serdes.String(), MemberOutcome.SERDE).withName(REPARTITION))
                .process(() -> new GroupCollector(settings, scorer, listener, GROUP_STORE, SCHEDULE_STORE),
                        Named.as(COLLECTOR), GROUP_STORE, SCHEDULE_STORE);
        groups.to(settings.topic(), Produced.with(Serdes.String(), serde).withName(SINK));
        return groups;
    }
}
