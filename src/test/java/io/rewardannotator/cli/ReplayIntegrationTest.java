package io.rewardannotator.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.rewardannotator.TestBundles;
import io.rewardannotator.app.AnnotatorConfig;
import io.rewardannotator.app.AnnotatorIntegrationTest;
import io.rewardannotator.app.KafkaTestClients;
import io.rewardannotator.app.Replay;
import io.rewardannotator.event.ChatMessage;
import io.rewardannotator.event.GeneratedResponse;
import io.rewardannotator.event.GroupMember;
import io.rewardannotator.event.ScoredGroup;
import io.rewardannotator.event.ScoredResponse;
import io.rewardannotator.kafka.KafkaCluster;
import io.rewardannotator.kafka.KafkaClusterExtension;
import io.rewardannotator.model.ModelBundle;
import io.rewardannotator.registry.RegistryHttpFixture;
import io.rewardannotator.registry.SpecificAvroSerializer;
import io.rewardannotator.replay.ReplayAdmin;
import io.rewardannotator.replay.ReplayApplicationId;
import io.rewardannotator.replay.ReplayPlan;
import io.rewardannotator.replay.ReplayPlanner;
import io.rewardannotator.replay.ReplayRange;
import io.rewardannotator.streams.AnnotationListener;
import io.rewardannotator.streams.TestEvents;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** The replay command against a real broker: time slices, resumption, empty slices, bad ranges, dry runs. */
@ExtendWith(KafkaClusterExtension.class)
class ReplayIntegrationTest {
    private static final Duration WAIT = Duration.ofSeconds(60);
    /** Record timestamps start here, a second apart: an hour ago, well inside any retention. */
    private static final long T0 = (System.currentTimeMillis() - 3_600_000L) / 1000 * 1000;
    private static final Pattern PLAN_ROW = Pattern.compile("(?m)^\\s+(\\d+)\\s+(\\d+)\\s+(\\d+)\\s+(\\d+)");

    private static KafkaCluster kafka;

    @TempDir
    Path tmp;

    @BeforeAll
    static void setUp(KafkaCluster cluster) {
        kafka = cluster;
    }

    /** Unique topics and registry scope per test (the broker is shared), and the replay's settings. */
    private record Setup(String in, String out, String dlq, Map<String, Object> serde) {
        static Setup create() {
            String id = UUID.randomUUID().toString().substring(0, 8);
            Setup s = new Setup("replay-in-" + id, "replay-out-" + id, "replay-dlq-" + id,
                    Map.of("schema.registry.url", "mock://replay-it-" + id));
            kafka.createTopics(3, s.in, s.out, s.dlq);
            return s;
        }

        Map<String, String> settings(Path stateDir) {
            Map<String, String> settings = new TreeMap<>();
            settings.put("dead.letter.topic", dlq);
            settings.put("schema.registry.url", serde.get("schema.registry.url").toString());
            settings.put("kafka.state.dir", stateDir.toString());
            settings.put("kafka.commit.interval.ms", "100");
            return settings;
        }

        /** {@code reward-annotator replay} over these topics with the tiny model, then {@code more}. */
        String[] args(Path stateDir, String... more) {
            List<String> args = new ArrayList<>(List.of("replay", "--input", in, "--output", out,
                    "--model", TestBundles.TINY.toString(), "--bootstrap-servers", kafka.bootstrapServers()));
            settings(stateDir).forEach((key, value) -> args.addAll(List.of("--set", key + "=" + value)));
            args.addAll(List.of(more));
            return args.toArray(String[]::new);
        }

        /** The configuration the command builds from {@link #args}. */
        AnnotatorConfig config(Path stateDir, String applicationId, Map<String, String> extra) {
            Map<String, Object> config = new HashMap<>(settings(stateDir));
            config.putAll(extra);
            config.put("bootstrap.servers", kafka.bootstrapServers());
            config.put("model.dir", TestBundles.TINY.toString());
            config.put("input.topics", in);
            config.put("output.topic", out);
            config.put("application.id", applicationId);
            return new AnnotatorConfig(config);
        }

        ProducerRecord<byte[], byte[]> event(GeneratedResponse event, long timestamp) {
            SpecificAvroSerializer<GeneratedResponse> serializer = new SpecificAvroSerializer<>();
            serializer.configure(serde, false);
            return raw(event.getResponseId(), serializer.serialize(in, event), timestamp);
        }

