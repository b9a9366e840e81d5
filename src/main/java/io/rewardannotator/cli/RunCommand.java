package io.rewardannotator.cli;

import io.rewardannotator.app.Annotator;
import io.rewardannotator.app.AnnotatorConfig;
import io.rewardannotator.app.AnnotatorMetrics;
import io.rewardannotator.app.ConfigSources;
import io.rewardannotator.app.ConfigSummary;
import io.rewardannotator.app.HttpEndpoint;
import io.rewardannotator.app.ShutdownSignals;
import io.rewardannotator.app.StartupChecks;
import io.rewardannotator.registry.RegistryConfig;
import io.rewardannotator.scoring.ScorerFailedException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.streams.KafkaStreams;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Runs the annotator against a Kafka cluster until SIGTERM/SIGINT (exit 0 after in-flight work is committed)
 * or a fatal error (non-zero exit code by cause).
 */
@Command(name = "run", description = "Score generated-response events from Kafka until stopped.")
final class RunCommand implements Callable<Integer> {
    private static final Logger LOG = LoggerFactory.getLogger(RunCommand.class);

    @Option(names = {"-c", "--config"}, paramLabel = "FILE",
            description = "Properties file; lowest precedence, then REWARD_ANNOTATOR_* environment variables, then flags.")
    Path configFile;

    @Option(names = "--bootstrap-servers", paramLabel = "HOST:PORT", description = "Sets bootstrap.servers.")
    String bootstrapServers;

    @Option(names = "--model", paramLabel = "DIR", description = "Sets model.dir.")
    String model;

    @Option(names = "--set", paramLabel = "KEY=VALUE", description = "Any setting (highest precedence); repeatable.")
    Map<String, String> settings = new LinkedHashMap<>();

    @Option(names = "--allow-mock-registry", hidden = true,
            description = "Accept schema.registry.url=mock://<scope>, the in-JVM registry (tests only).")
    boolean allowMockRegistry;

    @Override
    public Integer call() throws InterruptedException {
        AnnotatorConfig config = load(System.getenv());
        refuseMockRegistry(config);
        StartupChecks.kafka(config);
        StartupChecks.registry(config);
        Duration startTimeout = Duration.ofMillis(config.getLong(AnnotatorConfig.STARTUP_TIMEOUT_MS));
        Duration shutdownTimeout = Duration.ofMillis(config.getLong(AnnotatorConfig.SHUTDOWN_TIMEOUT_MS));
        try (AnnotatorMetrics metrics = new AnnotatorMetrics()) {
            Annotator annotator = Annotator.start(config, metrics, metrics, startTimeout);
            metrics.bind(annotator.streams(), annotator::queueDepth);
            LOG.info(ConfigSummary.describe(config, annotator.info()));
            ShutdownSignals.onTermination(() -> annotator.close(shutdownTimeout));
            Throwable fatal;
            try (AutoCloseable http = serveHttp(config, metrics, annotator)) {
                fatal = annotator.awaitStop();
                annotator.close(shutdownTimeout);
            } catch (InterruptedException e) {
                throw e;
            } catch (Exception e) {
                throw new IllegalStateException("closing the HTTP endpoint failed", e);
            }
            if (fatal != null) {
                throw new ScorerFailedException("the annotator stopped: " + fatal.getMessage(), fatal);
            }
            LOG.info("stopped cleanly");
            return 0;
        }
    }

    AnnotatorConfig load(Map<String, String> environment) {
        Map<String, String> flags = new LinkedHashMap<>();
        if (bootstrapServers != null) {
            flags.put(AnnotatorConfig.BOOTSTRAP_SERVERS, bootstrapServers);
        }
        if (model != null) {
            flags.put(AnnotatorConfig.MODEL_DIR, model);
        }
        flags.putAll(settings);
        return ConfigSources.load(configFile, environment, flags);
    }

    /**
     * A mock:// registry lives in this JVM only: its ids mean other schemas than those the topics' records were
     * written with, so every valid record would be dead-lettered as unknown-schema-id.
     */
    private void refuseMockRegistry(AnnotatorConfig config) {
        String url = config.getString(AnnotatorConfig.SCHEMA_REGISTRY_URL);
        RegistryConfig registry;
        try {
            registry = RegistryConfig.from(config.serdeConfig());
        } catch (ConfigException e) {
            throw new IllegalArgumentException("invalid configuration: " + e.getMessage(), e);
        }
        if (!allowMockRegistry && registry.mockScope().isPresent()) {
            throw new IllegalArgumentException("schema.registry.url=" + url + " is an in-memory registry whose "
                    + "schema ids mean other schemas than the topics' records: set schema.registry.url to the "
                    + "registry the producers use (http(s)://host:port); tests may pass --allow-mock-registry");
        }
    }

    private static AutoCloseable serveHttp(AnnotatorConfig config, AnnotatorMetrics metrics, Annotator annotator) {
        int port = config.getInt(AnnotatorConfig.HTTP_PORT);
        if (port == 0) {
            return () -> { };
        }
        HttpEndpoint http = HttpEndpoint.start(port, metrics::scrape,
                () -> !annotator.streams().state().hasCompletedShutdown()
                        && annotator.streams().state() != KafkaStreams.State.PENDING_ERROR,
                () -> annotator.streams().state() == KafkaStreams.State.RUNNING);
        LOG.info("serving /metrics, /health/live, /health/ready on port {}", http.port());
        return http;
    }
}
