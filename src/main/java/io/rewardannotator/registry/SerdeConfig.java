package io.rewardannotator.registry;

import java.util.Map;
import java.util.Objects;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;

/**
 * Settings of the Avro serializers and deserializers, with Confluent's property names, plus the
 * {@link RegistryConfig} of the registry they use.
 *
 * @param registry how to reach the registry
 * @param autoRegisterSchemas whether a serializer registers a record's schema under its subject
 * @param useLatestVersion whether a serializer writes with the subject's latest schema instead of the
 *     record's own (only when {@code autoRegisterSchemas} is false, as in Confluent's serializer)
 * @param specificAvroReader whether {@link AvroDeserializer} returns generated classes instead of
 *     generic records
 * @param keySubjectNameStrategy how keys' subjects are named
 * @param valueSubjectNameStrategy how values' subjects are named
 */
public record SerdeConfig(RegistryConfig registry, boolean autoRegisterSchemas, boolean useLatestVersion,
                          boolean specificAvroReader, SubjectNameStrategy keySubjectNameStrategy,
                          SubjectNameStrategy valueSubjectNameStrategy) {

    public static final String AUTO_REGISTER_SCHEMAS_CONFIG = "auto.register.schemas";
    public static final String USE_LATEST_VERSION_CONFIG = "use.latest.version";
    public static final String SPECIFIC_AVRO_READER_CONFIG = "specific.avro.reader";
    public static final String KEY_SUBJECT_NAME_STRATEGY_CONFIG = "key.subject.name.strategy";
    public static final String VALUE_SUBJECT_NAME_STRATEGY_CONFIG = "value.subject.name.strategy";

    static final ConfigDef DEFINITION = new ConfigDef()
            .define(AUTO_REGISTER_SCHEMAS_CONFIG, Type.BOOLEAN, true, Importance.MEDIUM,
                    "Whether the serializer registers a record's schema under its subject. Set it to false where "
                            + "schemas are registered by a deployment step and producers must not change them.")
            .define(USE_LATEST_VERSION_CONFIG, Type.BOOLEAN, false, Importance.LOW,
                    "With " + AUTO_REGISTER_SCHEMAS_CONFIG + "=false, write every record with the subject's latest "
                            + "registered schema (the record is converted to it) instead of looking up its own.")
            .define(SPECIFIC_AVRO_READER_CONFIG, Type.BOOLEAN, false, Importance.LOW,
                    "Whether AvroDeserializer returns generated SpecificRecord classes rather than GenericRecords.")
            .define(KEY_SUBJECT_NAME_STRATEGY_CONFIG, Type.STRING,
                    SubjectNameStrategy.TOPIC_NAME.confluentClassName(), Importance.LOW,
                    "How keys' subjects are named: TopicNameStrategy (<topic>-key), RecordNameStrategy or "
                            + "TopicRecordNameStrategy; Confluent's class names are accepted.")
            .define(VALUE_SUBJECT_NAME_STRATEGY_CONFIG, Type.STRING,
                    SubjectNameStrategy.TOPIC_NAME.confluentClassName(), Importance.LOW,
                    "How values' subjects are named: TopicNameStrategy (<topic>-value), RecordNameStrategy or "
                            + "TopicRecordNameStrategy; Confluent's class names are accepted.");

    public SerdeConfig {
        Objects.requireNonNull(registry, "registry");
        Objects.requireNonNull(keySubjectNameStrategy, KEY_SUBJECT_NAME_STRATEGY_CONFIG);
        Objects.requireNonNull(valueSubjectNameStrategy, VALUE_SUBJECT_NAME_STRATEGY_CONFIG);
    }

    /** Parses Kafka-style configuration; unknown keys are ignored. */
    public static SerdeConfig from(Map<String, ?> configs) {
        Map<String, Object> values = DEFINITION.parse(configs);
        return new SerdeConfig(
                RegistryConfig.from(configs),
                (Boolean) values.get(AUTO_REGISTER_SCHEMAS_CONFIG),
                (Boolean) values.get(USE_LATEST_VERSION_CONFIG),
                (Boolean) values.get(SPECIFIC_AVRO_READER_CONFIG),
                SubjectNameStrategy.fromConfig(KEY_SUBJECT_NAME_STRATEGY_CONFIG,
                        (String) values.get(KEY_SUBJECT_NAME_STRATEGY_CONFIG)),
                SubjectNameStrategy.fromConfig(VALUE_SUBJECT_NAME_STRATEGY_CONFIG,
                        (String) values.get(VALUE_SUBJECT_NAME_STRATEGY_CONFIG)));
    }

    /** The strategy for keys or for values. */
    public SubjectNameStrategy subjectNameStrategy(boolean isKey) {
        return isKey ? keySubjectNameStrategy : valueSubjectNameStrategy;
    }
}
