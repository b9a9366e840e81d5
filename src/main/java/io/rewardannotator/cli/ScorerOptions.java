package io.rewardannotator.cli;

import io.rewardannotator.app.AnnotatorConfig;
import io.rewardannotator.app.ScorerSettings;
import io.rewardannotator.model.SessionSettings;
import io.rewardannotator.scoring.ScoringConfig;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.kafka.common.config.ConfigException;
import picocli.CommandLine.Option;

/**
 * The model and scoring flags every scoring command shares. Each flag sets one of the annotator's settings
 * ({@link ScorerSettings#KEYS}): its default and its description come from that setting's declaration
 * ({@link SettingDocs}), and its value is validated by it, so an error names both the flag and the key.
 */
final class ScorerOptions {
    /** Which setting each flag sets. */
    static final Map<String, String> KEY_BY_FLAG = keyByFlag();

    @Option(names = "--model", required = true, paramLabel = "DIR", descriptionKey = AnnotatorConfig.MODEL_DIR)
    Path model;

    @Option(names = "--device", paramLabel = "cpu|cuda:N", descriptionKey = AnnotatorConfig.DEVICE)
    String device;

    @Option(names = "--intra-op-threads", paramLabel = "N", descriptionKey = AnnotatorConfig.INTRA_OP_THREADS)
    int intraOpThreads;

    @Option(names = "--inter-op-threads", paramLabel = "N", descriptionKey = AnnotatorConfig.INTER_OP_THREADS)
    int interOpThreads;

    @Option(names = "--batch-tokens", paramLabel = "N", descriptionKey = AnnotatorConfig.BATCH_MAX_TOKENS)
    int batchTokens;

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

    private static Map<String, String> keyByFlag() {
        Map<String, String> keys = new LinkedHashMap<>();
        keys.put("--model", AnnotatorConfig.MODEL_DIR);
        keys.put("--device", AnnotatorConfig.DEVICE);
        keys.put("--intra-op-threads", AnnotatorConfig.INTRA_OP_THREADS);
        keys.put("--inter-op-threads", AnnotatorConfig.INTER_OP_THREADS);
        keys.put("--batch-tokens", AnnotatorConfig.BATCH_MAX_TOKENS);
        keys.put("--max-batch-size", AnnotatorConfig.BATCH_MAX_SIZE);
        keys.put("--linger-ms", AnnotatorConfig.BATCH_LINGER_MS);
        keys.put("--queue-capacity", AnnotatorConfig.SCORING_QUEUE_CAPACITY);
        keys.put("--cvar-alpha", AnnotatorConfig.CVAR_ALPHA);
        keys.put("--drop-oldest-turns", AnnotatorConfig.DROP_OLDEST_TURNS);
        return Map.copyOf(keys);
    }

    /** The flags as settings (key to value). */
    Map<String, Object> values() {
        Map<String, Object> values = new LinkedHashMap<>();
        values.put(AnnotatorConfig.MODEL_DIR, model == null ? null : model.toString());
        values.put(AnnotatorConfig.DEVICE, device);
        values.put(AnnotatorConfig.INTRA_OP_THREADS, intraOpThreads);
        values.put(AnnotatorConfig.INTER_OP_THREADS, interOpThreads);
        values.put(AnnotatorConfig.BATCH_MAX_TOKENS, batchTokens);
        values.put(AnnotatorConfig.BATCH_MAX_SIZE, maxBatchSize);
        values.put(AnnotatorConfig.BATCH_LINGER_MS, lingerMs);
        values.put(AnnotatorConfig.SCORING_QUEUE_CAPACITY, queueCapacity);
        values.put(AnnotatorConfig.CVAR_ALPHA, cvarAlpha);
        values.put(AnnotatorConfig.DROP_OLDEST_TURNS, dropOldestTurns);
        return values;
    }

    /**
     * The flags validated as the settings they set.
     *
     * @throws IllegalArgumentException (exit code 2) naming the flag and its key, when a value is invalid
     */
    ScorerSettings settings() {
        Map<String, Object> values = values();
        KEY_BY_FLAG.forEach((flag, key) -> {
            try {
                AnnotatorConfig.check(key, values.get(key));
            } catch (ConfigException e) {
                throw new IllegalArgumentException("invalid " + flag + " (setting " + key + "): " + e.getMessage(), e);
            }
        });
        return new ScorerSettings(values);
    }

    SessionSettings sessionSettings() {
        return settings().sessionSettings();
    }

    ScoringConfig scoringConfig() {
        return settings().scoringConfig();
    }
}
