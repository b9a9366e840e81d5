package io.rewardannotator.cli;

import io.rewardannotator.app.AnnotatorConfig;
import java.util.ListResourceBundle;
import org.apache.kafka.common.config.ConfigDef;
import picocli.CommandLine.IDefaultValueProvider;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * Help texts and defaults of the flags that set one of the annotator's settings, taken from the settings'
 * declarations ({@link AnnotatorConfig#DEFINITION}) so that they are written once: a flag names its key in
 * {@code descriptionKey}, and this bundle answers with the key's doc; {@link #DEFAULTS} answers its default.
 */
final class SettingDocs extends ListResourceBundle {
    /** The default of each flag whose {@code descriptionKey} is a setting: that setting's default. */
    static final IDefaultValueProvider DEFAULTS = SettingDocs::defaultValue;

    @Override
    protected Object[][] getContents() {
        return AnnotatorConfig.DEFINITION.configKeys().values().stream()
                .map(key -> new Object[] {key.name, "Sets " + key.name + ". " + key.documentation
                        + (key.hasDefault() && key.defaultValue != null ? " (default: ${DEFAULT-VALUE})" : "")})
                .toArray(Object[][]::new);
    }

    private static String defaultValue(ArgSpec arg) {
        ConfigDef.ConfigKey key = arg instanceof OptionSpec option && option.descriptionKey() != null
                ? AnnotatorConfig.DEFINITION.configKeys().get(option.descriptionKey()) : null;
        return key != null && key.hasDefault() && key.defaultValue != null ? String.valueOf(key.defaultValue) : null;
    }
}
