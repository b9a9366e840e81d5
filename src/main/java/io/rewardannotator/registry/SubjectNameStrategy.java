package io.rewardannotator.registry;

import java.util.Arrays;
import java.util.Locale;
import org.apache.avro.Schema;
import org.apache.kafka.common.config.ConfigException;

/**
 * How a serializer names the subject a record's schema is registered under. Configured with
 * {@code key.subject.name.strategy} / {@code value.subject.name.strategy}, which accept Confluent's
 * class names so that existing configurations carry over.
 */
public enum SubjectNameStrategy {

    /** {@code <topic>-key} or {@code <topic>-value}: one schema lineage per topic (the default). */
    TOPIC_NAME("io.confluent.kafka.serializers.subject.TopicNameStrategy") {
        @Override
        public String subject(String topic, boolean isKey, Schema schema) {
            return topic + (isKey ? "-key" : "-value");
        }
    },

    /** The record's full name: one lineage per record type, shared by every topic that carries it. */
    RECORD_NAME("io.confluent.kafka.serializers.subject.RecordNameStrategy") {
        @Override
        public String subject(String topic, boolean isKey, Schema schema) {
            return schema.getFullName();
        }
    },

    /** {@code <topic>-<record full name>}: one lineage per record type within each topic. */
    TOPIC_RECORD_NAME("io.confluent.kafka.serializers.subject.TopicRecordNameStrategy") {
        @Override
        public String subject(String topic, boolean isKey, Schema schema) {
            return topic + "-" + schema.getFullName();
        }
    };

    private final String confluentClassName;

    SubjectNameStrategy(String confluentClassName) {
        this.confluentClassName = confluentClassName;
    }

    /** The subject for a record of {@code schema} written to {@code topic} as key or value. */
    public abstract String subject(String topic, boolean isKey, Schema schema);

    /** The name of the equivalent strategy class in Confluent's serializers. */
    public String confluentClassName() {
        return confluentClassName;
    }

    /**
     * Parses a configured value: a Confluent class name, its simple name ({@code TopicNameStrategy}), or
     * this enum's constant name ({@code topic_name}, any case).
     *
     * @param property the property the value came from, named in the error message
     */
    public static SubjectNameStrategy fromConfig(String property, String value) {
        String trimmed = value.trim();
        for (SubjectNameStrategy strategy : values()) {
            String className = strategy.confluentClassName;
            if (trimmed.equals(className)
                    || trimmed.equals(className.substring(className.lastIndexOf('.') + 1))
                    || trimmed.toUpperCase(Locale.ROOT).equals(strategy.name())) {
                return strategy;
            }
        }
        throw new ConfigException(property, value, "unknown subject name strategy; use one of "
                + Arrays.stream(values()).map(SubjectNameStrategy::confluentClassName).toList());
    }
}
