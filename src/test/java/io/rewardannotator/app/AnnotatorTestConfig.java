package io.rewardannotator.app;

import io.rewardannotator.TestBundles;
import io.rewardannotator.kafka.KafkaCluster;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * The settings of an annotator on the test broker and the tiny bundle, topics {@code in-ID}, {@code out-ID} and
 * {@code dlq-ID} (created here), a mock registry of its own; a mutable map for the test's own settings.
 */
public final class AnnotatorTestConfig {
    private AnnotatorTestConfig() {
    }

    /** @param name the application id's prefix and the registry's name, with {@code id} after it */
    public static Map<String, Object> of(KafkaCluster kafka, String name, String id, int partitions, Path stateDir) {
        kafka.createTopics(partitions, "in-" + id, "out-" + id, "dlq-" + id);
        Map<String, Object> config = new HashMap<>();
        config.put("bootstrap.servers", kafka.bootstrapServers());
        config.put("application.id", name + "-" + id);
        config.put("model.dir", TestBundles.TINY.toString());
        config.put("input.topics", "in-" + id);
        config.put("output.topic", "out-" + id);
        config.put("dead.letter.topic", "dlq-" + id);
        config.put("schema.registry.url", "mock://" + name + "-" + id);
        config.put("kafka.state.dir", stateDir.toString());
        return config;
    }

    /** The serde settings of {@code config}'s registry, for the test's producers and consumers. */
    public static Map<String, Object> serde(Map<String, Object> config) {
        return Map.of("schema.registry.url", config.get("schema.registry.url"));
    }
}
