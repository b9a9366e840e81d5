package io.rewardannotator.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rewardannotator.streams.stats.HistogramBins;
import io.rewardannotator.streams.stats.StatsSettings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AnnotatorConfigTest {
    @TempDir
    Path tmp;

    private static final Map<String, String> REQUIRED = Map.of("bootstrap.servers", "localhost:9092",
            "model.dir", "models/tiny-qrm", "schema.registry.url", "http://registry:8081");

    @Test
    void shouldApplyDefaultsForEverythingButBrokerRegistryAndModel() {
        AnnotatorConfig config = new AnnotatorConfig(REQUIRED);

        assertThat(config.topics().inputs()).containsExactly("generated-responses");
        assertThat(config.topics().output()).isEqualTo("scored-responses");
        assertThat(config.getString(AnnotatorConfig.PROCESSING_GUARANTEE)).isEqualTo("exactly_once_v2");
        assertThat(config.scoringConfig().maxBatchTokens()).as("the cpu default").isEqualTo(4_096);
        assertThat(config.batchingSettings().maxInFlightPerTask()).isEqualTo(256);
        assertThat(config.serdeConfig()).containsEntry("schema.registry.url", "http://registry:8081");
    }

    @Test
    void shouldEmitRewardStatsPerMinuteByDefault() {
        StatsSettings stats = new AnnotatorConfig(REQUIRED).statsSettings();

        assertThat(stats.enabled()).isTrue();
        assertThat(stats.topic()).isEqualTo("reward-stats");
        assertThat(stats.windowSize()).isEqualTo(Duration.ofSeconds(60));
        assertThat(stats.grace()).isEqualTo(Duration.ofSeconds(10));
        assertThat(stats.lowerTailThreshold()).isZero();
        assertThat(stats.histogram()).isEqualTo(new HistogramBins(-20, 20, 400));
    }

    @Test
    void shouldReadEveryStatsSetting() {
        Map<String, String> values = new HashMap<>(REQUIRED);
        values.putAll(Map.of("stats.enabled", "false", "stats.topic", "rs", "stats.window.ms", "2000",
                "stats.grace.ms", "0", "stats.lower.tail.threshold", "-1.5", "stats.histogram.min", "-4",
                "stats.histogram.max", "6", "stats.histogram.bins", "50"));

        StatsSettings stats = new AnnotatorConfig(values).statsSettings();

        assertThat(stats).isEqualTo(new StatsSettings(false, "rs", Duration.ofSeconds(2), Duration.ZERO, -1.5,
                new HistogramBins(-4, 6, 50)));
    }

    @Test
    void shouldNameTheStatsSettingWithAnInvalidValue() {
        assertThatThrownBy(() -> new AnnotatorConfig(with("stats.window.ms", "0")))
                .hasMessageContaining("stats.window.ms");
        assertThatThrownBy(() -> new AnnotatorConfig(with("stats.grace.ms", "-1")))
                .hasMessageContaining("stats.grace.ms");
        assertThatThrownBy(() -> new AnnotatorConfig(with("stats.histogram.bins", "0")))
                .hasMessageContaining("stats.histogram.bins");
        assertThatThrownBy(() -> new AnnotatorConfig(with("stats.histogram.min", "30")).statsSettings())
                .hasMessageContaining("stats.histogram.min").hasMessageContaining("stats.histogram.max");
    }

    @Test
    void shouldRefuseAStatsOrGroupTopicThatIsAnotherOfTheAnnotatorsTopicsBeforeAnythingStarts() {
        Map<String, String> groupOnOutput = new HashMap<>(with("group.enabled", "true"));
        groupOnOutput.put("group.topic", "scored-responses");

        assertThatThrownBy(() -> new AnnotatorConfig(groupOnOutput)).hasMessageContaining("group.topic");
        assertThatThrownBy(() -> new AnnotatorConfig(with("stats.topic", "generated-responses")))
                .hasMessageContaining("stats.topic");
        assertThat(new AnnotatorConfig(with("group.topic", "scored-responses")).groupSettings().enabled())
                .as("a disabled branch's topic is not checked").isFalse();
    }

    @Test
    void shouldJoinTheGroupAsAStaticMemberWhenGivenAnInstanceId() {
        Map<String, String> values = new HashMap<>(REQUIRED);

        assertThat(new AnnotatorConfig(values).kafkaOverrides()).doesNotContainKey("group.instance.id");
        values.put("group.instance.id", "reward-annotator-7c9f-x2k4q");
        assertThat(new AnnotatorConfig(values).kafkaOverrides())
                .containsEntry("group.instance.id", "reward-annotator-7c9f-x2k4q");
    }

    @Test
    void shouldNameTheMissingSetting() {
        assertThatThrownBy(() -> new AnnotatorConfig(Map.of("model.dir", "m")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("bootstrap.servers");
        assertThatThrownBy(() -> new AnnotatorConfig(Map.of("model.dir", "m", "bootstrap.servers", "b:9092")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("schema.registry.url");
    }

    @Test
    void shouldSizeThePromptCacheInMebibytesAndAllowTurningItOff() {
        assertThat(new AnnotatorConfig(REQUIRED).sessionSettings().promptCacheBytes()).isEqualTo(256L << 20);
        assertThat(new AnnotatorConfig(with("prompt.cache.mb", "0")).sessionSettings().promptCacheBytes()).isZero();
        assertThatThrownBy(() -> new AnnotatorConfig(with("prompt.cache.mb", "-1")))
                .hasMessageContaining("prompt.cache.mb");
    }

    @Test
    void shouldNameTheSettingWithAnInvalidValue() {
        assertThatThrownBy(() -> new AnnotatorConfig(with("batch.max.tokens", "-1")))
                .hasMessageContaining("batch.max.tokens");
        assertThatThrownBy(() -> new AnnotatorConfig(with("device", "tpu")))
                .hasMessageContaining("device").hasMessageContaining("use cpu, cuda or cuda:N");
        assertThatThrownBy(() -> new AnnotatorConfig(with("processing.guarantee", "exactly_once")))
                .hasMessageContaining("processing.guarantee");
    }

    @Test
    void shouldPassKafkaAndRegistryPropertiesThroughTheirPrefixes() {
        Map<String, String> values = new HashMap<>(REQUIRED);
        values.put("kafka.security.protocol", "SASL_SSL");
        values.put("kafka.producer.linger.ms", "5");
        values.put("registry.basic.auth.user.info", "user:secret");
        AnnotatorConfig config = new AnnotatorConfig(values);

        assertThat(config.kafkaOverrides()).containsEntry("security.protocol", "SASL_SSL")
                .containsEntry("producer.linger.ms", "5").containsEntry("num.stream.threads", 1);
        assertThat(config.serdeConfig()).containsEntry("basic.auth.user.info", "user:secret");
    }

    @Test
    void shouldLetEnvironmentOverrideFileAndFlagsOverrideBoth() throws IOException {
        Path file = Files.writeString(tmp.resolve("annotator.properties"),
                "batch.max.tokens=1000\nbatch.max.size=8\ndevice=cpu\n");
        Map<String, String> env = Map.of("REWARD_ANNOTATOR_BATCH_MAX_TOKENS", "2000",
                "REWARD_ANNOTATOR_BATCH_MAX_SIZE", "16", "PATH", "/usr/bin");
        Map<String, String> flags = Map.of("batch.max.size", "32");

        Map<String, String> merged = ConfigSources.merge(file, env, flags);

        assertThat(merged).containsEntry("batch.max.tokens", "2000").containsEntry("batch.max.size", "32")
                .containsEntry("device", "cpu").doesNotContainKey("path");
    }

    @Test
    void shouldSayWhenTheConfigFileIsMissing() {
        assertThatThrownBy(() -> ConfigSources.merge(tmp.resolve("nope.properties"), Map.of(), Map.of()))
                .hasMessageContaining("--config").hasMessageContaining("no such file");
    }

    @Test
    void shouldRefuseAnUnknownKeyInTheFileAndSuggestTheNearestKnownOne() throws IOException {
        Path file = Files.writeString(tmp.resolve("annotator.properties"), "batch.max.token=1000\n");

        assertThatThrownBy(() -> ConfigSources.load(file, Map.of(), REQUIRED))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("unknown setting 'batch.max.token'").hasMessageContaining(file.toString())
                .hasMessageContaining("did you mean 'batch.max.tokens'");
    }

    @Test
    void shouldRefuseAnUnknownEnvironmentVariableAndNameIt() {
        Map<String, String> env = Map.of("REWARD_ANNOTATOR_STATS_WINDOW_SECONDS", "60", "PATH", "/usr/bin");

        assertThatThrownBy(() -> ConfigSources.load(null, env, REQUIRED))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("REWARD_ANNOTATOR_STATS_WINDOW_SECONDS")
                .hasMessageContaining("did you mean 'stats.window.ms'");
    }

    @Test
    void shouldRefuseAnUnknownSetFlag() {
        Map<String, String> flags = new HashMap<>(REQUIRED);
        flags.put("shutdown.timeout", "1000");

        assertThatThrownBy(() -> ConfigSources.load(null, Map.of(), flags))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("unknown setting 'shutdown.timeout' on the command line (--set)")
                .hasMessageContaining("did you mean 'shutdown.timeout.ms'");
    }

    @Test
    void shouldPassKafkaAndRegistryPropertiesThroughFromEverySource() throws IOException {
        Path file = Files.writeString(tmp.resolve("annotator.properties"), "kafka.producer.linger.ms=5\n");
        Map<String, String> env = Map.of("REWARD_ANNOTATOR_KAFKA_SECURITY_PROTOCOL", "SSL");
        Map<String, String> flags = new HashMap<>(REQUIRED);
        flags.put("registry.basic.auth.user.info", "user:secret");

        AnnotatorConfig config = ConfigSources.load(file, env, flags);

        assertThat(config.kafkaOverrides()).containsEntry("producer.linger.ms", "5")
                .containsEntry("security.protocol", "SSL");
        assertThat(config.serdeConfig()).containsEntry("basic.auth.user.info", "user:secret");
    }

    private static Map<String, String> with(String key, String value) {
        Map<String, String> values = new HashMap<>(REQUIRED);
        values.put(key, value);
        return values;
    }
}
