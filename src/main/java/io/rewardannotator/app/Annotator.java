package io.rewardannotator.app;

import io.rewardannotator.model.ModelBundle;
import io.rewardannotator.scoring.ScorerInfo;
import io.rewardannotator.scoring.ScoringListener;
import io.rewardannotator.scoring.ScoringService;
import io.rewardannotator.streams.AnnotationListener;
import io.rewardannotator.streams.AnnotatorTopology;
import io.rewardannotator.streams.SliceBounds;
import io.rewardannotator.streams.StreamsProperties;
import io.rewardannotator.streams.stats.StatsSettings;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One running annotator: the model's scoring service and the Kafka Streams instance that feeds it. Owns both;
 * {@link #close(Duration)} stops the streams first (so in-flight work commits) and then the scorer.
 */
public final class Annotator implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Annotator.class);
    /** How often a start that has not reached RUNNING yet says so. */
    private static final Duration PROGRESS_EVERY = Duration.ofSeconds(5);

    private static final Duration START_FAILURE_CLOSE = Duration.ofSeconds(10);

    private final ScoringService scorer;
    private final KafkaStreams streams;
    private final CloseOptions.GroupMembershipOperation membershipOnClose;
    private final RegistryOutage registryOutage;
    private final CountDownLatch stopped = new CountDownLatch(1);
    private final CountDownLatch closing = new CountDownLatch(1);
    private final AtomicReference<Throwable> fatal = new AtomicReference<>();
    private final Object closeLock = new Object();
    private boolean closed;
    private boolean stoppedInTime;

    private Annotator(ScoringService scorer, KafkaStreams streams,
                      CloseOptions.GroupMembershipOperation membershipOnClose, RegistryOutage registryOutage) {
        this.scorer = scorer;
        this.streams = streams;
        this.membershipOnClose = membershipOnClose;
        this.registryOutage = registryOutage;
    }

    /**
     * Loads the model, builds the topology and starts the streams; returns once they are RUNNING.
     *
     * @throws IllegalStateException when the streams fail or do not reach RUNNING within {@code startTimeout}
     */
    public static Annotator start(AnnotatorConfig config, AnnotationListener listener, Duration startTimeout) {
        return start(config, listener, ScoringListener.NONE, startTimeout);
    }

    /** As {@link #start(AnnotatorConfig, AnnotationListener, Duration)}, observing the scorer's batches too. */
    public static Annotator start(AnnotatorConfig config, AnnotationListener listener, ScoringListener batches,
                                  Duration startTimeout) {
        return start(config, ModelBundle.load(config.modelDir()), null, listener, batches, startTimeout);
    }

    /**
     * A replay: as {@link #start(AnnotatorConfig, AnnotationListener, Duration)} with an already loaded bundle,
     * scoring only the records inside {@code slice} (see {@link AnnotatorTopology#build} with a slice).
     */
    static Annotator startReplay(AnnotatorConfig config, ModelBundle bundle, SliceBounds slice,
                                 AnnotationListener listener, Duration startTimeout) {
        return start(config, bundle, Objects.requireNonNull(slice, "slice"), listener, ScoringListener.NONE,
                startTimeout);
    }

    /** Benchmarks: the online annotator around a scorer the caller opened; it is closed with the annotator. */
    public static Annotator start(AnnotatorConfig config, ScoringService scorer, AnnotationListener listener,
                           Duration startTimeout) {
        return start(config, scorer, null, listener, startTimeout);
    }

    /** @param slice a replay's bounds, or {@code null} for the online annotator */
    private static Annotator start(AnnotatorConfig config, ModelBundle bundle, SliceBounds slice,
                                   AnnotationListener listener, ScoringListener batches, Duration startTimeout) {
        long opening = System.nanoTime();
        ScoringService scorer = ScoringService.open(bundle, config.sessionSettings(), config.scoringConfig(),
                batches);
        // the first seconds are otherwise silent: say what is being waited for
        LOG.info("model {} ready in {} ms; starting Kafka Streams (joining the group, creating internal topics)",
                scorer.info().name(), TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - opening));
        return start(config, scorer, slice, listener, startTimeout);
    }

    private static Annotator start(AnnotatorConfig config, ScoringService scorer, SliceBounds slice,
                                   AnnotationListener listener, Duration startTimeout) {
        // A replay re-scores old records: its windows would mix into the live dashboards, and a bounded run never
        // closes its last windows. Replays therefore write no statistics.
        StatsSettings stats = slice == null ? config.statsSettings() : StatsSettings.disabled();
        Annotator annotator;
        try {
            Properties props = StreamsProperties.build(config.getString(AnnotatorConfig.APPLICATION_ID),
                    config.getString(AnnotatorConfig.BOOTSTRAP_SERVERS),
                    config.getString(AnnotatorConfig.PROCESSING_GUARANTEE), config.topics(),
                    config.batchingSettings(), listener, config.kafkaOverrides());
            if (slice != null) {
                StreamsProperties.boundTo(props, slice);
            }
            Topology topology = AnnotatorTopology.build(config.topics(), config.serdeConfig(), scorer,
                    config.batchingSettings(), stats, config.groupSettings(), listener, slice);
            annotator = new Annotator(scorer, new KafkaStreams(topology, props), membershipOnClose(props),
                    new RegistryOutage(config.getString(AnnotatorConfig.SCHEMA_REGISTRY_URL),
                            Duration.ofMillis(config.getLong(AnnotatorConfig.SCHEMA_REGISTRY_OUTAGE_MS)),
                            System::nanoTime));
        } catch (RuntimeException e) {
            scorer.close();
            throw e;
        }
        annotator.startStreams(startTimeout);
        return annotator;
    }

    /**
     * A dynamic member leaves the group when it stops, so that its tasks move at once; Kafka Streams' default
     * keeps it in the group until kafka.session.timeout.ms (45 s) passes, and an instance restarted before then
     * waited that long in REBALANCING. A static member (group.instance.id) stays, to take its tasks back.
     */
    private static CloseOptions.GroupMembershipOperation membershipOnClose(Properties props) {
        boolean isStatic = new StreamsConfig(props).getMainConsumerConfigs("", "", 0)
                .get(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG) != null;
        return isStatic ? CloseOptions.GroupMembershipOperation.REMAIN_IN_GROUP
                : CloseOptions.GroupMembershipOperation.LEAVE_GROUP;
    }

    private void startStreams(Duration timeout) {
        CountDownLatch running = new CountDownLatch(1);
        streams.setStateListener((now, before) -> {
            LOG.info("streams {} -> {}", before, now);
            if (now == KafkaStreams.State.RUNNING) {
                running.countDown();
            }
            if (now == KafkaStreams.State.NOT_RUNNING || now == KafkaStreams.State.ERROR) {
                running.countDown();
                stopped.countDown();
            }
        });
        streams.setUncaughtExceptionHandler(this::onStreamThreadFailure);
        try {
            streams.start();
            long deadline = System.nanoTime() + timeout.toNanos();
            long started = System.nanoTime();
            while (!running.await(Math.min(PROGRESS_EVERY.toNanos(), Math.max(0, deadline - System.nanoTime())),
                    TimeUnit.NANOSECONDS) && System.nanoTime() < deadline) {
                LOG.info("still starting after {} s: streams {}", TimeUnit.NANOSECONDS.toSeconds(System.nanoTime()
                        - started), streams.state());
            }
            if (running.getCount() > 0 || streams.state() != KafkaStreams.State.RUNNING) {
                Throwable failed = fatal.get();
                if (failed instanceof RegistryOutageException outage) {
                    // a record read before RUNNING may need the registry too: its exit code, as once running
                    throw outage;
                }
                if (failed != null) {
                    throw new IllegalStateException("Kafka Streams stopped while starting: " + failed.getMessage(),
                            failed);
                }
                throw new IllegalStateException("Kafka Streams did not reach RUNNING within " + timeout.toSeconds()
                        + " s (state " + streams.state() + "); check bootstrap.servers and the topics");
            }
        } catch (InterruptedException e) {
            close(START_FAILURE_CLOSE);
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while starting", e);
        } catch (RuntimeException e) {
            close(START_FAILURE_CLOSE);
            throw e;
        }
    }

    /**
     * A registry that cannot be reached is waited for: the thread is replaced after a backoff (its uncommitted
     * records are read again) until the outage outlasts schema.registry.outage.ms. Anything else stops the client.
     */
    private StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse onStreamThreadFailure(Throwable error) {
        Throwable stopWith = error;
        if (RegistryOutage.causedBy(error)) {
            registryOutage.unreachable();
            Optional<Duration> wait = registryOutage.nextWait();
            if (wait.isPresent()) {
                LOG.warn("the schema registry cannot be reached ({}); retrying in {} ms",
                        StartupChecks.rootMessage(error), wait.get().toMillis());
                try {
                    // wakes early on close, so that a SIGTERM during an outage is not held up
                    if (closing.await(wait.get().toMillis(), TimeUnit.MILLISECONDS)) {
                        return StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.REPLACE_THREAD;
            }
            stopWith = registryOutage.exceeded(error);
        }
        LOG.error("stream thread failed; stopping the annotator", error);
        fatal.compareAndSet(null, stopWith);
        return StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
    }

    /** The registry outage the stream threads wait out; the reachability probe reports to it too. */
    RegistryOutage registryOutage() {
        return registryOutage;
    }

    /** How many times the schema registry was found unreachable (a counter for the metrics). */
    public long registryUnreachableCount() {
        return registryOutage.unreachableCount();
    }

    public ScorerInfo info() {
        return scorer.info();
    }

    /** Requests waiting for the model. */
    public int queueDepth() {
        return scorer.queueDepth();
    }

    public KafkaStreams streams() {
        return streams;
    }

    /** Blocks until the streams stop (closed, or failed); returns the fatal error if there was one. */
    public Throwable awaitStop() throws InterruptedException {
        stopped.await();
        return fatal.get();
    }

    /** Waits at most {@code timeout} for the streams to stop; true once they have stopped. */
    public boolean awaitStop(Duration timeout) throws InterruptedException {
        return stopped.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /**
     * Stops taking input and lets the stream threads commit within {@code timeout}, then closes the scorer. Safe
     * from any thread and more than once: a later caller waits until the first one is done, so that nobody leaves
     * (and the JVM does not exit) while native handles are being freed.
     *
     * @return true when the streams stopped in time and the scorer is closed; false when a stream thread outlived
     *         {@code timeout}: the scorer is then left open, since freeing the model under a batch that thread may
     *         still be running would crash the JVM, and the uncommitted records are processed again after a restart
     */
    public boolean close(Duration timeout) {
        synchronized (closeLock) {
            if (!closed) {
                closed = true;
                closing.countDown();
                // an interrupted caller (a start-up abandoned on SIGTERM) must still wait for the threads to stop
                boolean interrupted = Thread.interrupted();
                stoppedInTime = streams.close(CloseOptions.timeout(timeout)
                        .withGroupMembershipOperation(membershipOnClose));
                if (stoppedInTime) {
                    scorer.close();
                } else {
                    LOG.error("a stream thread did not stop within {} ms (shutdown.timeout.ms); the scorer is left "
                            + "open under it, uncommitted records are processed again after a restart",
                            timeout.toMillis());
                }
                stopped.countDown();
                if (interrupted) {
                    Thread.currentThread().interrupt();
                }
            }
            return stoppedInTime;
        }
    }

    @Override
    public void close() {
        close(Duration.ofSeconds(30));
    }
}
