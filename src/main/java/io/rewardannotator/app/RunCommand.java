package io.rewardannotator.app;

import io.rewardannotator.scoring.ScorerFailedException;
import io.rewardannotator.streams.AnnotationListener;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.kafka.common.config.ConfigException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Runs the annotator against a Kafka cluster until it is stopped (SIGTERM/SIGINT) or fails. */
@Command(name = "run", description = "Score generated-response events from Kafka until stopped.")
final class RunCommand implements Callable<Integer> {
    private static final Logger LOG = LoggerFactory.getLogger(RunCommand.class);

    @Option(names = {"-c", "--config"}, paramLabel = "FILE", description = "Properties file (lowest precedence).")
    Path configFile;

    @Option(names = "--bootstrap-servers", paramLabel = "HOST:PORT", description = "Sets bootstrap.servers.")
    String bootstrapServers;

    @Option(names = "--model", paramLabel = "DIR", description = "Sets model.dir.")
    String model;

    @Option(names = "--set", paramLabel = "KEY=VALUE", description = "Any setting (highest precedence); repeatable.")
    Map<String, String> settings = new LinkedHashMap<>();

    @Option(names = "--start-timeout-s", defaultValue = "120", description = "Longest wait for RUNNING.")
    long startTimeoutSeconds;

    @Override
    public Integer call() throws InterruptedException {
        Map<String, String> flags = new LinkedHashMap<>();
        if (bootstrapServers != null) {
            flags.put(AnnotatorConfig.BOOTSTRAP_SERVERS, bootstrapServers);
        }
        if (model != null) {
            flags.put(AnnotatorConfig.MODEL_DIR, model);
        }
        flags.putAll(settings);
        AnnotatorConfig config;
        try {
            config = new AnnotatorConfig(ConfigSources.merge(configFile, System.getenv(), flags));
        } catch (ConfigException e) {
            throw new IllegalArgumentException("invalid configuration: " + e.getMessage(), e);
        }
        Annotator annotator = Annotator.start(config, AnnotationListener.NONE, Duration.ofSeconds(startTimeoutSeconds));
        LOG.info("annotating {} -> {} with {} {} on {}", config.topics().inputs(), config.topics().output(),
                annotator.info().name(), annotator.info().revision(), annotator.info().device());
        Duration shutdownTimeout = Duration.ofMillis(config.getLong(AnnotatorConfig.SHUTDOWN_TIMEOUT_MS));
        Thread hook = new Thread(() -> annotator.close(shutdownTimeout), "shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        Throwable fatal = annotator.awaitStop();
        if (fatal != null) {
            annotator.close(shutdownTimeout);
            throw new ScorerFailedException("the annotator stopped: " + fatal.getMessage(), fatal);
        }
        return 0;
    }
}
