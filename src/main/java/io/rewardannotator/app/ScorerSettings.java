package io.rewardannotator.app;

import io.rewardannotator.model.Device;
import io.rewardannotator.model.SessionSettings;
import io.rewardannotator.scoring.DeviceProfile;
import io.rewardannotator.scoring.ScoringConfig;
import io.rewardannotator.text.OverflowPolicy;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;

/**
 * The model and scoring settings alone: the part of {@link AnnotatorConfig} that the commands scoring without
 * Kafka ({@code score}, {@code bench}) take as flags. Same keys, defaults and validators: the definitions are
 * {@link AnnotatorConfig#DEFINITION}'s own.
 */
public final class ScorerSettings extends AbstractConfig {
    private static final List<String> KEYS = List.of(AnnotatorConfig.MODEL_DIR, AnnotatorConfig.DEVICE,
            AnnotatorConfig.INTRA_OP_THREADS, AnnotatorConfig.INTER_OP_THREADS, AnnotatorConfig.CONCURRENT_RUNS,
            AnnotatorConfig.PROMPT_CACHE_MB,
            AnnotatorConfig.BATCH_MAX_TOKENS, AnnotatorConfig.BATCH_MEMORY_MB, AnnotatorConfig.BATCH_MIN_LENGTH_RATIO,
            AnnotatorConfig.BATCH_MAX_SIZE, AnnotatorConfig.BATCH_LINGER_MS, AnnotatorConfig.SCORING_QUEUE_CAPACITY,
            AnnotatorConfig.CVAR_ALPHA, AnnotatorConfig.DROP_OLDEST_TURNS);
    private static final ConfigDef DEFINITION = subset(KEYS);

    /** @throws org.apache.kafka.common.config.ConfigException naming the key, when a value is missing or invalid */
    public ScorerSettings(Map<?, ?> values) {
        super(DEFINITION, values, false);
    }

    private static ConfigDef subset(List<String> keys) {
        ConfigDef subset = new ConfigDef();
        keys.forEach(key -> subset.define(AnnotatorConfig.DEFINITION.configKeys().get(key)));
        return subset;
    }

    public Path modelDir() {
        return Path.of(getString(AnnotatorConfig.MODEL_DIR));
    }

    public SessionSettings sessionSettings() {
        return new SessionSettings(device(), getInt(AnnotatorConfig.INTRA_OP_THREADS),
                getInt(AnnotatorConfig.INTER_OP_THREADS), getInt(AnnotatorConfig.CONCURRENT_RUNS),
                getLong(AnnotatorConfig.PROMPT_CACHE_MB) << 20);
    }

    /** The scoring settings, with the device's defaults ({@link DeviceProfile}) where a setting is 0. */
    public ScoringConfig scoringConfig() {
        DeviceProfile profile = DeviceProfile.of(device());
        int tokens = getInt(AnnotatorConfig.BATCH_MAX_TOKENS);
        long memoryMb = getLong(AnnotatorConfig.BATCH_MEMORY_MB);
        return new ScoringConfig(tokens > 0 ? tokens : profile.batchTokens(), getInt(AnnotatorConfig.BATCH_MAX_SIZE),
                Duration.ofMillis(getLong(AnnotatorConfig.BATCH_LINGER_MS)),
                getInt(AnnotatorConfig.SCORING_QUEUE_CAPACITY), getDouble(AnnotatorConfig.CVAR_ALPHA),
                getBoolean(AnnotatorConfig.DROP_OLDEST_TURNS) ? OverflowPolicy.DROP_OLDEST_TURNS
                        : OverflowPolicy.REJECT, getDouble(AnnotatorConfig.BATCH_MIN_LENGTH_RATIO),
                memoryMb > 0 ? memoryMb << 20 : profile.batchMemoryBytes());
    }

    private Device device() {
        return Device.parse(getString(AnnotatorConfig.DEVICE));
    }
}