        ProducerRecord<byte[], byte[]> raw(String key, byte[] value, long timestamp) {
            return new ProducerRecord<>(in, null, timestamp, KafkaTestClients.key(key), value);
        }

        /** {@code events}, the i-th at T0 + i seconds. */
        void sendOneASecond(List<GeneratedResponse> events) {
            KafkaTestClients.send(kafka.bootstrapServers(), IntStream.range(0, events.size())
                    .mapToObj(i -> event(events.get(i), T0 + i * 1000L)).toList());
        }

        List<ConsumerRecord<byte[], ScoredResponse>> scored() {
            return KafkaTestClients.readToEnd(kafka.bootstrapServers(), out,
                    KafkaTestClients.scoredDeserializer(serde), WAIT);
        }
    }

    @Test
    void shouldRescoreExactlyTheRecordsOfATimeSliceWithTheGivenModel() {
        // 1. 30 events a second apart; an invalid event inside the slice, undecodable bytes after it
        Setup s = Setup.create();
        List<GeneratedResponse> events = TestEvents.valid("t", 30);
        List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
        for (int i = 0; i < events.size(); i++) {
            records.add(s.event(events.get(i), T0 + i * 1000L));
            if (i == 15) {
                records.add(s.event(TestEvents.event("bad-role", List.of(new ChatMessage("tool", "x")), "y",
                        "policy-a", "v1"), T0 + 15_500));
            }
            if (i == 25) {
                records.add(s.raw("poison", new byte[] {9, 9, 9, 9, 9, 9}, T0 + 25_500));
            }
        }
        KafkaTestClients.send(kafka.bootstrapServers(), records);

        // 2. replay [T0 + 10 s, T0 + 20 s): an ISO-8601 start, an epoch-millis end
        CliRun run = CliRun.of(s.args(tmp, "--from", Instant.ofEpochMilli(T0 + 10_000).toString(),
                "--to", Long.toString(T0 + 20_000)));

        // 3. events 10..19 exactly once, keyed as their input, each naming the model that scored it
        assertThat(run.exitCode()).as(run.err()).isZero();
        List<ConsumerRecord<byte[], ScoredResponse>> scored = s.scored();
        assertThat(scored).extracting(r -> r.value().getResponseId())
                .containsExactlyInAnyOrderElementsOf(IntStream.range(10, 20).mapToObj(i -> "t-" + i).toList());
        ModelBundle tiny = ModelBundle.load(TestBundles.TINY);
        for (ConsumerRecord<byte[], ScoredResponse> record : scored) {
            assertThat(KafkaTestClients.key(record)).isEqualTo(record.value().getResponseId());
            assertThat(record.value().getScorer().getModelName()).isEqualTo(tiny.manifest().name());
            assertThat(record.value().getScorer().getModelRevision()).isEqualTo("tiny-qrm-20240917-v1");
            assertThat(record.value().getScorer().getBundleDigest()).isEqualTo(tiny.digest());
        }
        // 4. the invalid event inside is dead-lettered; the undecodable bytes outside are not touched
        assertThat(KafkaTestClients.readToEnd(kafka.bootstrapServers(), s.dlq, new ByteArrayDeserializer(), WAIT))
                .extracting(KafkaTestClients::key).containsExactly("bad-role");
        assertThat(run.out()).contains("replay complete: 11 records", "scored:        10 with tiny-qrm-test",
                "dead-lettered: 1 (INVALID_ROLE: 1)");
    }

