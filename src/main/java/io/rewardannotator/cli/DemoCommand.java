package io.rewardannotator.cli;

import io.rewardannotator.app.Annotator;
import io.rewardannotator.app.AnnotatorConfig;
import io.rewardannotator.app.ShutdownSignals;
import io.rewardannotator.devkit.BundledModel;
import io.rewardannotator.devkit.DemoEvents;
import io.rewardannotator.devkit.EmbeddedKafkaBroker;
import io.rewardannotator.event.GeneratedResponse;
import io.rewardannotator.event.ScoredResponse;
import io.rewardannotator.registry.SpecificAvroDeserializer;
import io.rewardannotator.registry.SpecificAvroSerializer;
import io.rewardannotator.streams.AnnotationListener;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
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
    private static final Duration WAIT = Duration.ofMinutes(2);

    @Spec
    CommandSpec spec;

    @Option(names = "--model", paramLabel = "DIR", description = "A model bundle (default: the tiny bundled model).")
    Path model;

    @Option(names = "--events", paramLabel = "FILE.jsonl", description = "Conversations to send, in the score input format.")
    Path events;

    @Option(names = "--keep-running", description = "Leave the broker up (and print its address) until Ctrl-C.")
    boolean keepRunning;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        Path work = Files.createTempDirectory("reward-annotator-demo-");
        Path bundle = model != null ? model : BundledModel.extractTo(work.resolve("tiny-qrm"));
        if (model == null) {
            out.println("Using the tiny bundled model: random weights, so its rewards are MEANINGLESS. "
                    + "Score with a real bundle: demo --model DIR (see README, 'Model bundles').");
        }
        List<DemoEvents.Outgoing> outgoing = events == null ? DemoEvents.samples()
                : DemoEvents.fromJsonLines(Files.readAllLines(events, StandardCharsets.UTF_8));
        Map<String, Object> serde = Map.of("schema.registry.url", "mock://demo-" + UUID.randomUUID());
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start()) {
            broker.createTopics(3, INPUT, OUTPUT, DEAD_LETTERS, STATS);
            out.println("Kafka broker running in this JVM at " + broker.bootstrapServers());
            try (Annotator annotator = Annotator.start(new AnnotatorConfig(config(broker, bundle, serde, work)),
                    AnnotationListener.NONE, WAIT)) {
                out.printf("Annotator running: %s (%s) on %s; sending %d records to %s%n%n", annotator.info().name(),
                        annotator.info().revision(), annotator.info().device(), outgoing.size(), INPUT);
                send(broker.bootstrapServers(), serde, outgoing);
                show(out, broker.bootstrapServers(), serde, outgoing.size());
                if (keepRunning) {
                    waitForCtrlC(out, broker.bootstrapServers());
                }
            }
        }
        return 0;
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
        return c;
    }

    private static void send(String bootstrap, Map<String, Object> serde, List<DemoEvents.Outgoing> outgoing) {
        SpecificAvroSerializer<GeneratedResponse> serializer = new SpecificAvroSerializer<>();
        serializer.configure(serde, false);
        Properties props = new Properties();
        props.put("bootstrap.servers", bootstrap);
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(props, new ByteArraySerializer(),
                new ByteArraySerializer())) {
            for (DemoEvents.Outgoing o : outgoing) {
                byte[] value = o.event() != null ? serializer.serialize(INPUT, o.event()) : o.raw();
                producer.send(new ProducerRecord<>(INPUT, o.key().getBytes(StandardCharsets.UTF_8), value));
            }
            producer.flush();
        }
    }

    /** Reads both topics read-committed until every record sent has come out of one of them, and prints them. */
    private static void show(PrintWriter out, String bootstrap, Map<String, Object> serde, int sent) {
        SpecificAvroDeserializer<ScoredResponse> deserializer = new SpecificAvroDeserializer<>(ScoredResponse.class);
        deserializer.configure(serde, false);
        List<ConsumerRecord<byte[], byte[]>> scored = new ArrayList<>();
        List<ConsumerRecord<byte[], byte[]>> dead = new ArrayList<>();
        long deadline = System.nanoTime() + WAIT.toNanos();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(consumerProps(bootstrap),
                new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(OUTPUT, DEAD_LETTERS));
            while (scored.size() + dead.size() < sent && System.nanoTime() < deadline) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    (r.topic().equals(OUTPUT) ? scored : dead).add(r);
                }
            }
        }
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

    private static Properties consumerProps(String bootstrap) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ConsumerConfig.GROUP_ID_CONFIG, "demo-reader");
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        return props;
    }

    private static void waitForCtrlC(PrintWriter out, String bootstrap) throws InterruptedException {
        out.printf("%nThe broker stays up at %s (topics %s, %s, %s; registry mock:// in this JVM only). "
                + "Press Ctrl-C to stop.%n", bootstrap, INPUT, OUTPUT, DEAD_LETTERS);
        out.flush();
        CountDownLatch stop = new CountDownLatch(1);
        ShutdownSignals.install().onTermination(stop::countDown);
        stop.await();
    }
}
