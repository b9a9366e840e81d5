package io.rewardannotator.cli;

import io.rewardannotator.app.Annotator;
import io.rewardannotator.app.AnnotatorConfig;
import io.rewardannotator.app.AnnotatorMetrics;
import io.rewardannotator.app.ConfigSources;
import io.rewardannotator.app.ConfigSummary;
import io.rewardannotator.app.HttpEndpoint;
import io.rewardannotator.app.Reachability;
import io.rewardannotator.app.RegistryOutageException;
import io.rewardannotator.app.ShutdownSignals;
import io.rewardannotator.app.StartupChecks;
import io.rewardannotator.registry.RegistryConfig;
import io.rewardannotator.scoring.ScorerFailedException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
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
    /** How often the log gets a line of totals (rejected conversations are counted there, not logged one by one). */
    private static final Duration SUMMARY_EVERY = Duration.ofMinutes(1);

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
        ShutdownSignals signals = ShutdownSignals.install();
        LOG.info("starting: checking Kafka at {}", config.getString(AnnotatorConfig.BOOTSTRAP_SERVERS));
        Duration shutdownTimeout = Duration.ofMillis(config.getLong(AnnotatorConfig.SHUTDOWN_TIMEOUT_MS));
        int idleWindows = config.getInt(AnnotatorConfig.STATS_METRICS_IDLE_WINDOWS);
        try (AnnotatorMetrics metrics = new AnnotatorMetrics(idleWindows)) {
            Annotator annotator;
            try {
                annotator = start(config, metrics);
            } catch (RuntimeException e) {
                if (!signals.requested()) {
                    throw e;
                }
                Thread.interrupted();
                LOG.info("stopped during start-up");
                return 0;
            }
            signals.onTermination(() -> annotator.close(shutdownTimeout));
            metrics.bind(annotator.streams(), annotator::queueDepth, annotator::registryUnreachableCount);
            LOG.info(ConfigSummary.describe(config, annotator.info()));
            return runUntilStopped(config, metrics, annotator, shutdownTimeout);
        }
    }

    private static Annotator start(AnnotatorConfig config, AnnotatorMetrics metrics) {
        StartupChecks.kafka(config);
        StartupChecks.registry(config);
        return Annotator.start(config, metrics, metrics,
                Duration.ofMillis(config.getLong(AnnotatorConfig.STARTUP_TIMEOUT_MS)));
    }

    private static int runUntilStopped(AnnotatorConfig config, AnnotatorMetrics metrics, Annotator annotator,
                                       Duration shutdownTimeout) throws InterruptedException {
        Throwable fatal;
        boolean stoppedInTime;
        try (Reachability reachability = Reachability.watch(config, annotator);
             AutoCloseable http = serveHttp(config, metrics, annotator, reachability);
             AutoCloseable summary = logSummaryEvery(SUMMARY_EVERY, metrics)) {
            fatal = annotator.awaitStop();
            // after a signal this waits for the shutdown thread's close: the JVM must not exit while the scorer
            // frees its native handles
            stoppedInTime = annotator.close(shutdownTimeout);
            LOG.info("totals: {}", metrics.summary());
        } catch (InterruptedException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException("closing the HTTP endpoint failed", e);
        }
        if (fatal instanceof RegistryOutageException outage) {
            throw outage;
        }
        if (fatal != null) {
            throw new ScorerFailedException("the annotator stopped: " + fatal.getMessage(), fatal);
        }
        if (!stoppedInTime) {
            LOG.error("stopped with a stream thread still running after shutdown.timeout.ms ({} ms): its "
                    + "uncommitted records are processed again after a restart", shutdownTimeout.toMillis());
            return Main.EXIT_SHUTDOWN_TIMEOUT;
        }
        LOG.info("stopped cleanly");
        return 0;
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

    private static AutoCloseable serveHttp(AnnotatorConfig config, AnnotatorMetrics metrics, Annotator annotator,
                                           Reachability reachability) {
        int port = config.getInt(AnnotatorConfig.HTTP_PORT);
        if (port == 0) {
            return () -> { };
        }
        HttpEndpoint http = serveHttp(config.getString(AnnotatorConfig.HTTP_BIND_ADDRESS), port, metrics, annotator,
                () -> reachability.brokers() && reachability.registry());
        LOG.info("serving /metrics, /health/live, /health/ready on {} port {}", http.address().getHostAddress(),
                http.port());
        return http;
    }

    /** A line of totals every {@code period}, from a daemon thread; closing stops it. */
    private static AutoCloseable logSummaryEvery(Duration period, AnnotatorMetrics metrics) {
        ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "summary-log");
            t.setDaemon(true);
            return t;
        });
        timer.scheduleAtFixedRate(() -> LOG.info("so far: {}", metrics.summary()), period.toMillis(),
                period.toMillis(), TimeUnit.MILLISECONDS);
        return timer::shutdownNow;
    }

    /**
     * /metrics and /health for a running annotator on {@code port} (0: any free port; the demo's); ready while the
     * streams are RUNNING and {@code reachable} holds.
     */
    static HttpEndpoint serveHttp(String bindAddress, int port, AnnotatorMetrics metrics, Annotator annotator,
                                  BooleanSupplier reachable) {
        return HttpEndpoint.start(bindAddress, port, metrics::scrape,
                () -> !annotator.streams().state().hasCompletedShutdown()
                        && annotator.streams().state() != KafkaStreams.State.PENDING_ERROR,
                () -> annotator.streams().state() == KafkaStreams.State.RUNNING && reachable.getAsBoolean());
    }
}
