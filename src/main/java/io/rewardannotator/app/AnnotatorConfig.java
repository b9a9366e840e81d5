package io.rewardannotator.app;

import static org.apache.kafka.common.config.ConfigDef.Importance.HIGH;
import static org.apache.kafka.common.config.ConfigDef.Importance.LOW;
import static org.apache.kafka.common.config.ConfigDef.Importance.MEDIUM;
import static org.apache.kafka.common.config.ConfigDef.Range.atLeast;
import static org.apache.kafka.common.config.ConfigDef.Range.between;
import static org.apache.kafka.common.config.ConfigDef.Type.BOOLEAN;
import static org.apache.kafka.common.config.ConfigDef.Type.DOUBLE;
import static org.apache.kafka.common.config.ConfigDef.Type.INT;
import static org.apache.kafka.common.config.ConfigDef.Type.LIST;
import static org.apache.kafka.common.config.ConfigDef.Type.LONG;
import static org.apache.kafka.common.config.ConfigDef.Type.STRING;

import io.rewardannotator.model.Device;
import io.rewardannotator.model.SessionSettings;
import io.rewardannotator.scoring.ScoringConfig;
import io.rewardannotator.streams.AnnotatorTopics;
import io.rewardannotator.streams.BatchingSettings;
import io.rewardannotator.streams.groups.GroupSettings;
import io.rewardannotator.streams.stats.HistogramBins;
import io.rewardannotator.streams.stats.StatsSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.streams.StreamsConfig;

/**
 * The annotator's settings, each declared once with its type, default, validator and a doc that names the
 * symptom it addresses. Kafka client and Streams properties pass through under {@code kafka.}; schema-registry
 * and serde properties under {@code registry.}.
 */
public final class AnnotatorConfig extends AbstractConfig {
    public static final String KAFKA_PREFIX = "kafka.";
    public static final String REGISTRY_PREFIX = "registry.";

    public static final String APPLICATION_ID = "application.id";
    public static final String BOOTSTRAP_SERVERS = "bootstrap.servers";
    public static final String INPUT_TOPICS = "input.topics";
    public static final String OUTPUT_TOPIC = "output.topic";
    public static final String DEAD_LETTER_TOPIC = "dead.letter.topic";
    public static final String PROCESSING_GUARANTEE = "processing.guarantee";
    public static final String STREAM_THREADS = "num.stream.threads";
    public static final String GROUP_INSTANCE_ID = "group.instance.id";
    public static final String SCHEMA_REGISTRY_URL = "schema.registry.url";
    public static final String SCHEMA_REGISTRY_OUTAGE_MS = "schema.registry.outage.ms";
    public static final String MODEL_DIR = "model.dir";
    public static final String DEVICE = "device";
    public static final String INTRA_OP_THREADS = "intra.op.threads";
    public static final String INTER_OP_THREADS = "inter.op.threads";
    public static final String CONCURRENT_RUNS = "scoring.concurrent.runs";
    public static final String PROMPT_CACHE_MB = "prompt.cache.mb";
    public static final String BATCH_MAX_TOKENS = "batch.max.tokens";
    public static final String BATCH_MEMORY_MB = "batch.memory.mb";
    public static final String BATCH_MIN_LENGTH_RATIO = "batch.min.length.ratio";
    public static final String BATCH_MAX_SIZE = "batch.max.size";
    public static final String BATCH_LINGER_MS = "batch.linger.ms";
    public static final String SCORING_QUEUE_CAPACITY = "scoring.queue.capacity";
    public static final String MAX_IN_FLIGHT_PER_TASK = "max.in.flight.per.task";
    public static final String MAX_BLOCK_MS = "max.block.ms";
    public static final String RESULT_TIMEOUT_MS = "result.timeout.ms";
    public static final String DRAIN_INTERVAL_MS = "drain.interval.ms";
    public static final String CVAR_ALPHA = "cvar.alpha";
    public static final String DROP_OLDEST_TURNS = "drop.oldest.turns";
    public static final String HTTP_PORT = "http.port";
    public static final String HTTP_BIND_ADDRESS = "http.bind.address";
    public static final String TOPICS_CREATE = "topics.create";
    public static final String TOPICS_PARTITIONS = "topics.partitions";
    public static final String TOPICS_REPLICATION_FACTOR = "topics.replication.factor";
    public static final String STARTUP_TIMEOUT_MS = "startup.timeout.ms";
    public static final String SHUTDOWN_TIMEOUT_MS = "shutdown.timeout.ms";
    public static final String STATS_ENABLED = "stats.enabled";
    public static final String STATS_TOPIC = "stats.topic";
    public static final String STATS_WINDOW_MS = "stats.window.ms";
    public static final String STATS_GRACE_MS = "stats.grace.ms";
    public static final String STATS_LOWER_TAIL_THRESHOLD = "stats.lower.tail.threshold";
    public static final String STATS_HISTOGRAM_MIN = "stats.histogram.min";
    public static final String STATS_HISTOGRAM_MAX = "stats.histogram.max";
    public static final String STATS_HISTOGRAM_BINS = "stats.histogram.bins";
    public static final String STATS_METRICS_IDLE_WINDOWS = "stats.metrics.idle.windows";
    public static final String GROUP_ENABLED = "group.enabled";
    public static final String GROUP_TOPIC = "group.topic";
    public static final String GROUP_MAX_WAIT_MS = "group.max.wait.ms";
    public static final String GROUP_ADVANTAGE_EPSILON = "group.advantage.epsilon";
    public static final String GROUP_PAIRS_MAX_SIZE = "group.pairs.max.size";
    public static final String GROUP_RETENTION_MS = "group.retention.ms";

