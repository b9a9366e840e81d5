package io.rewardannotator.cli;

import io.rewardannotator.app.Annotator;
import io.rewardannotator.app.AnnotatorConfig;
import io.rewardannotator.app.AnnotatorMetrics;
import io.rewardannotator.app.HttpEndpoint;
import io.rewardannotator.app.ShutdownSignals;
import io.rewardannotator.devkit.BundledModel;
import io.rewardannotator.devkit.DemoEvents;
import io.rewardannotator.devkit.EmbeddedKafkaBroker;
import io.rewardannotator.devkit.RegistryHttpServer;
import io.rewardannotator.event.GeneratedResponse;
import io.rewardannotator.event.RewardStats;
import io.rewardannotator.event.ScoredGroup;
import io.rewardannotator.event.ScoredResponse;
import io.rewardannotator.registry.MockSchemaRegistry;
import io.rewardannotator.registry.SpecificAvroDeserializer;
import io.rewardannotator.registry.SpecificAvroSerializer;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * The embedded default: an in-JVM Kafka broker, the mock:// registry and the tiny bundled model run the real
 * topology on sample conversations, print what comes out, and stop.
 */
@Command(name = "demo", description = "Run the whole pipeline in this JVM on sample conversations and print the results.")
final class DemoCommand implements Callable<Integer> {
    static final String INPUT = "generated-responses";
    static final String OUTPUT = "scored-responses";
    static final String DEAD_LETTERS = "reward-annotator-dead-letters";
    static final String STATS = "reward-stats";
    static final String GROUPS = "scored-groups";
    private static final Duration WAIT = Duration.ofMinutes(2);
    private static final Duration STATS_WINDOW = Duration.ofMinutes(1);
    private static final Duration STATS_GRACE = Duration.ofSeconds(1);

    @Spec
    CommandSpec spec;

    @Option(names = "--model", paramLabel = "DIR", description = "A model bundle (default: the tiny bundled model).")
    Path model;

    @Option(names = "--events", paramLabel = "FILE.jsonl", description = "Conversations to send, in the score input format.")
    Path events;

