package io.rewardannotator.devkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.utils.Time;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real single-node Kafka broker (KRaft, combined broker and controller) running inside this JVM, for the
 * {@code demo} command and for integration tests.
 *
 * <p>Lifecycle: {@link #start()} (or a {@link #builder()}) formats the log directory, starts the server and
 * returns once an admin client sees the broker; {@link #close()} shuts it down, waits for it, and deletes the log
 * directory if this class created it. Close is idempotent. The broker listens on {@code 127.0.0.1} only, in
 * plain text (plus the TLS or SASL listeners a test adds with {@link Builder#listener}): it is not for production
 * traffic.
 *
 * <p>Threading: the methods may be called from any thread; {@link #createTopics} and {@link #close} block.
 */
public final class EmbeddedKafkaBroker implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(EmbeddedKafkaBroker.class);
    private static final int NODE_ID = 1;
    /** Attempts when a port picked as free is taken by someone else before the broker binds it. */
    private static final int BIND_ATTEMPTS = 3;
    private static final Set<String> FIXED_PROPERTIES = Set.of("process.roles", "node.id",
            "controller.quorum.voters", "controller.quorum.bootstrap.servers", "listeners", "advertised.listeners",
            "listener.security.protocol.map", "controller.listener.names", "inter.broker.listener.name", "log.dir",
            "log.dirs", "metadata.log.dir");

    private final KafkaRaftServer server;
    private final Admin admin;
    private final String bootstrapServers;
    private final Map<String, String> listenerAddresses;
    private final Path logDir;
    private final boolean ownsLogDir;
    private final Duration startupTime;
    private final Duration timeout;
    private final Object lifecycle = new Object();
    private boolean closed;

    private EmbeddedKafkaBroker(KafkaRaftServer server, Admin admin, String bootstrapServers,
            Map<String, String> listenerAddresses, Path logDir, boolean ownsLogDir, Duration startupTime,
            Duration timeout) {
        this.server = server;
        this.admin = admin;
        this.bootstrapServers = bootstrapServers;
        this.listenerAddresses = Map.copyOf(listenerAddresses);
        this.logDir = logDir;
        this.ownsLogDir = ownsLogDir;
        this.startupTime = startupTime;
        this.timeout = timeout;
    }

    /** Starts a broker on free ports in a temporary log directory that {@link #close()} deletes. */
    public static EmbeddedKafkaBroker start() {
        return builder().start();
    }

    /**
     * Starts a broker on free ports in {@code logDir}, created and formatted if needed and kept on close; a
     * directory formatted by an earlier run is reused with its topics and offsets.
     */
    public static EmbeddedKafkaBroker start(Path logDir) {
        return builder().logDir(logDir).start();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The {@code bootstrap.servers} value for clients, e.g. {@code 127.0.0.1:40123}. */
    public String bootstrapServers() {
        return bootstrapServers;
    }

    /**
     * The {@code bootstrap.servers} value of a listener added with {@link Builder#listener}.
     *
     * @throws IllegalArgumentException if the broker has no such listener
     */
    public String bootstrapServers(String listenerName) {
        String address = listenerAddresses.get(listenerName);
        if (address == null) {
            throw new IllegalArgumentException("no listener " + listenerName + "; the broker has "
                    + listenerAddresses.keySet());
        }
        return address;
    }

    /** The broker's log directory (also its metadata directory). */
    public Path logDir() {
        return logDir;
    }

    /** How long {@link Builder#start()} took, from formatting to the broker answering an admin client. */
    public Duration startupTime() {
        return startupTime;
    }

    /**
     * Creates the topics with {@code partitions} partitions each (replication factor 1) and waits until every
     * partition has a leader, so producers and consumers can use them at once. A topic that already exists is
     * left as it is.
     *
     * @throws IllegalStateException if the broker is closed
     * @throws KafkaException if a topic cannot be created within the start timeout
     */
    public void createTopics(int partitions, String... names) {
        synchronized (lifecycle) {
            if (closed) {
                throw new IllegalStateException("the embedded broker is closed");
            }
        }
        TopicCreator.createAndAwait(admin, partitions, (short) 1, timeout, names);
    }

    /** Shuts the broker down and waits for it; deletes the log directory if this broker created it. */
    @Override
    public void close() {
        synchronized (lifecycle) {
            if (closed) {
                return;
            }
            closed = true;
        }
        admin.close(Duration.ofSeconds(5));
        server.shutdown();
        server.awaitShutdown();
        if (ownsLogDir) {
            KafkaLogDir.delete(logDir);
        }
        log.info("Embedded Kafka broker at {} stopped", bootstrapServers);
    }

    private static long millis(long fromNanos, long toNanos) {
        return TimeUnit.NANOSECONDS.toMillis(toNanos - fromNanos);
    }

    private static long remainingMillis(long deadline) {
        return Math.max(0, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime()));
    }

    private static void pause() {
        try {
            Thread.sleep(20);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new KafkaException("interrupted while waiting for the embedded broker", e);
        }
    }

    /** Options for the broker; every one has a default that suits tests. */
    public static final class Builder {
        private Path logDir;
        private int port;
        private int defaultPartitions = 1;
        private Duration startTimeout = Duration.ofSeconds(30);
        private final Map<String, String> overrides = new LinkedHashMap<>();
        private final Map<String, Listener> listeners = new LinkedHashMap<>();

        private Builder() {
        }

        /**
         * A listener besides the plain-text one (which the broker, its admin client and {@link #bootstrapServers()}
         * keep using), on a free port of 127.0.0.1: for example {@code SASL_SSL} with SCRAM, or {@code SSL} with
         * client certificates. {@code properties} are the listener's own broker settings without their
         * {@code listener.name.<name>.} prefix, e.g. {@code ssl.keystore.location}, {@code ssl.client.auth},
         * {@code sasl.enabled.mechanisms}, {@code scram-sha-512.sasl.jaas.config}.
         */
        public Builder listener(String name, String securityProtocol, Map<String, String> properties) {
            if (!name.matches("[A-Z][A-Z0-9_]*") || name.equals("PLAINTEXT") || name.equals("CONTROLLER")) {
                throw new IllegalArgumentException("listener name must be upper case and not PLAINTEXT or CONTROLLER, "
                        + "got " + name);
            }
            listeners.put(name, new Listener(Objects.requireNonNull(securityProtocol, "securityProtocol"),
                    Map.copyOf(properties)));
            return this;
        }

        private record Listener(String securityProtocol, Map<String, String> properties) {
        }

        /** Where the broker keeps its data, kept on close (default: a temporary directory, deleted on close). */
        public Builder logDir(Path logDir) {
            this.logDir = Objects.requireNonNull(logDir, "logDir");
            return this;
        }

        /** The client port (default 0: a free port); the controller port is always a free one. */
        public Builder port(int port) {
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("port must be 0 (any free port) or 1-65535, got " + port);
            }
            this.port = port;
            return this;
        }

        /** Partitions of topics the broker creates on first use ({@code num.partitions}, default 1). */
        public Builder defaultPartitions(int partitions) {
            if (partitions < 1) {
                throw new IllegalArgumentException("defaultPartitions must be at least 1, got " + partitions);
            }
            this.defaultPartitions = partitions;
            return this;
        }

        /** Bound on start-up and on each {@link EmbeddedKafkaBroker#createTopics} call (default 30 s). */
        public Builder startTimeout(Duration startTimeout) {
            if (startTimeout.isNegative() || startTimeout.isZero()) {
                throw new IllegalArgumentException("startTimeout must be positive, got " + startTimeout);
            }
            this.startTimeout = startTimeout;
            return this;
        }

        /**
         * A broker property that replaces the default, e.g. {@code log.retention.ms}. The node's identity,
         * listeners and directories are not among them: use {@link #port} and {@link #logDir}.
         */
        public Builder brokerProperty(String key, String value) {
            if (FIXED_PROPERTIES.contains(key)) {
                throw new IllegalArgumentException(key + " is set by the embedded broker itself; use port() or "
                        + "logDir() where one of them fits");
            }
            overrides.put(Objects.requireNonNull(key, "key"), Objects.requireNonNull(value, "value"));
            return this;
        }

        /**
         * Formats the log directory if needed, starts the broker and waits until it answers an admin client.
         *
         * @throws KafkaException if the broker is not ready within the start timeout
         * @throws UncheckedIOException if the log directory cannot be created or formatted
         */
        public EmbeddedKafkaBroker start() {
            long started = System.nanoTime();
            boolean ownsLogDir = logDir == null;
            Path dir = ownsLogDir ? KafkaLogDir.createTemporary() : KafkaLogDir.create(logDir);
            try {
                for (int attempt = 1; ; attempt++) {
                    int clientPort = port != 0 ? port : freePort();
                    int controllerPort = freePort();
                    Map<String, String> addresses = new LinkedHashMap<>();
                    listeners.keySet().forEach(name -> addresses.put(name, "127.0.0.1:" + freePort()));
                    Map<String, String> props = brokerProperties(dir, clientPort, controllerPort, addresses);
                    long formatting = System.nanoTime();
                    KafkaLogDir.format(dir, props);
                    long starting = System.nanoTime();
                    KafkaConfig config = new KafkaConfig(props, false);
                    KafkaRaftServer server = new KafkaRaftServer(config, Time.SYSTEM);
                    try {
                        server.startup();
                    } catch (RuntimeException e) {
                        stopQuietly(server);
                        if (port == 0 && isBindFailure(e) && attempt < BIND_ATTEMPTS) {
                            log.info("Port taken while the embedded broker started; trying other ports");
                            continue;
                        }
                        throw e;
                    }
                    long answering = System.nanoTime();
                    String bootstrap = "127.0.0.1:" + clientPort;
                    Admin admin = awaitReady(server, bootstrap, started);
                    long ready = System.nanoTime();
                    Duration took = Duration.ofNanos(ready - started);
                    // the phases say where a slow start goes (class loading and KRaft start-up, mostly)
                    log.info("Embedded Kafka broker ready at {} in {} ms: format {} ms, server start {} ms, "
                            + "first answer {} ms (log dir {})", bootstrap, took.toMillis(), millis(formatting,
                            starting), millis(starting, answering), millis(answering, ready), dir);
                    return new EmbeddedKafkaBroker(server, admin, bootstrap, addresses, dir, ownsLogDir, took,
                            startTimeout);
                }
            } catch (RuntimeException | Error e) {
                if (ownsLogDir) {
                    KafkaLogDir.delete(dir);
                }
                throw e;
            }
        }

        private Map<String, String> brokerProperties(Path dir, int clientPort, int controllerPort,
                                                     Map<String, String> addresses) {
            Map<String, String> props = new LinkedHashMap<>();
            props.put("process.roles", "broker,controller");
            props.put("node.id", String.valueOf(NODE_ID));
            props.put("controller.quorum.voters", NODE_ID + "@127.0.0.1:" + controllerPort);
            StringBuilder extraListeners = new StringBuilder();
            StringBuilder extraProtocols = new StringBuilder();
            listeners.forEach((name, listener) -> {
                extraListeners.append(',').append(name).append("://").append(addresses.get(name));
                extraProtocols.append(',').append(name).append(':').append(listener.securityProtocol());
                String prefix = "listener.name." + name.toLowerCase(java.util.Locale.ROOT) + ".";
                listener.properties().forEach((key, value) -> props.put(prefix + key, value));
            });
            props.put("listeners", "PLAINTEXT://127.0.0.1:" + clientPort + ",CONTROLLER://127.0.0.1:" + controllerPort
                    + extraListeners);
            props.put("advertised.listeners", "PLAINTEXT://127.0.0.1:" + clientPort + extraListeners);
            props.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT" + extraProtocols);
            props.put("controller.listener.names", "CONTROLLER");
            props.put("inter.broker.listener.name", "PLAINTEXT");
            props.put("log.dirs", dir.toString());
            props.put("num.partitions", String.valueOf(defaultPartitions));
            // One node: every internal topic has one replica. 50 offsets partitions make the first group join slow.
            props.put("offsets.topic.replication.factor", "1");
            props.put("offsets.topic.num.partitions", "1");
            props.put("transaction.state.log.replication.factor", "1");
            props.put("transaction.state.log.min.isr", "1");
            props.put("transaction.state.log.num.partitions", "1");
            // abort transactions past their timeout within a second (default 10 s), so a test sees fencing soon
            props.put("transaction.abort.timed.out.transaction.cleanup.interval.ms", "1000");
            props.put("share.coordinator.state.topic.replication.factor", "1");
            props.put("share.coordinator.state.topic.min.isr", "1");
            props.put("group.initial.rebalance.delay.ms", "0");
            // One voter and one broker: the defaults' waits (an election timeout of 1 s, a 2 s heartbeat before
            // the broker is unfenced) are for a quorum over a network. Measured here: 19.4 -> 12.4 s and
            // 26.5 -> 21.7 s to ready, on a shared 2-core machine (the rest is class loading and log fsyncs).
            props.put("controller.quorum.election.timeout.ms", "200");
            props.put("controller.quorum.fetch.timeout.ms", "500");
            props.put("broker.heartbeat.interval.ms", "200");
            props.putAll(overrides);
            return props;
        }

        private Admin awaitReady(KafkaRaftServer server, String bootstrap, long started) {
            long deadline = started + startTimeout.toNanos();
            Admin admin = Admin.create(Map.of(
                    AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                    AdminClientConfig.CLIENT_ID_CONFIG, "embedded-broker-admin"));
            while (true) {
                try {
                    int remaining = (int) Math.max(1, remainingMillis(deadline));
                    if (!admin.describeCluster(new DescribeClusterOptions().timeoutMs(remaining)).nodes()
                            .get(remaining, TimeUnit.MILLISECONDS).isEmpty()) {
                        return admin;
                    }
                } catch (ExecutionException | TimeoutException e) {
                    // not reachable yet: try again until the deadline
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    admin.close(Duration.ZERO);
                    stopQuietly(server);
                    throw new KafkaException("interrupted while waiting for the embedded broker", e);
                }
                if (remainingMillis(deadline) == 0) {
                    admin.close(Duration.ZERO);
                    stopQuietly(server);
                    throw new KafkaException("embedded Kafka broker at " + bootstrap + " not ready within "
                            + startTimeout + "; raise the start timeout on a slow machine");
                }
                pause();
            }
        }
    }

    private static boolean isBindFailure(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof BindException || String.valueOf(t.getMessage()).contains("Address already in use")) {
                return true;
            }
        }
        return false;
    }

    private static void stopQuietly(KafkaRaftServer server) {
        try {
            server.shutdown();
            server.awaitShutdown();
        } catch (RuntimeException e) {
            log.warn("Embedded broker did not shut down cleanly after a failed start", e);
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free port on 127.0.0.1", e);
        }
    }
}