    public static final ConfigDef DEFINITION = new ConfigDef()
            .define(APPLICATION_ID, STRING, "reward-annotator", new ConfigDef.NonEmptyString(), HIGH,
                    "Kafka Streams application id: consumer group, transactional id prefix and internal topic "
                    + "prefix. Two deployments with the same id share (and split) the work.")
            .define(BOOTSTRAP_SERVERS, STRING, ConfigDef.NO_DEFAULT_VALUE, new ConfigDef.NonEmptyString(), HIGH,
                    "Kafka brokers to connect to, host:port[,host:port].")
            .define(INPUT_TOPICS, LIST, "generated-responses", new ConfigDef.NonNullValidator(), HIGH,
                    "Topics of Confluent-Avro GeneratedResponse events to score.")
            .define(OUTPUT_TOPIC, STRING, "scored-responses", new ConfigDef.NonEmptyString(), HIGH,
                    "Topic the Confluent-Avro ScoredResponse events go to, keyed like their input.")
            .define(DEAD_LETTER_TOPIC, STRING, "reward-annotator-dead-letters", new ConfigDef.NonEmptyString(), HIGH,
                    "Topic for records that cannot be scored: original bytes, headers with the reason.")
            .define(PROCESSING_GUARANTEE, STRING, StreamsConfig.EXACTLY_ONCE_V2,
                    ConfigDef.ValidString.in(StreamsConfig.EXACTLY_ONCE_V2, StreamsConfig.AT_LEAST_ONCE), HIGH,
                    "exactly_once_v2: no scored event duplicated or lost; at_least_once: lower latency, duplicates "
                    + "possible after a crash.")
            .define(STREAM_THREADS, INT, 1, atLeast(1), MEDIUM,
                    "Stream threads. They share one scorer; more threads help when decoding and tokenizing, not "
                    + "the model, are the bottleneck.")
            .define(GROUP_INSTANCE_ID, STRING, "", MEDIUM,
                    "Static group membership: a name unique to this instance and stable across its restarts (on "
                    + "Kubernetes the pod name). A restarted instance takes its tasks back within seconds instead "
                    + "of waiting out the crashed member's kafka.session.timeout.ms (45 s) and a rebalance. The "
                    + "cost: an instance that is gone for good (scaled down, rescheduled under a new name) holds "
                    + "its partitions unprocessed until that timeout, since a static member does not leave the "
                    + "group on shutdown. Empty: dynamic membership.")
            .define(SCHEMA_REGISTRY_URL, STRING, ConfigDef.NO_DEFAULT_VALUE, new ConfigDef.NonEmptyString(), HIGH,
                    "Confluent-compatible schema registry, http(s)://host:port. No default: an in-memory registry "
                    + "(mock://<scope>) has ids that mean other schemas than the real topic's, so run refuses it "
                    + "unless --allow-mock-registry (tests) is given.")
            .define(SCHEMA_REGISTRY_OUTAGE_MS, LONG, 300_000L, atLeast(0), MEDIUM,
                    "How long a stream thread that needs the schema registry (a schema id not seen before) waits "
                    + "for it while it cannot be reached, retrying with backoff (not ready meanwhile), before the "
                    + "annotator stops with exit code 7. Records of known schema ids flow on from cache through an "
                    + "outage. Raise it to ride out longer registry maintenance.")
            .define(MODEL_DIR, STRING, ConfigDef.NO_DEFAULT_VALUE, new ConfigDef.NonEmptyString(), HIGH,
                    "Model bundle directory (reward-model.json, model.onnx, tokenizer.json).")
            .define(DEVICE, STRING, "cpu", (name, value) -> parseDevice(name, value), HIGH,
                    "cpu, or cuda:N for the N-th GPU (needs the GPU build).")
            .define(INTRA_OP_THREADS, INT, 0, atLeast(0), LOW,
                    "ONNX Runtime threads per operator, 0 = automatic (on cpu: one per model run, one run per core).")
            .define(INTER_OP_THREADS, INT, 0, atLeast(0), LOW, "ONNX Runtime threads across operators, 0 = 1.")
            .define(CONCURRENT_RUNS, INT, 0, atLeast(0), LOW,
                    "Model runs at once, 0 = automatic (one per core on cpu, 1 on cuda). On a CPU several small runs "
                    + "beat one multi-threaded run.")
            .define(PROMPT_CACHE_MB, LONG, SessionSettings.DEFAULT_PROMPT_CACHE_BYTES >> 20, atLeast(0), LOW,
                    "Keys and values of recent prompts kept in MiB (JVM heap), so that a GRPO group spread over "
                    + "several model runs computes its prompt once; needs a bundle whose graph takes past keys and "
                    + "values (tools/export). 0 = none: a prompt is shared only by the rows of one run.")
            .define(BATCH_MAX_TOKENS, INT, 0, atLeast(0), MEDIUM,
                    "Padded tokens per model run, 0 = the device's default (4096 on cpu, 16384 on cuda). Lower it "
                    + "on GPU out-of-memory errors; raise it if the GPU idles.")
            .define(BATCH_MEMORY_MB, LONG, 0L, atLeast(0), LOW,
                    "Memory budget of one run's attention scores in MiB, 0 = the device's default (1024 on cpu, "
                    + "8192 on cuda). Lower it when long inputs push the process out of memory.")
            .define(BATCH_MIN_LENGTH_RATIO, DOUBLE, ScoringConfig.DEFAULT_MIN_LENGTH_RATIO, between(0.0, 1.0), LOW,
                    "Shortest / longest input allowed in one batch: caps the padding a batch carries.")
            .define(BATCH_MAX_SIZE, INT, ScoringConfig.DEFAULT_BATCH_SIZE, atLeast(1), MEDIUM, "Rows per model run.")
            .define(BATCH_LINGER_MS, LONG, ScoringConfig.DEFAULT_LINGER_MS, atLeast(0), MEDIUM,
                    "How long a request waits for others to fill a batch: raise for throughput at low traffic, "
                    + "lower for latency.")
            .define(SCORING_QUEUE_CAPACITY, INT, ScoringConfig.DEFAULT_QUEUE_CAPACITY, atLeast(1), LOW,
                    "Requests admitted to the model and not yet scored, across all tasks. When it is full the "
                    + "stream threads wait (within max.block.ms) and slow their intake; nothing fails.")
            .define(MAX_IN_FLIGHT_PER_TASK, INT, BatchingSettings.DEFAULT_MAX_IN_FLIGHT, atLeast(1), MEDIUM,
                    "Records a task holds unscored before it waits (back-pressure). Raise it if the GPU idles "
                    + "between batches; lower it to bound memory and restore time.")
            .define(MAX_BLOCK_MS, LONG, BatchingSettings.DEFAULT_MAX_BLOCK.toMillis(), atLeast(1), MEDIUM,
                    "Longest a stream thread waits for the model (for room, or for results when a task is full) "
                    + "between two commits, summed over its tasks; then it takes records without waiting and "
                    + "commits. Under exactly_once_v2 at most half of kafka.producer.transaction.timeout.ms "
                    + "(default 10000): a longer wait gets the stream thread fenced.")
            .define(RESULT_TIMEOUT_MS, LONG, BatchingSettings.DEFAULT_RESULT_TIMEOUT.toMillis(), atLeast(1), MEDIUM,
                    "Longest a record may wait for its score, queueing included, before the annotator stops as "
                    + "failed (a stuck or hopelessly overloaded scorer).")
            .define(DRAIN_INTERVAL_MS, LONG, BatchingSettings.DEFAULT_DRAIN_INTERVAL.toMillis(), atLeast(1), LOW,
                    "How often finished results of idle partitions are forwarded.")
            .define(CVAR_ALPHA, DOUBLE, ScoringConfig.DEFAULT_CVAR_ALPHA, between(0.001, 0.999), LOW,
                    "Tail level of the CVaR (lower-tail risk) statistic.")
            .define(DROP_OLDEST_TURNS, BOOLEAN, false, LOW,
                    "Shorten over-long prompts by dropping their oldest turns instead of dead-lettering them.")
            .define(HTTP_PORT, INT, 8080, between(0, 65535), MEDIUM,
                    "Port of the HTTP endpoint serving /metrics (Prometheus), /health/live and /health/ready; "
                    + "0 turns it off.")
            .define(HTTP_BIND_ADDRESS, STRING, "0.0.0.0", new ConfigDef.NonEmptyString(), LOW,
                    "Address the HTTP endpoint listens on. 0.0.0.0 (every interface) lets Kubernetes probes and "
                    + "Prometheus reach it; 127.0.0.1 keeps it to the host (a sidecar scraping it). It serves "
                    + "only metrics and health, never configuration.")
            .define(TOPICS_CREATE, BOOLEAN, false, MEDIUM,
                    "Create missing input, output and dead-letter topics at start-up instead of refusing to start.")
            .define(TOPICS_PARTITIONS, INT, 6, atLeast(1), LOW,
                    "Partitions of topics created by topics.create. Input partitions bound the useful replicas.")
            .define(TOPICS_REPLICATION_FACTOR, INT, -1, atLeast(-1), LOW,
                    "Replication factor of topics created by topics.create; -1 takes the broker's default.")
            .define(STARTUP_TIMEOUT_MS, LONG, 120_000L, atLeast(1), MEDIUM,
                    "Longest wait at start-up for the brokers to answer and for the streams to reach RUNNING.")
            .define(SHUTDOWN_TIMEOUT_MS, LONG, 30_000L, atLeast(1), MEDIUM,
                    "On SIGTERM, longest wait for in-flight batches and the last commit before closing. Keep the "
                    + "orchestrator's grace period (Kubernetes terminationGracePeriodSeconds) above it.")
            .define(STATS_ENABLED, BOOLEAN, true, MEDIUM,
                    "Emit RewardStats (count, mean, p10/p50/p90 of the score, mean spread, lower-tail rate, dead "
                    + "letters) per policy version and time window. Turn off to save the repartition topic and "
                    + "window store it needs.")
            .define(STATS_TOPIC, STRING, StatsSettings.DEFAULT_TOPIC, new ConfigDef.NonEmptyString(), MEDIUM,
                    "Topic of the Confluent-Avro RewardStats events, keyed by policyName/policyVersion.")
            .define(STATS_WINDOW_MS, LONG, StatsSettings.DEFAULT_WINDOW.toMillis(), atLeast(1), MEDIUM,
                    "Length of a statistics window (tumbling, event time of the input records). Shorter windows "
                    + "react faster on dashboards but count fewer responses each, so their percentiles are noisier.")
            .define(STATS_GRACE_MS, LONG, StatsSettings.DEFAULT_GRACE.toMillis(), atLeast(0), MEDIUM,
                    "How long after its end a window still takes records; it is emitted only then. Raise it when "
                    + "records are reported late because partitions or instances lag one another; lower it to see "
                    + "windows sooner.")
            .define(STATS_LOWER_TAIL_THRESHOLD, DOUBLE, StatsSettings.DEFAULT_LOWER_TAIL_THRESHOLD, MEDIUM,
                    "lower_tail_rate counts the responses whose lowest reward quantile is below this score: the "
                    + "share the model thinks may well be bad. Set it on the reward model's own scale.")
            .define(STATS_HISTOGRAM_MIN, DOUBLE, StatsSettings.DEFAULT_HISTOGRAM.min(), LOW,
                    "Lower edge of the score histogram the percentiles come from. Scores below it are still "
                    + "counted, with less precise percentiles: widen the range if the model's scores fall outside.")
            .define(STATS_HISTOGRAM_MAX, DOUBLE, StatsSettings.DEFAULT_HISTOGRAM.max(), LOW,
                    "Upper edge of the score histogram; see stats.histogram.min.")
            .define(STATS_HISTOGRAM_BINS, INT, StatsSettings.DEFAULT_HISTOGRAM.bins(),
                    between(1, HistogramBins.MAX_BINS), LOW,
                    "Bins of the score histogram: a percentile inside the range is off by at most "
                    + "(max - min) / bins. More bins, more precise percentiles, larger window state.")
            .define(STATS_METRICS_IDLE_WINDOWS, INT, 3, atLeast(1), LOW,
                    "The /metrics series of a policy version (reward.annotator.stats.window.*, late records) are "
                    + "removed once it has had no closed window for this many windows. Online RLHF creates "
                    + "versions continuously: without it the series, and the monitoring system's cardinality, "
                    + "grow without bound. Raise it if a version's traffic pauses longer and its series must stay.")
            .define(GROUP_ENABLED, BOOLEAN, false, MEDIUM,
                    "Collect the scored responses that share a prompt_id and emit one ScoredGroup per group "
                    + "(GRPO advantages, ranks, pairwise p_better) to group.topic, which must then exist (or "
                    + "topics.create=true). Off by default, so that an upgrade needs no new topic; it adds a "
                    + "repartition topic and two small changelogged stores, and responses without a prompt_id "
                    + "cost nothing in it.")
            .define(GROUP_TOPIC, STRING, GroupSettings.DEFAULT_TOPIC, new ConfigDef.NonEmptyString(), MEDIUM,
                    "Topic of the Confluent-Avro ScoredGroup events, keyed by prompt_id.")
            .define(GROUP_MAX_WAIT_MS, LONG, GroupSettings.DEFAULT_MAX_WAIT.toMillis(), atLeast(1), MEDIUM,
                    "A group is emitted as soon as group_size of its members are scored or dead-lettered; one "
                    + "that has not got there (or whose producer set no group_size) is emitted with complete=false "
                    + "this long (wall-clock) after its first member arrived. Members arriving later are counted "
                    + "as late (reward.annotator.groups.late.members) and join no group.")
            .define(GROUP_ADVANTAGE_EPSILON, DOUBLE, GroupSettings.DEFAULT_ADVANTAGE_EPSILON, atLeast(0.0), LOW,
                    "Added to the group's standard deviation in advantage = (score - mean) / (std + epsilon), "
                    + "so a group of equal scores gets advantages 0, not a division by zero.")
            .define(GROUP_PAIRS_MAX_SIZE, INT, GroupSettings.DEFAULT_PAIRS_MAX_SIZE, atLeast(0), LOW,
                    "Groups with more scored members than this get no p_better matrix (it grows as the square "
                    + "of the size); their advantages and ranks are still given.")
            .define(GROUP_RETENTION_MS, LONG, GroupSettings.DEFAULT_RETENTION.toMillis(), atLeast(1), LOW,
                    "How long an emitted group is remembered, so that a member arriving later is counted as late "
                    + "instead of opening a new group of one. Longer costs a small store entry per group.");

