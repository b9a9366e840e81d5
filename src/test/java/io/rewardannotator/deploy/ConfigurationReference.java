package io.rewardannotator.deploy;

import io.rewardannotator.app.AnnotatorConfig;
import io.rewardannotator.app.ConfigSources;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.streams.StreamsConfig;

/**
 * What a deployment file may set: the annotator's settings (AnnotatorConfig), through the environment
 * variables that ConfigSources maps to them, plus the kafka. and registry. pass-through prefixes.
 */
final class ConfigurationReference {
    /** Variables a container may carry that are not annotator settings. */
    static final Set<String> OTHER_VARIABLES = Set.of("LANG", "LC_ALL", "PATH", "JAVA_HOME", "JAVA_TOOL_OPTIONS",
            "JDK_JAVA_OPTIONS", "DJL_CACHE_DIR");
    private static final List<String> CLIENT_PREFIXES = List.of("main.consumer.", "restore.consumer.",
            "global.consumer.", "consumer.", "producer.", "admin.", "");

    private final ConfigDef definition = AnnotatorConfig.configDef();
    private final Set<String> kafkaNames = kafkaClientNames();

    private static Set<String> kafkaClientNames() {
        Set<String> names = new HashSet<>(StreamsConfig.configDef().names());
        names.addAll(ConsumerConfig.configNames());
        names.addAll(ProducerConfig.configNames());
        names.addAll(AdminClientConfig.configNames());
        return names;
    }

    /** The setting an environment variable sets, if it is an annotator variable. */
    Optional<String> settingOf(String variable) {
        return ConfigSources.settingName(variable);
    }

    boolean isSetting(String key) {
        if (definition.names().contains(key) || key.startsWith(AnnotatorConfig.REGISTRY_PREFIX)) {
            return true;
        }
        if (!key.startsWith(AnnotatorConfig.KAFKA_PREFIX)) {
            return false;
        }
        String property = key.substring(AnnotatorConfig.KAFKA_PREFIX.length());
        return CLIENT_PREFIXES.stream().anyMatch(p -> property.startsWith(p)
                && kafkaNames.contains(property.substring(p.length())));
    }

    /** One line per variable that is neither a known setting nor a known non-annotator variable. */
    List<String> unknownVariables(Iterable<String> variables) {
        List<String> problems = new ArrayList<>();
        for (String variable : variables) {
            Optional<String> setting = settingOf(variable);
            if (setting.isEmpty() && !OTHER_VARIABLES.contains(variable)) {
                problems.add(variable + " is neither " + ConfigSources.ENV_PREFIX + "* nor one of " + OTHER_VARIABLES);
            } else if (setting.isPresent() && !isSetting(setting.get())) {
                problems.add(variable + " sets '" + setting.get() + "', which is no setting of the annotator "
                        + "(AnnotatorConfig) nor a Kafka client property under kafka.");
            }
        }
        return problems;
    }

    Object defaultValue(String key) {
        return definition.defaultValues().get(key);
    }

    /** The value a setting takes in an environment: the variable that sets it, else its default. */
    String effective(Map<String, String> environment, String key) {
        for (Map.Entry<String, String> e : environment.entrySet()) {
            if (settingOf(e.getKey()).filter(key::equals).isPresent()) {
                return e.getValue();
            }
        }
        Object fallback = defaultValue(key);
        return fallback instanceof List<?> list ? String.join(",", list.stream().map(String::valueOf).toList())
                : String.valueOf(fallback);
    }

    int httpPort(Map<String, String> environment) {
        return Integer.parseInt(effective(environment, AnnotatorConfig.HTTP_PORT));
    }

    long shutdownTimeoutMs(Map<String, String> environment) {
        return Long.parseLong(effective(environment, AnnotatorConfig.SHUTDOWN_TIMEOUT_MS));
    }
}
