package io.rewardannotator.cli;

import io.rewardannotator.app.AnnotatorConfig;
import java.util.Comparator;
import java.util.concurrent.Callable;
import org.apache.kafka.common.config.ConfigDef;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** Prints the configuration reference (docs/configuration.md) from the settings' own declarations. */
@Command(name = "config-docs", description = "Print the configuration reference as Markdown.")
final class ConfigDocsCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().getOut().print(markdown());
        return 0;
    }

    static String markdown() {
        StringBuilder md = new StringBuilder();
        md.append("# Configuration reference\n\n")
                .append("Generated from the code by `java -jar target/reward-annotator.jar config-docs`; a test fails "
                        + "when this file and the code differ.\n\n")
                .append("Set each key in the `--config` properties file, as an environment variable "
                        + "(`REWARD_ANNOTATOR_` + the key in upper case with `.` as `_`, for example "
                        + "`REWARD_ANNOTATOR_BATCH_MAX_TOKENS`), or with `--set key=value`; later sources win. "
                        + "Any Kafka Streams, consumer, producer or admin property passes through under `kafka.` "
                        + "(`kafka.security.protocol=SASL_SSL`, `kafka.producer.linger.ms=5`), any schema-registry "
                        + "or serde property under `registry.` (`registry.basic.auth.user.info=...`), and Kafka's "
                        + "`config.providers` keys, which let any value be read from a file "
                        + "(`config.providers=file`, then `${file:/path:key}`: docs/operations.md). Any other key "
                        + "that is not in the table below is refused at start-up, with the nearest key suggested. "
                        + "The `score`, `bench` and `bench-streams` flags set the same keys (`--batch-tokens` sets "
                        + "`batch.max.tokens`; `--help` names each flag's key). "
                        + "Values of keys naming passwords, secrets, JAAS configs, tokens or user info are never "
                        + "printed.\n\n")
                .append("| key | default | meaning |\n|---|---|---|\n");
        AnnotatorConfig.DEFINITION.configKeys().values().stream()
                .sorted(Comparator.comparing((ConfigDef.ConfigKey k) -> k.name))
                .forEach(key -> md.append("| `").append(key.name).append("` | ").append(defaultOf(key))
                        .append(" | ").append(key.documentation.replace("|", "\\|")).append(" |\n"));
        return md.toString();
    }

    private static String defaultOf(ConfigDef.ConfigKey key) {
        if (!key.hasDefault()) {
            return "(required)";
        }
        Object value = key.defaultValue;
        String text = value instanceof java.util.List<?> list ? String.join(",", list.stream().map(String::valueOf)
                .toList()) : String.valueOf(value);
        return "`" + text + "`";
    }
}