    @Option(names = "--keep-running", description = "Leave the broker up until Ctrl-C, and print its address, "
            + "an HTTP schema registry (Confluent API) for outside consumers, and the /metrics and /health URLs.")
    boolean keepRunning;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        Path work = Files.createTempDirectory("reward-annotator-demo-");
        Path logFile = work.resolve("demo.log");
        DemoLog.to(logFile);
        out.println("Logs of Kafka and the annotator: " + logFile);
        Path bundle = model != null ? model : BundledModel.extractTo(work.resolve("tiny-qrm"));
        if (model == null) {
            out.println("Using the tiny bundled model: random weights, so its rewards are MEANINGLESS. "
                    + "Score with a real bundle: demo --model DIR (see README, 'Model bundles').");
        }
        List<DemoEvents.Outgoing> outgoing = events == null ? DemoEvents.samples()
                : fromJsonLines(Files.readAllLines(events, StandardCharsets.UTF_8));
        String registryScope = "demo-" + UUID.randomUUID();
        Map<String, Object> serde = Map.of("schema.registry.url", "mock://" + registryScope);
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start()) {
            broker.createTopics(3, INPUT, OUTPUT, DEAD_LETTERS, STATS, GROUPS);
            out.printf(Locale.ROOT, "Kafka broker running in this JVM at %s (started in %.1f s)%n",
                    broker.bootstrapServers(), broker.startupTime().toMillis() / 1000.0);
            out.flush();
            long launched = System.nanoTime();
            AnnotatorConfig annotatorConfig = new AnnotatorConfig(config(broker, bundle, serde, work));
            try (AnnotatorMetrics metrics = new AnnotatorMetrics(
                    annotatorConfig.getInt(AnnotatorConfig.STATS_METRICS_IDLE_WINDOWS));
                 Annotator annotator = Annotator.start(annotatorConfig, metrics, metrics, WAIT)) {
                metrics.bind(annotator.streams(), annotator::queueDepth, annotator::registryUnreachableCount);
                out.printf(Locale.ROOT, "Annotator running in %.1f s: %s (%s) on %s; sending %d records to %s%n%n",
                        (System.nanoTime() - launched) / 1e9, annotator.info().name(), annotator.info().revision(),
                        annotator.info().device(), outgoing.size(), INPUT);
                long sentAt = System.currentTimeMillis();
                send(broker.bootstrapServers(), serde, outgoing, sentAt);
                show(out, broker.bootstrapServers(), serde, outgoing);
                showGroups(out, broker.bootstrapServers(), serde, outgoing);
                showStatsWindow(out, broker.bootstrapServers(), serde, sentAt);
                if (keepRunning) {
                    try (HttpEndpoint http = RunCommand.serveHttp("127.0.0.1", 0, metrics, annotator, () -> true);
                         RegistryHttpServer registry = RegistryHttpServer.start(
                                 MockSchemaRegistry.clientForScope(registryScope))) {
                        waitForCtrlC(out, broker.bootstrapServers(), http.port(), registry.url());
                    }
                }
            }
        }
        return 0;
    }

    /**
     * The lines of a JSON Lines file in the {@code score} format as events; a line that is not one is sent as raw
     * bytes, exactly as a misconfigured producer would, to show the dead-letter path.
     */
    static List<DemoEvents.Outgoing> fromJsonLines(List<String> lines) {
        List<DemoEvents.Outgoing> out = new ArrayList<>();
        for (int number = 1; number <= lines.size(); number++) {
            String line = lines.get(number - 1);
            if (line.isBlank()) {
                continue;
            }
            JsonlInput in = JsonlInput.parse(line, number);
            String key = in.id() != null ? in.id() : "line-" + number;
            out.add(in.error() == null ? DemoEvents.event(key, in.prompt(), in.response())
                    : new DemoEvents.Outgoing(key, null, line.getBytes(StandardCharsets.UTF_8)));
        }
        return out;
    }

    private static Map<String, Object> config(EmbeddedKafkaBroker broker, Path bundle, Map<String, Object> serde,
                                              Path work) {
        Map<String, Object> c = new HashMap<>();
        c.put(AnnotatorConfig.BOOTSTRAP_SERVERS, broker.bootstrapServers());
        c.put(AnnotatorConfig.APPLICATION_ID, "reward-annotator-demo");
        c.put(AnnotatorConfig.MODEL_DIR, bundle.toString());
        c.put(AnnotatorConfig.INPUT_TOPICS, INPUT);
        c.put(AnnotatorConfig.OUTPUT_TOPIC, OUTPUT);
        c.put(AnnotatorConfig.DEAD_LETTER_TOPIC, DEAD_LETTERS);
        c.put(AnnotatorConfig.SCHEMA_REGISTRY_URL, serde.get("schema.registry.url"));
        c.put(AnnotatorConfig.KAFKA_PREFIX + "state.dir", work.resolve("state").toString());
        c.put(AnnotatorConfig.KAFKA_PREFIX + "commit.interval.ms", 100);
        c.put(AnnotatorConfig.STATS_TOPIC, STATS);
        c.put(AnnotatorConfig.STATS_WINDOW_MS, STATS_WINDOW.toMillis());
        c.put(AnnotatorConfig.STATS_GRACE_MS, STATS_GRACE.toMillis());
        c.put(AnnotatorConfig.GROUP_ENABLED, true);
        c.put(AnnotatorConfig.GROUP_TOPIC, GROUPS);
        return c;
    }

    private static void send(String bootstrap, Map<String, Object> serde, List<DemoEvents.Outgoing> outgoing,
                             long timestamp) {
        SpecificAvroSerializer<GeneratedResponse> serializer = new SpecificAvroSerializer<>();
        serializer.configure(serde, false);
        Properties props = new Properties();
        props.put("bootstrap.servers", bootstrap);
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(props, new ByteArraySerializer(),
                new ByteArraySerializer())) {
            for (DemoEvents.Outgoing o : outgoing) {
                byte[] value = o.event() != null ? serializer.serialize(INPUT, o.event()) : o.raw();
                producer.send(new ProducerRecord<>(INPUT, null, timestamp, o.key().getBytes(StandardCharsets.UTF_8),
                        value));
            }
            producer.flush();
        }
    }

    /**
     * Reads both topics read-committed until every record sent has come out of one of them, and prints them in
     * the order they were sent.
     */
    private static void show(PrintWriter out, String bootstrap, Map<String, Object> serde,
                             List<DemoEvents.Outgoing> outgoing) {
        SpecificAvroDeserializer<ScoredResponse> deserializer = new SpecificAvroDeserializer<>(ScoredResponse.class);
        deserializer.configure(serde, false);
        List<ConsumerRecord<byte[], byte[]>> scored = new ArrayList<>();
        List<ConsumerRecord<byte[], byte[]>> dead = new ArrayList<>();
        int sent = outgoing.size();
        long deadline = System.nanoTime() + WAIT.toNanos();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(consumerProps(bootstrap, "demo-reader"),
                new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(OUTPUT, DEAD_LETTERS));
            while (scored.size() + dead.size() < sent && System.nanoTime() < deadline) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    (r.topic().equals(OUTPUT) ? scored : dead).add(r);
                }
            }
        }
        List<String> order = outgoing.stream().map(DemoEvents.Outgoing::key).toList();
        Comparator<ConsumerRecord<byte[], byte[]>> bySendOrder = Comparator.comparingInt(
                r -> order.indexOf(new String(r.key(), StandardCharsets.UTF_8)));
        scored.sort(bySendOrder);
        dead.sort(bySendOrder);
        DemoPrinter printer = new DemoPrinter(out);
        out.printf("Scored events (%s, %d):%n", OUTPUT, scored.size());
        scored.forEach(r -> printer.scored(deserializer.deserialize(OUTPUT, r.headers(), r.value())));
        out.printf("%nDead letters (%s, %d):%n", DEAD_LETTERS, dead.size());
        dead.forEach(printer::deadLetter);
        out.printf("%n%d sent = %d scored + %d dead-lettered%n", sent, scored.size(), dead.size());
        if (scored.size() + dead.size() < sent) {
            throw new IllegalStateException("only " + (scored.size() + dead.size()) + " of " + sent
                    + " records came out within " + WAIT.toSeconds() + " s");
        }
    }

    /** Reads the group topic until every group announced among the samples is out, and prints each. */
    private static void showGroups(PrintWriter out, String bootstrap, Map<String, Object> serde,
                                   List<DemoEvents.Outgoing> outgoing) {
        long expected = outgoing.stream().filter(o -> o.event() != null && o.event().getGroupSize() != null)
                .map(o -> o.event().getPromptId()).distinct().count();
        if (expected == 0) {
            return;
        }
        SpecificAvroDeserializer<ScoredGroup> deserializer = new SpecificAvroDeserializer<>(ScoredGroup.class);
        deserializer.configure(serde, false);
        List<ScoredGroup> groups = new ArrayList<>();
        long deadline = System.nanoTime() + WAIT.toNanos();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(consumerProps(bootstrap, "demo-group-reader"),
                new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(GROUPS));
            while (groups.size() < expected && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200))
                        .forEach(r -> groups.add(deserializer.deserialize(GROUPS, r.headers(), r.value())));
            }
        }
        if (groups.size() < expected) {
            throw new IllegalStateException("only " + groups.size() + " of " + expected + " groups came out within "
                    + WAIT.toSeconds() + " s");
        }
        out.printf("%nGroups of responses to one prompt (%s, %d):%n", GROUPS, groups.size());
        groups.sort(Comparator.comparing(ScoredGroup::getPromptId));
        groups.forEach(new DemoPrinter(out)::group);
    }

    /**
     * A window is emitted once a later outcome of its policy passes its end plus the grace: one more record,
     * stamped past that point, closes the window the samples fell in, and the demo prints what it measured.
     */
    private static void showStatsWindow(PrintWriter out, String bootstrap, Map<String, Object> serde, long sentAt) {
        DemoEvents.Outgoing closer = DemoEvents.windowCloser();
        send(bootstrap, serde, List.of(closer), sentAt + STATS_WINDOW.toMillis() + STATS_GRACE.toMillis());
        SpecificAvroDeserializer<RewardStats> deserializer = new SpecificAvroDeserializer<>(RewardStats.class);
        deserializer.configure(serde, false);
        long deadline = System.nanoTime() + WAIT.toNanos();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(consumerProps(bootstrap, "demo-stats-reader"),
                new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(STATS));
            while (System.nanoTime() < deadline) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    out.printf("%nReward-stats window (%s; closed by one more record, '%s', stamped %d s later):%n",
                            STATS, closer.key(), (STATS_WINDOW.toMillis() + STATS_GRACE.toMillis()) / 1000);
                    new DemoPrinter(out).stats(deserializer.deserialize(STATS, r.headers(), r.value()));
                    return;
                }
            }
        }
        throw new IllegalStateException("no reward-stats window came out within " + WAIT.toSeconds() + " s");
    }

    private static Properties consumerProps(String bootstrap, String group) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ConsumerConfig.GROUP_ID_CONFIG, group);
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        return props;
    }

    private static void waitForCtrlC(PrintWriter out, String bootstrap, int httpPort, String registryUrl)
            throws InterruptedException {
        out.printf("%nStill running, until Ctrl-C:%n"
                + "  Kafka:           %s (topics %s, %s, %s, %s, %s)%n"
                + "  schema registry: %s (Confluent REST API, read-only)%n"
                + "  metrics:         http://127.0.0.1:%d/metrics%n"
                + "  health:          http://127.0.0.1:%d/health/ready%n"
                + "Decode the scores elsewhere: kcat -b %s -t %s -s value=avro -r %s -C -e%n",
                bootstrap, INPUT, OUTPUT, DEAD_LETTERS, STATS, GROUPS, registryUrl, httpPort, httpPort, bootstrap, OUTPUT,
                registryUrl);
        out.flush();
        CountDownLatch stop = new CountDownLatch(1);
        ShutdownSignals.install().onTermination(stop::countDown);
        stop.await();
    }
}