    @Test
    void shouldWriteTheGroupsOfTheSliceToTheReplaysOwnGroupTopic() {
        // 1. 12 events a second apart, as 6 preference pairs; the replay takes the first 8 seconds: 4 pairs
        Setup s = Setup.create();
        kafka.createTopics(3, s.out + "-groups");
        List<GeneratedResponse> events = TestEvents.valid("g", 12);
        for (int i = 0; i < events.size(); i++) {
            events.get(i).setPromptId("pair-" + i / 2);
            events.get(i).setGroupSize(2);
        }
        s.sendOneASecond(events);

        // 2. groups on, group topic by default: the output's name with -groups appended
        CliRun run = CliRun.of(s.args(tmp, "--from", Long.toString(T0), "--to", Long.toString(T0 + 8_000),
                "--set", "group.enabled=true"));

        // 3. each pair of the slice once, complete, with its two members
        assertThat(run.exitCode()).as(run.err()).isZero();
        List<ConsumerRecord<byte[], ScoredGroup>> groups = KafkaTestClients.readToEnd(kafka.bootstrapServers(),
                s.out + "-groups", KafkaTestClients.avroDeserializer(s.serde, ScoredGroup.class), WAIT);
        assertThat(groups).extracting(r -> r.value().getPromptId())
                .containsExactlyInAnyOrder("pair-0", "pair-1", "pair-2", "pair-3");
        assertThat(groups).allSatisfy(r -> {
            assertThat(r.value().getComplete()).isTrue();
            int pair = Integer.parseInt(r.value().getPromptId().substring("pair-".length()));
            assertThat(r.value().getMembers()).extracting(GroupMember::getResponseId)
                    .containsExactlyInAnyOrder("g-" + 2 * pair, "g-" + (2 * pair + 1));
        });
    }

    @Test
    void shouldStopWithTheRegistryCodeWhenTheRegistryCannotBeReachedForARecordsSchema() {
        // 1. a record of a schema id the replay has never seen, and a registry that accepts the output schemas
        //    at start-up but cannot be reached to look that id up
        Setup s = Setup.create();
        KafkaTestClients.send(kafka.bootstrapServers(),
                List.of(s.raw("new-id", new byte[] {0, 0, 0, 0x27, 0x0f, 2, 'x'}, T0)));
        try (RegistryHttpFixture registry = RegistryHttpFixture.start()) {
            registry.idLookupsUnavailable(true);

            // 2. the outage is waited out for schema.registry.outage.ms, then the replay stops
            // (a replaced stream thread's member stays in the group until its session times out: keep it short)
            CliRun run = CliRun.of(s.args(tmp, "--from", Long.toString(T0), "--set",
                    "schema.registry.url=" + registry.url(), "--set", "schema.registry.outage.ms=3000",
                    "--set", "kafka.consumer.session.timeout.ms=6000",
                    "--set", "kafka.consumer.heartbeat.interval.ms=1000"));

            // 3. exit 7 naming the registry, as `run` does, and the record is not dead-lettered
            assertThat(run.exitCode()).as(run.err()).isEqualTo(Main.EXIT_REGISTRY);
            assertThat(run.err()).contains("the schema registry at " + registry.url() + " could not be reached");
            assertThat(KafkaTestClients.readToEnd(kafka.bootstrapServers(), s.dlq, new ByteArrayDeserializer(),
                    WAIT)).isEmpty();
        }
    }

    @Test
    void shouldResumeAnInterruptedReplayAndWriteEachRecordExactlyOnce() {
        // 1. 40 events; the replay of all of them runs in-process, slowed down, and is stopped part way
        Setup s = Setup.create();
        List<GeneratedResponse> events = TestEvents.valid("r", 40);
        s.sendOneASecond(events);
        ModelBundle bundle = ModelBundle.load(TestBundles.TINY);
        String applicationId = ReplayApplicationId.derive(bundle.manifest().revision(), bundle.digest(), s.out);
        // one record per poll, so that the stream thread sees the close between records
        AnnotatorConfig config = s.config(tmp, applicationId, Map.of("kafka.max.poll.records", "1"));
        SlowListener slow = new SlowListener();
        try (ReplayAdmin admin = ReplayAdmin.open(config.adminClientProperties("replay-test-admin"), WAIT)) {
            ReplayPlan plan = new ReplayPlanner(admin).plan(s.in, ReplayRange.parse(Long.toString(T0), null),
                    applicationId);
            try (Replay first = Replay.start(config, bundle, plan, admin, slow, WAIT)) {
                await(() -> slow.scored.get() >= 5);
            }
        }
        int before = s.scored().size();

        // 2. the same replay from the command line
        CliRun resumed = CliRun.of(s.args(tmp, "--from", Long.toString(T0)));

        // 3. it resumed a part-done slice, and every event is in the output exactly once, in order per partition
        assertThat(before).as("outputs committed by the stopped run").isBetween(5, events.size() - 1);
        assertThat(resumed.exitCode()).as(resumed.err()).isZero();
        assertThat(resumed.out()).contains("resuming from the group's committed offsets", "replay complete");
        List<ConsumerRecord<byte[], ScoredResponse>> scored = s.scored();
        assertThat(scored).extracting(r -> r.value().getResponseId())
                .containsExactlyInAnyOrderElementsOf(events.stream().map(GeneratedResponse::getResponseId).toList());
        AnnotatorIntegrationTest.assertOrderedPerSourcePartition(scored);
    }

