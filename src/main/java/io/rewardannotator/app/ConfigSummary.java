package io.rewardannotator.app;

import io.rewardannotator.scoring.ScorerInfo;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/** The start-up summary: what runs, on what, with which knobs, secrets masked. */
public final class ConfigSummary {
    public static final String MASK = "[hidden]";
    /**
     * Keys whose values must never be printed: a dot-separated segment naming a password, secret, JAAS config,
     * credentials, token or API key, basic-auth user info, or a PEM private key ({@code ssl.keystore.key}).
     * Whole segments only: {@code batch.max.tokens} is not one.
     */
    private static final Pattern SECRET = Pattern.compile(
            "(.*\\.)?(password|secret|jaas|credentials|token|apikey)(\\..*)?|.*user\\.info|(.*\\.)?keystore\\.key");
    /** The user:password part of a URL such as {@code https://user:pw@registry:8081} (schema.registry.url). */
    private static final Pattern URL_USER_INFO = Pattern.compile("(?<=://)[^/@\\s]+@");

    private ConfigSummary() {
    }

    static boolean isSecret(String key) {
        return SECRET.matcher(key.toLowerCase(Locale.ROOT)).matches();
    }

    /** Every setting given, in key order, with secrets replaced by {@link #MASK}. */
    static Map<String, String> masked(Map<String, ?> settings) {
        Map<String, String> out = new TreeMap<>();
        settings.forEach((key, value) -> out.put(key, isSecret(key) ? MASK : withoutUserInfo(String.valueOf(value))));
        return out;
    }

    /** The value with the user info of any URL in it replaced by {@link #MASK}. */
    static String withoutUserInfo(String value) {
        return URL_USER_INFO.matcher(value).replaceAll(MASK + "@");
    }

    public static String describe(AnnotatorConfig config, ScorerInfo model) {
        var batching = config.batchingSettings();
        var scoring = config.scoringConfig();
        return String.join(System.lineSeparator(),
                "reward-annotator starting",
                "  model        " + model.name() + " revision " + model.revision() + " (bundle sha256 "
                        + model.bundleDigest() + ") from " + config.modelDir(),
                "  device       " + model.device(),
                "  topics       " + config.topics().inputs() + " -> " + config.topics().output()
                        + ", dead letters -> " + config.topics().deadLetter(),
                "  kafka        " + config.getString(AnnotatorConfig.BOOTSTRAP_SERVERS) + ", application.id "
                        + config.getString(AnnotatorConfig.APPLICATION_ID) + ", "
                        + config.getString(AnnotatorConfig.PROCESSING_GUARANTEE) + ", "
                        + config.getInt(AnnotatorConfig.STREAM_THREADS) + " stream thread(s)",
                "  registry     " + withoutUserInfo(config.getString(AnnotatorConfig.SCHEMA_REGISTRY_URL)),
                "  batching     " + scoring.maxBatchTokens() + " padded tokens / " + scoring.maxBatchSize()
                        + " rows per run, linger " + scoring.maxLinger().toMillis() + " ms, "
                        + batching.maxInFlightPerTask() + " in flight per task, max block "
                        + batching.maxBlock().toMillis() + " ms",
                "  settings     " + masked(config.originals()));
    }
}
