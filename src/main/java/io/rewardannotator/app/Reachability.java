package io.rewardannotator.app;

import io.rewardannotator.event.ScoredResponse;
import io.rewardannotator.registry.RegistryConfig;
import io.rewardannotator.registry.RegistryUnavailableException;
import io.rewardannotator.registry.SchemaRegistryClient;
import io.rewardannotator.registry.SchemaRegistryException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether the brokers and the schema registry answer, asked every few seconds on a thread of its own. Kafka
 * Streams stays RUNNING through an outage of either (its clients retry, cached schema ids keep flowing), so its
 * state alone would keep a pod ready that cannot make progress; {@code /health/ready} combines both.
 *
 * <p>Threading: one probe thread writes the flags; any thread may read them.
 */
public final class Reachability implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Reachability.class);
    static final Duration INTERVAL = Duration.ofSeconds(2);
    private static final Duration TIMEOUT = Duration.ofSeconds(3);

    private final Admin admin;
    private final SchemaRegistryClient registry;
    private final String registryUrl;
    private final String outputSubject;
    private final RegistryOutage outage;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread thread = new Thread(r, "reachability-probe");
        thread.setDaemon(true);
        return thread;
    });
    private volatile boolean brokers = true;
    private volatile boolean schemaRegistry = true;

    private Reachability(Admin admin, SchemaRegistryClient registry, String registryUrl, String outputSubject,
                         RegistryOutage outage) {
        this.admin = admin;
        this.registry = registry;
        this.registryUrl = registryUrl;
        this.outputSubject = outputSubject;
        this.outage = outage;
    }

    /** Starts probing for {@code annotator}, whose registry outage it keeps up to date. */
    public static Reachability watch(AnnotatorConfig config, Annotator annotator) {
        Map<String, Object> adminProps = config.adminClientProperties(
                config.getString(AnnotatorConfig.APPLICATION_ID) + "-reachability");
        adminProps.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) TIMEOUT.toMillis());
        adminProps.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) TIMEOUT.toMillis());
        Map<String, Object> serde = config.serdeConfig();
        // one attempt per probe: the probe itself is the retry
        serde.put(RegistryConfig.MAX_RETRIES_CONFIG, 0);
        serde.put(RegistryConfig.CONNECT_TIMEOUT_CONFIG, (int) TIMEOUT.toMillis());
        serde.put(RegistryConfig.READ_TIMEOUT_CONFIG, (int) TIMEOUT.toMillis());
        Reachability probe = new Reachability(Admin.create(adminProps),
                SchemaRegistryClient.create(RegistryConfig.from(serde)),
                config.getString(AnnotatorConfig.SCHEMA_REGISTRY_URL), config.topics().output() + "-value",
                annotator.registryOutage());
        probe.timer.scheduleWithFixedDelay(probe::probe, 0, INTERVAL.toMillis(), TimeUnit.MILLISECONDS);
        return probe;
    }

    /** Whether the brokers answered the last probe. */
    public boolean brokers() {
        return brokers;
    }

    /** Whether the schema registry answered the last probe (any answer: it is up). */
    public boolean registry() {
        return schemaRegistry;
    }

    private void probe() {
        brokers = update(brokers, probeBrokers(), "the Kafka brokers");
        schemaRegistry = update(schemaRegistry, probeRegistry(), "the schema registry at " + registryUrl);
        if (schemaRegistry) {
            outage.reachable();
        } else {
            outage.unreachable();
        }
    }

    private static boolean update(boolean before, boolean now, String what) {
        if (before && !now) {
            LOG.warn("{} cannot be reached: not ready until it answers again", what);
        } else if (!before && now) {
            LOG.info("{} answers again", what);
        }
        return now;
    }

    private boolean probeBrokers() {
        try {
            return !admin.describeCluster(new DescribeClusterOptions().timeoutMs((int) TIMEOUT.toMillis())).nodes()
                    .get(TIMEOUT.toMillis() * 2, TimeUnit.MILLISECONDS).isEmpty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return brokers;
        } catch (Exception e) {
            return false;
        }
    }

    private boolean probeRegistry() {
        try {
            registry.isCompatible(outputSubject, ScoredResponse.getClassSchema());
            return true;
        } catch (RegistryUnavailableException e) {
            return false;
        } catch (SchemaRegistryException answered) {
            // 404, 401, 409...: the registry is there and answering
            return true;
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
        try {
            timer.awaitTermination(TIMEOUT.toMillis() * 3, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        admin.close(Duration.ZERO);
        registry.close();
    }
}