    /** @throws ConfigException naming the setting, also when two of the topic settings name the same topic */
    public AnnotatorConfig(Map<?, ?> values) {
        super(DEFINITION, values, false);
        try {
            AnnotatorTopics topics = topics();
            statsSettings().requireDistinctFrom(topics);
            groupSettings().requireDistinctFrom(topics, getString(STATS_TOPIC));
        } catch (IllegalArgumentException e) {
            throw new ConfigException(e.getMessage());
        }
    }

    /** A copy of the settings' definitions (names, types, defaults, docs): what deployment files may set. */
    public static ConfigDef configDef() {
        return new ConfigDef(DEFINITION);
    }

    private static void parseDevice(String name, Object value) {
        try {
            Device.parse(String.valueOf(value));
        } catch (IllegalArgumentException e) {
            throw new ConfigException(name, value, e.getMessage());
        }
    }

    /** The model and scoring settings, as {@code score} and {@code bench} take them. */
    public ScorerSettings scorerSettings() {
        return new ScorerSettings(originals());
    }

    public Path modelDir() {
        return scorerSettings().modelDir();
    }

    public SessionSettings sessionSettings() {
        return scorerSettings().sessionSettings();
    }

    public ScoringConfig scoringConfig() {
        return scorerSettings().scoringConfig();
    }