    @Test
    void shouldKeepBundlesOfOneRevisionApartAndRefuseAnotherFromForAStartedReplay() throws Exception {
        // 1. a replay of 6 events with the tiny bundle runs to the end
        Setup s = Setup.create();
        List<GeneratedResponse> events = TestEvents.valid("d", 6);
        s.sendOneASecond(events);
        CliRun first = CliRun.of(s.args(tmp.resolve("a"), "--from", Long.toString(T0)));
        assertThat(first.exitCode()).as(first.err()).isZero();

        // 2. a bundle with the same revision but another manifest (say, a fixed chat template) is a new replay
        Path other = TestBundles.copyOfTiny(tmp.resolve("other"));
        var manifest = TestBundles.readManifest(other);
        manifest.put("description", manifest.get("description").asText() + " (fixed)");
        TestBundles.writeManifest(other, manifest);
        List<String> args = new ArrayList<>(List.of(s.args(tmp.resolve("b"), "--from", Long.toString(T0))));
        args.set(args.indexOf(TestBundles.TINY.toString()), other.toString());
        CliRun second = CliRun.of(args.toArray(String[]::new));

        assertThat(second.exitCode()).as(second.err()).isZero();
        assertThat(second.out()).doesNotContain("resuming").contains("replay complete: 6 records");
        assertThat(s.scored()).hasSize(2 * events.size());

        // 3. the first replay again, from a later start: refused, with the way to start over
        CliRun later = CliRun.of(s.args(tmp.resolve("a"), "--from", Long.toString(T0 + 3_000)));

        assertThat(later.exitCode()).as(later.err()).isEqualTo(Main.EXIT_CONFIG);
        assertThat(later.err()).contains("--from disagrees").contains("began at 0")
                .contains("kafka-streams-application-reset.sh --application-id reward-annotator-replay-");
        assertThat(s.scored()).hasSize(2 * events.size());
    }

