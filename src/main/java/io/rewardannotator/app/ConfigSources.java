package io.rewardannotator.app;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.function.Function;
import org.apache.commons.text.similarity.LevenshteinDistance;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigException;

/**
 * Merges configuration in rising precedence: a properties file, then environment variables
 * ({@code REWARD_ANNOTATOR_BATCH_MAX_TOKENS} sets {@code batch.max.tokens}: prefix removed, lower case,
 * {@code _} becomes {@code .}), then command-line values.
 */
public final class ConfigSources {
    public static final String ENV_PREFIX = "REWARD_ANNOTATOR_";
    private static final LevenshteinDistance DISTANCE = LevenshteinDistance.getDefaultInstance();

    private ConfigSources() {
    }

    /** @throws IllegalArgumentException naming the key and where it was set, when a key is not a setting */
    static Map<String, String> merge(Path file, Map<String, String> environment, Map<String, String> flags) {
        Map<String, String> merged = new LinkedHashMap<>();
        if (file != null) {
            Map<String, String> fromFile = readProperties(file);
            refuseUnknown(fromFile.keySet(), key -> "in --config " + file);
            merged.putAll(fromFile);
        }
        Map<String, String> fromEnvironment = fromEnvironment(environment);
        refuseUnknown(fromEnvironment.keySet(), key -> "from environment variable " + environmentVariable(key));
        merged.putAll(fromEnvironment);
        refuseUnknown(flags.keySet(), key -> "on the command line (--set)");
        merged.putAll(flags);
        return merged;
    }

    /**
     * The merged sources as a validated configuration.
     *
     * @throws IllegalArgumentException (exit code 2) naming the setting, when a key is unknown or a value is
     *                                  missing or invalid
     */
    public static AnnotatorConfig load(Path file, Map<String, String> environment, Map<String, String> flags) {
        try {
            return new AnnotatorConfig(merge(file, environment, flags));
        } catch (ConfigException e) {
            throw new IllegalArgumentException("invalid configuration: " + e.getMessage(), e);
        }
    }

    /**
     * A misspelt key would otherwise be ignored silently, leaving its default in force: refuse it and suggest the
     * nearest declared key. Keys under the pass-through prefixes are the Kafka clients' and the registry's to check;
     * {@code config.providers*} configure where {@code ${provider:...}} values come from (secrets in files).
     */
    private static void refuseUnknown(Iterable<String> keys, Function<String, String> where) {
        Set<String> known = AnnotatorConfig.DEFINITION.names();
        for (String key : keys) {
            if (known.contains(key) || key.startsWith(AnnotatorConfig.KAFKA_PREFIX)
                    || key.startsWith(AnnotatorConfig.REGISTRY_PREFIX)
                    || key.startsWith(AbstractConfig.CONFIG_PROVIDERS_CONFIG)) {
                continue;
            }
            String nearest = known.stream()
                    .min(Comparator.comparingInt((String name) -> DISTANCE.apply(key, name))
                            .thenComparing(Comparator.naturalOrder()))
                    .orElseThrow();
            throw new IllegalArgumentException("unknown setting '" + key + "' " + where.apply(key)
                    + "; did you mean '" + nearest + "'? (Kafka client properties go under "
                    + AnnotatorConfig.KAFKA_PREFIX + ", registry properties under " + AnnotatorConfig.REGISTRY_PREFIX
                    + "; docs/configuration.md lists the settings)");
        }
    }

    private static String environmentVariable(String key) {
        return ENV_PREFIX + key.toUpperCase(Locale.ROOT).replace('.', '_');
    }

    static Map<String, String> fromEnvironment(Map<String, String> environment) {
        Map<String, String> out = new LinkedHashMap<>();
        environment.forEach((name, value) -> settingName(name).ifPresent(setting -> out.put(setting, value)));
        return out;
    }

    /** The setting an environment variable sets ({@code REWARD_ANNOTATOR_HTTP_PORT} -> {@code http.port}), if any. */
    public static Optional<String> settingName(String environmentVariable) {
        if (!environmentVariable.startsWith(ENV_PREFIX) || environmentVariable.length() == ENV_PREFIX.length()) {
            return Optional.empty();
        }
        String setting = environmentVariable.substring(ENV_PREFIX.length()).toLowerCase(Locale.ROOT);
        return Optional.of(setting.replace('_', '.'));
    }

    private static Map<String, String> readProperties(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("--config " + file + ": no such file");
        }
        Properties props = new Properties();
        try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            props.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read --config " + file, e);
        }
        Map<String, String> out = new LinkedHashMap<>();
        props.stringPropertyNames().forEach(name -> out.put(name, props.getProperty(name).trim()));
        return out;
    }
}