    /**
     * Checks one value against its key's type and validator, as loading would.
     *
     * @throws ConfigException naming the key, when the value is invalid
     */
    public static void check(String key, Object value) {
        ConfigDef.ConfigKey definition = DEFINITION.configKeys().get(key);
        Object parsed = ConfigDef.parseType(key, value, definition.type);
        if (definition.validator != null) {
            definition.validator.ensureValid(key, parsed);
        }
    }

    public BatchingSettings batchingSettings() {
        return new BatchingSettings(getInt(MAX_IN_FLIGHT_PER_TASK), Duration.ofMillis(getLong(MAX_BLOCK_MS)),
                Duration.ofMillis(getLong(RESULT_TIMEOUT_MS)), Duration.ofMillis(getLong(DRAIN_INTERVAL_MS)));
    }

    /** @throws IllegalArgumentException naming the setting when the histogram range is empty */
    public StatsSettings statsSettings() {
        return new StatsSettings(getBoolean(STATS_ENABLED), getString(STATS_TOPIC),
                Duration.ofMillis(getLong(STATS_WINDOW_MS)), Duration.ofMillis(getLong(STATS_GRACE_MS)),
                getDouble(STATS_LOWER_TAIL_THRESHOLD), new HistogramBins(getDouble(STATS_HISTOGRAM_MIN),
                        getDouble(STATS_HISTOGRAM_MAX), getInt(STATS_HISTOGRAM_BINS)));
    }