    @Test
    void shouldExitAtOnceWhenTheSliceIsEmpty() {
        Setup s = Setup.create();
        s.sendOneASecond(TestEvents.valid("e", 5));

        CliRun run = CliRun.of(s.args(tmp, "--from", Long.toString(T0 + 60_000)));

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).contains("total 0 records", "nothing to replay");
        assertNothingStarted(s);
    }

    @Test
    void shouldRejectABadRangeWithAClearMessageAndTheConfigurationExitCode() {
        Setup s = Setup.create();
        s.sendOneASecond(TestEvents.valid("b", 5));
        Setup missing = new Setup("no-such-topic-" + UUID.randomUUID(), s.out, s.dlq, s.serde);

        assertBadRange(CliRun.of(s.args(tmp, "--from", "2024-05-01T12:00:00Z", "--to", "2024-05-01T11:00:00Z")),
                "--to 2024-05-01T11:00:00Z is before --from 2024-05-01T12:00:00Z");
        assertBadRange(CliRun.of(s.args(tmp, "--from", "yesterday")), "--from 'yesterday' is not a time");
        assertBadRange(CliRun.of(s.args(tmp, "--from", "0:999")), "offset 999 of partition 0 is out of range");
        assertBadRange(CliRun.of(s.args(tmp, "--from", "7:0")), "has no partition 7");
        CliRun noTopic = CliRun.of(missing.args(tmp, "--from", "0"));
        assertThat(noTopic.exitCode()).as(noTopic.err()).isEqualTo(Main.EXIT_KAFKA);
        assertThat(noTopic.err()).contains(missing.in).contains("do not exist");
        assertNothingStarted(s);
    }

    @Test
    void shouldListPartitionsOffsetsAndCountsOnADryRun() {
        // 1. 30 events a second apart, spread over three partitions by key
        Setup s = Setup.create();
        s.sendOneASecond(TestEvents.valid("d", 30));
        Map<Integer, List<ConsumerRecord<byte[], byte[]>>> byPartition = new TreeMap<>();
        KafkaTestClients.readToEnd(kafka.bootstrapServers(), s.in, new ByteArrayDeserializer(), WAIT)
                .forEach(r -> byPartition.computeIfAbsent(r.partition(), p -> new ArrayList<>()).add(r));

        // 2. a dry run by time, and one by offsets
        CliRun byTime = CliRun.of(s.args(tmp, "--dry-run", "--from", Instant.ofEpochMilli(T0 + 5_000).toString(),
                "--to", Instant.ofEpochMilli(T0 + 25_000).toString()));
        CliRun byOffsets = CliRun.of(s.args(tmp, "--dry-run", "--from", "0:1,2:0"));

        // 3. each partition's first offset in the slice, its bound and its count; nothing started
        assertThat(byTime.exitCode()).as(byTime.err()).isZero();
        Map<Integer, List<Long>> expected = new TreeMap<>();
        byPartition.forEach((partition, records) -> {
            List<Long> inside = records.stream()
                    .filter(r -> r.timestamp() >= T0 + 5_000 && r.timestamp() < T0 + 25_000)
                    .map(ConsumerRecord::offset).toList();
            expected.put(partition, List.of(inside.get(0), inside.get(inside.size() - 1) + 1, (long) inside.size()));
        });
        assertThat(planRows(byTime.out())).containsExactlyInAnyOrderEntriesOf(expected);
        assertThat(byTime.out()).contains("total 20 records", "dry run: nothing was read, written or committed");

        assertThat(byOffsets.exitCode()).as(byOffsets.err()).isZero();
        long sizeOf0 = byPartition.get(0).size();
        long sizeOf1 = byPartition.get(1).size();
        long sizeOf2 = byPartition.get(2).size();
        assertThat(planRows(byOffsets.out())).containsExactlyInAnyOrderEntriesOf(Map.of(
                0, List.of(1L, sizeOf0, sizeOf0 - 1),
                1, List.of(sizeOf1, sizeOf1, 0L),
                2, List.of(0L, sizeOf2, sizeOf2)));
        assertThat(byOffsets.out()).contains("total " + (sizeOf0 - 1 + sizeOf2) + " records");
        assertNothingStarted(s);
    }

    /** partition -> {start, end, records}, from the plan table a run printed. */
    private static Map<Integer, List<Long>> planRows(String out) {
        Map<Integer, List<Long>> rows = new TreeMap<>();
        Matcher m = PLAN_ROW.matcher(out);
        while (m.find()) {
            rows.put(Integer.parseInt(m.group(1)),
                    List.of(Long.parseLong(m.group(2)), Long.parseLong(m.group(3)), Long.parseLong(m.group(4))));
        }
        return rows;
    }

    private static void assertBadRange(CliRun run, String message) {
        assertThat(run.exitCode()).as(run.err()).isEqualTo(Main.EXIT_CONFIG);
        assertThat(run.err()).contains(message);
    }

    /** No offsets were committed for the replay's group, and nothing was written. */
    private void assertNothingStarted(Setup s) {
        ModelBundle tiny = ModelBundle.load(TestBundles.TINY);
        String applicationId = ReplayApplicationId.derive(tiny.manifest().revision(), tiny.digest(), s.out);
        try (ReplayAdmin admin = ReplayAdmin.open(s.config(tmp, applicationId, Map.of()).adminClientProperties("replay-test-admin"), WAIT)) {
            assertThat(admin.committed(applicationId)).isEmpty();
        }
        assertThat(s.scored()).isEmpty();
    }

    private static void await(BooleanSupplier condition) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("condition not met within " + WAIT).isLessThan(deadline);
            LockSupport.parkNanos(Duration.ofMillis(20).toNanos());
        }
    }

    /** Counts scored records and takes 50 ms over each, so that a replay can be stopped part way. */
    private static final class SlowListener implements AnnotationListener {
        final AtomicInteger scored = new AtomicInteger();

        @Override
        public void scored(String policyName, String policyVersion, int tokens, long latencyMillis) {
            scored.incrementAndGet();
            LockSupport.parkNanos(Duration.ofMillis(50).toNanos());
        }
    }
}
