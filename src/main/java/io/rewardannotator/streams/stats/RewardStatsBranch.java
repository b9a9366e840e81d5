package io.rewardannotator.streams.stats;

import io.rewardannotator.event.GroupMember;
import io.rewardannotator.event.RewardStats;
import io.rewardannotator.event.ScoredGroup;
import io.rewardannotator.registry.SpecificAvroSerde;
import io.rewardannotator.streams.AnnotationListener;
import io.rewardannotator.streams.Outcome;
import io.rewardannotator.streams.groups.GroupRewards;
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
 * The reward-statistics branch of the topology:
 *
 * <pre>
 * micro-batch scorer --Outcome.Stats (by name)--> repartition by policy --> window aggregator --> reward-stats (Avro)
 * group branch --closed groups' score spread--/
 * </pre>
 *
 * <p>The repartition topic ({@code <application.id>-reward-stats-outcomes-repartition}, created by Kafka Streams)
 * brings every outcome of one policy version to one task, whichever input partition it came from, so that each
 * window is emitted once with figures over all of its responses.
 */
public final class RewardStatsBranch {
    static final String REPARTITION = "reward-stats-outcomes";
    static final String AGGREGATOR = "reward-stats-aggregator";
    static final String WINDOW_STORE = "reward-stats-windows";
    static final String CLOCK_STORE = "reward-stats-clock";
    static final String SINK = "reward-stats-sink";
    static final String GROUPS_FILTER = "reward-stats-groups-of-two-or-more";
    static final String GROUP_SPREADS = "reward-stats-group-spreads";
    static final String GROUPS_MERGE = "reward-stats-outcomes-and-groups";

    private RewardStatsBranch() {
    }

    /**
     * Adds the branch below {@code results}, the micro-batch processor's output, whose child
     * {@code outcomesNode} receives {@link Outcome.Stats} and rekeys them by their {@link PolicyKey}.
     *
     * @param closedGroups the group branch's output, whose groups of two or more scored members count in
     *                     {@code mean_group_spread}; {@code null} when groups are off
     */
    public static void addTo(StreamsBuilder builder, KStream<byte[], Outcome> results, String outcomesNode,
                             KStream<String, ScoredGroup> closedGroups, StatsSettings settings,
                             Map<String, ?> serdeConfig, AnnotationListener listener) {
        // In memory with changelogs, like the buffer: a few open windows per policy version, restored quickly.
        // Retention covers every window until it closes; a closed one is deleted as it is emitted.
        builder.addStateStore(Stores.windowStoreBuilder(
                Stores.inMemoryWindowStore(WINDOW_STORE, settings.windowSize().plus(settings.grace()),
                        settings.windowSize(), false),
                PolicyKey.SERDE, WindowAggregate.SERDE).withCachingEnabled());
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(CLOCK_STORE),
                Serdes.String(), Serdes.Long()));
        SpecificAvroSerde<RewardStats> statsSerde = SpecificAvroSerde.forOutput(RewardStats.class,
                RewardStats.getClassSchema(), serdeConfig, settings.topic());

        KStream<PolicyKey, StatsOutcome> outcomes = results.map(
                (key, value) -> KeyValue.pair(value.stats().policy(), value.stats().outcome()), Named.as(outcomesNode));
        if (closedGroups != null) {
            outcomes = outcomes.merge(closedGroups
                    .filter((promptId, group) -> group.getMembers().size() >= 2, Named.as(GROUPS_FILTER))
                    .map((promptId, group) -> KeyValue.pair(PolicyKey.of(group.getPolicy()), StatsOutcome.group(
                            GroupRewards.sampleStd(group.getMembers().stream().mapToDouble(GroupMember::getScore)
                                    .toArray()))), Named.as(GROUP_SPREADS)), Named.as(GROUPS_MERGE));
        }
        outcomes.repartition(Repartitioned.with(PolicyKey.SERDE, StatsOutcome.SERDE).withName(REPARTITION))
                .process(() -> new RewardStatsProcessor(settings, listener, WINDOW_STORE, CLOCK_STORE),
                        Named.as(AGGREGATOR), WINDOW_STORE, CLOCK_STORE)
                .to(settings.topic(), Produced.with(Serdes.ByteArray(), statsSerde).withName(SINK));
    }
}