    public GroupSettings groupSettings() {
        return new GroupSettings(getBoolean(GROUP_ENABLED), getString(GROUP_TOPIC),
                Duration.ofMillis(getLong(GROUP_MAX_WAIT_MS)), getDouble(GROUP_ADVANTAGE_EPSILON),
                getInt(GROUP_PAIRS_MAX_SIZE), Duration.ofMillis(getLong(GROUP_RETENTION_MS)));
    }

    public AnnotatorTopics topics() {
        return new AnnotatorTopics(getList(INPUT_TOPICS), getString(OUTPUT_TOPIC), getString(DEAD_LETTER_TOPIC));
    }

    /** Kafka Streams, consumer, producer and admin properties given under {@code kafka.}, prefix removed. */
    public Map<String, Object> kafkaOverrides() {
        Map<String, Object> overrides = originalsWithPrefix(KAFKA_PREFIX);
        overrides.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, getInt(STREAM_THREADS));
        String instance = getString(GROUP_INSTANCE_ID);
        if (!instance.isBlank()) {
            // Kafka Streams suffixes it with each stream thread's index
            overrides.put(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG, instance.strip());
        }
        return overrides;
    }

    /**
     * Properties for an Admin client with the annotator's connection settings: the {@code kafka.*} keys an Admin
     * client knows (security included) and {@code kafka.admin.*} ones, the bootstrap servers, and {@code clientId}
     * unless one was given.
     */
    public Map<String, Object> adminClientProperties(String clientId) {
        Map<String, Object> props = new java.util.HashMap<>();
        kafkaOverrides().forEach((key, value) -> {
            if (AdminClientConfig.configNames().contains(key)) {
                props.put(key, value);
            } else if (key.startsWith(StreamsConfig.ADMIN_CLIENT_PREFIX)) {
                props.put(key.substring(StreamsConfig.ADMIN_CLIENT_PREFIX.length()), value);
            }
        });
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, getString(BOOTSTRAP_SERVERS));
        props.putIfAbsent(AdminClientConfig.CLIENT_ID_CONFIG, clientId);
        return props;
    }

    /** The serde configuration: {@code schema.registry.url} and everything given under {@code registry.}. */
    public Map<String, Object> serdeConfig() {
        Map<String, Object> serde = originalsWithPrefix(REGISTRY_PREFIX);
        serde.put(SCHEMA_REGISTRY_URL, getString(SCHEMA_REGISTRY_URL));
        return serde;
    }
}
