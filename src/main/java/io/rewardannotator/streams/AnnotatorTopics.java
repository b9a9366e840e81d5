package io.rewardannotator.streams;

import java.util.List;
import java.util.Objects;

/**
 * The annotator's topics. Each travels with its serdes in {@link AnnotatorTopology}: inputs are Confluent-Avro
 * {@code GeneratedResponse}, the output Confluent-Avro {@code ScoredResponse}, dead letters the original bytes.
 */
public record AnnotatorTopics(List<String> inputs, String output, String deadLetter) {
    public AnnotatorTopics {
        inputs = List.copyOf(Objects.requireNonNull(inputs, "inputs"));
        if (inputs.isEmpty() || inputs.stream().anyMatch(t -> t == null || t.isBlank())) {
            throw new IllegalArgumentException("input.topics must list at least one topic name");
        }
        requireName("output.topic", output);
        requireName("dead.letter.topic", deadLetter);
        if (inputs.contains(output) || inputs.contains(deadLetter) || output.equals(deadLetter)) {
            throw new IllegalArgumentException("input.topics, output.topic and dead.letter.topic must all differ");
        }
    }

    private static void requireName(String key, String name) {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException(key + " must name a topic");
        }
    }
}
