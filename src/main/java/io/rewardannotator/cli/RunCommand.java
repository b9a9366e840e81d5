package io.rewardannotator.cli;

import io.rewardannotator.app.Annotator;
import io.rewardannotator.app.AnnotatorConfig;
import io.rewardannotator.app.AnnotatorMetrics;
import io.rewardannotator.app.ConfigSources;
import io.rewardannotator.app.ConfigSummary;
import io.rewardannotator.app.HttpEndpoint;
import io.rewardannotator.app.ShutdownSignals;
import io.rewardannotator.app.StartupChecks;
import io.rewardannotator.scoring.ScorerFailedException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
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

    @Override
    public Integer call() throws InterruptedException {
        AnnotatorConfig config = load(System.getenv());
        StartupChecks.kafka(config);
        StartupChecks.registry(config);
        Duration startTimeout = Duration.ofMillis(config.getLong(AnnotatorConfig.STARTUP_TIMEOUT_MS));
        Duration shutdownTimeout = Duration.ofMillis(config.getLong(AnnotatorConfig.SHUTDOWN_TIMEOUT_MS));
        int idleWindows = config.getInt(AnnotatorConfig.STATS_METRICS_IDLE_WINDOWS);
        try (AnnotatorMetrics metrics = new AnnotatorMetrics(idleWindows)) {
            Annotator annotator = Annotator.start(config, metrics, metrics, startTimeout);
            metrics.bind(annotator.streams(), annotator::queueDepth);
            LOG.info(ConfigSummary.describe(config, annotator.info()));
            ShutdownSignals.onTermination(() -> annotator.close(shutdownTimeout));
            Throwable fatal;
            try (AutoCloseable http = serveHttp(config, metrics, annotator);
                 AutoCloseable summary = logSummaryEvery(SUMMARY_EVERY, metrics)) {
                fatal = annotator.awaitStop();
                annotator.close(shutdownTimeout);
                LOG.info("totals: {}", metrics.summary());
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

    private static AutoCloseable serveHttp(AnnotatorConfig config, AnnotatorMetrics metrics, Annotator annotator) {
        int port = config.getInt(AnnotatorConfig.HTTP_PORT);
        if (port == 0) {
            return () -> { };
        }
        HttpEndpoint http = serveHttp(config.getString(AnnotatorConfig.HTTP_BIND_ADDRESS), port, metrics, annotator);
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

    /** /metrics and /health for a running annotator on {@code port} (0: any free port; the demo's). */
    static HttpEndpoint serveHttp(String bindAddress, int port, AnnotatorMetrics metrics, Annotator annotator) {
        return HttpEndpoint.start(bindAddress, port, metrics::scrape,
                () -> !annotator.streams().state().hasCompletedShutdown()
                        && annotator.streams().state() != KafkaStreams.State.PENDING_ERROR,
                () -> annotator.streams().state() == KafkaStreams.State.RUNNING);
    }
}
