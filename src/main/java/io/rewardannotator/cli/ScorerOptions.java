package io.rewardannotator.cli;

import io.rewardannotator.app.AnnotatorConfig;
import io.rewardannotator.app.ScorerSettings;
import io.rewardannotator.model.SessionSettings;
import io.rewardannotator.scoring.ScoringConfig;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.kafka.common.config.ConfigException;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * The model and scoring flags every scoring command shares. Each flag sets the annotator's setting named by its
 * {@code descriptionKey}: its default and its description come from that setting's declaration
 * ({@link SettingDocs}), and its value is validated by it, so an error names both the flag and the key.
 */
final class ScorerOptions {
    @Spec
    CommandSpec spec;

    @Option(names = "--model", required = true, paramLabel = "DIR", descriptionKey = AnnotatorConfig.MODEL_DIR)
    Path model;

    @Option(names = "--device", paramLabel = "cpu|cuda:N", descriptionKey = AnnotatorConfig.DEVICE)
    String device;

    @Option(names = "--intra-op-threads", paramLabel = "N", descriptionKey = AnnotatorConfig.INTRA_OP_THREADS)
    int intraOpThreads;

    @Option(names = "--inter-op-threads", paramLabel = "N", descriptionKey = AnnotatorConfig.INTER_OP_THREADS)
    int interOpThreads;

    @Option(names = "--concurrent-runs", paramLabel = "N", descriptionKey = AnnotatorConfig.CONCURRENT_RUNS)
    int concurrentRuns;

    @Option(names = "--prompt-cache-mb", paramLabel = "MB", descriptionKey = AnnotatorConfig.PROMPT_CACHE_MB)
    long promptCacheMb;

    @Option(names = "--batch-tokens", paramLabel = "N", descriptionKey = AnnotatorConfig.BATCH_MAX_TOKENS)
    int batchTokens;

    @Option(names = "--batch-memory-mb", paramLabel = "MB", descriptionKey = AnnotatorConfig.BATCH_MEMORY_MB)
    long batchMemoryMb;

    @Option(names = "--min-length-ratio", paramLabel = "R", descriptionKey = AnnotatorConfig.BATCH_MIN_LENGTH_RATIO)
    double minLengthRatio;

    @Option(names = "--max-batch-size", paramLabel = "N", descriptionKey = AnnotatorConfig.BATCH_MAX_SIZE)
    int maxBatchSize;

    @Option(names = "--linger-ms", paramLabel = "MS", descriptionKey = AnnotatorConfig.BATCH_LINGER_MS)
    long lingerMs;

    @Option(names = "--queue-capacity", paramLabel = "N", descriptionKey = AnnotatorConfig.SCORING_QUEUE_CAPACITY)
    int queueCapacity;

    @Option(names = "--cvar-alpha", paramLabel = "A", descriptionKey = AnnotatorConfig.CVAR_ALPHA)
    double cvarAlpha;

    @Option(names = "--drop-oldest-turns", descriptionKey = AnnotatorConfig.DROP_OLDEST_TURNS)
    boolean dropOldestTurns;

    /**
     * The flags validated as the settings they set (each option's {@code descriptionKey} is its setting's key).
     *
     * @throws IllegalArgumentException (exit code 2) naming the flag and its key, when a value is invalid
     */
    ScorerSettings settings() {
        Map<String, Object> values = new LinkedHashMap<>();
        for (OptionSpec option : spec.options()) {
            String key = option.descriptionKey();
            Object raw = option.getValue();
            String value = raw == null ? null : raw.toString();
            try {
                AnnotatorConfig.check(key, value);
            } catch (ConfigException e) {
                throw new IllegalArgumentException("invalid " + option.longestName() + " (setting " + key + "): "
                        + e.getMessage(), e);
            }
            values.put(key, value);
        }
        return new ScorerSettings(values);
    }

    SessionSettings sessionSettings() {
        return settings().sessionSettings();
    }

    /** The options, with the device's defaults for those not given. */
    ScoringConfig scoringConfig() {
        return settings().scoringConfig();
    }
}
