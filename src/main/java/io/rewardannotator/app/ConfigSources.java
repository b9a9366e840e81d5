package io.rewardannotator.app;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import org.apache.kafka.common.config.ConfigException;

/**
 * Merges configuration in rising precedence: a properties file, then environment variables
 * ({@code REWARD_ANNOTATOR_BATCH_MAX_TOKENS} sets {@code batch.max.tokens}: prefix removed, lower case,
 * {@code _} becomes {@code .}), then command-line values.
 */
public final class ConfigSources {
    public static final String ENV_PREFIX = "REWARD_ANNOTATOR_";

    private ConfigSources() {
    }

    static Map<String, String> merge(Path file, Map<String, String> environment, Map<String, String> flags) {
        Map<String, String> merged = new LinkedHashMap<>();
        if (file != null) {
            merged.putAll(readProperties(file));
        }
        merged.putAll(fromEnvironment(environment));
        merged.putAll(flags);
        return merged;
    }

    /**
     * The merged sources as a validated configuration.
     *
     * @throws IllegalArgumentException (exit code 2) naming the setting, when a value is missing or invalid
     */
    public static AnnotatorConfig load(Path file, Map<String, String> environment, Map<String, String> flags) {
        try {
            return new AnnotatorConfig(merge(file, environment, flags));
        } catch (ConfigException e) {
            throw new IllegalArgumentException("invalid configuration: " + e.getMessage(), e);
        }
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
