package io.rewardannotator.streams;

import static org.assertj.core.api.Assertions.assertThat;

import io.rewardannotator.streams.groups.GroupSettings;
import io.rewardannotator.streams.stats.StatsSettings;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.apache.kafka.streams.TopologyDescription;
import org.junit.jupiter.api.Test;

/**
 * A renamed node, store, changelog or repartition topic makes a running deployment lose its state or its
 * in-flight repartitioned records on upgrade: today's names are pinned here. Change them only with a migration.
 */
class TopologyNamesPinTest {
    private static final AnnotatorTopics TOPICS = new AnnotatorTopics(List.of("generated-responses"),
            "scored-responses", "dead-letters");

    @Test
    void shouldKeepTodaysNodeStoreAndTopicNames() {
        TopologyDescription description = AnnotatorTopology.build(TOPICS, Map.of("schema.registry.url",
                "mock://topology-names-pin"), TinyScorer.shared(), BatchingSettings.defaults(),
                StatsSettings.defaults(), GroupSettings.defaults(), AnnotationListener.NONE).describe();
        Set<String> nodes = new TreeSet<>();
        Set<String> stores = new TreeSet<>();
        Set<String> topics = new TreeSet<>();
        for (TopologyDescription.Subtopology sub : description.subtopologies()) {
            for (TopologyDescription.Node node : sub.nodes()) {
                nodes.add(node.name());
                if (node instanceof TopologyDescription.Processor processor) {
                    stores.addAll(processor.stores());
                } else if (node instanceof TopologyDescription.Source source) {
                    topics.addAll(source.topicSet());
                } else if (node instanceof TopologyDescription.Sink sink) {
                    topics.add(sink.topic());
                }
            }
        }

        assertThat(nodes).containsExactly("dead-letter-sink", "generated-responses-source", "group-collector",
                "group-member-outcomes", "group-members-repartition-filter", "group-members-repartition-sink",
                "group-members-repartition-source", "micro-batch-scorer", "reward-stats-aggregator",
                "reward-stats-group-spreads", "reward-stats-groups-of-two-or-more", "reward-stats-outcomes-and-groups",
                "reward-stats-outcomes-repartition-filter", "reward-stats-outcomes-repartition-sink",
                "reward-stats-outcomes-repartition-source", "reward-stats-sink", "scored-groups-sink",
                "scored-responses-sink", "stats-outcomes");
        // Changelog topics are <application.id>-<store>-changelog.
        assertThat(stores).containsExactly("group-schedule", "groups", "micro-batch-buffer", "reward-stats-clock",
                "reward-stats-windows");
        // The repartition topics are <application.id>-<name>-repartition.
        assertThat(topics).containsExactly("dead-letters", "generated-responses", "group-members-repartition",
                "reward-stats", "reward-stats-outcomes-repartition", "scored-groups", "scored-responses");
    }
}
