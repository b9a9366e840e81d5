package io.rewardannotator.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.apache.avro.Schema;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SerdeConfigTest {

    private static final Schema TINY = TinySchemas.V1;

    @Test
    void shouldUseConfluentDefaultsWhenOnlyUrlIsSet() {
        // when
        SerdeConfig config = SerdeConfig.from(Map.of("schema.registry.url", "mock://defaults"));

        // then
        assertThat(config.autoRegisterSchemas()).isTrue();
        assertThat(config.useLatestVersion()).isFalse();
        assertThat(config.specificAvroReader()).isFalse();
        assertThat(config.subjectNameStrategy(true)).isEqualTo(SubjectNameStrategy.TOPIC_NAME);
        assertThat(config.subjectNameStrategy(false)).isEqualTo(SubjectNameStrategy.TOPIC_NAME);
        assertThat(config.registry().mockScope()).contains("defaults");
    }

    @Test
    void shouldReadFlagsWhenGivenAsStringsOrBooleans() {
        // when
        SerdeConfig config = SerdeConfig.from(Map.of("schema.registry.url", "mock://flags",
                "auto.register.schemas", "false", "use.latest.version", true, "specific.avro.reader", "true"));

        // then
        assertThat(config.autoRegisterSchemas()).isFalse();
        assertThat(config.useLatestVersion()).isTrue();
        assertThat(config.specificAvroReader()).isTrue();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "io.confluent.kafka.serializers.subject.TopicNameStrategy, orders-value",
        "TopicNameStrategy, orders-value",
        "io.confluent.kafka.serializers.subject.RecordNameStrategy, test.Tiny",
        "record_name, test.Tiny",
        "io.confluent.kafka.serializers.subject.TopicRecordNameStrategy, orders-test.Tiny",
    })
    void shouldNameValueSubjectWhenStrategyIsConfigured(String strategy, String expectedSubject) {
        // given
        SerdeConfig config = SerdeConfig.from(Map.of("schema.registry.url", "mock://s",
                "value.subject.name.strategy", strategy));

        // when
        String subject = config.subjectNameStrategy(false).subject("orders", false, TINY);

        // then
        assertThat(subject).isEqualTo(expectedSubject);
    }

    @Test
    void shouldNameKeySubjectWhenTopicNameStrategyServesKeys() {
        assertThat(SubjectNameStrategy.TOPIC_NAME.subject("orders", true, TINY)).isEqualTo("orders-key");
        assertThat(SubjectNameStrategy.TOPIC_RECORD_NAME.subject("orders", true, TINY)).isEqualTo("orders-test.Tiny");
    }

    @Test
    void shouldNamePropertyWhenStrategyIsUnknown() {
        assertThatThrownBy(() -> SerdeConfig.from(Map.of("schema.registry.url", "mock://s",
                "key.subject.name.strategy", "com.example.MyStrategy")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("key.subject.name.strategy")
                .hasMessageContaining("io.confluent.kafka.serializers.subject.RecordNameStrategy");
        assertThatThrownBy(() -> SerdeConfig.from(Map.of("schema.registry.url", "mock://s",
                "auto.register.schemas", "sometimes")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("auto.register.schemas");
    }
}
