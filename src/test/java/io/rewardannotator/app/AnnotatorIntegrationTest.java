package io.rewardannotator.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.rewardannotator.TestBundles;
import io.rewardannotator.event.ChatMessage;
import io.rewardannotator.event.GeneratedResponse;
import io.rewardannotator.event.ScoredResponse;
import io.rewardannotator.kafka.KafkaCluster;
import io.rewardannotator.kafka.KafkaClusterExtension;
import io.rewardannotator.model.ModelBundle;
import io.rewardannotator.model.SessionSettings;
import io.rewardannotator.scoring.ScoringConfig;
import io.rewardannotator.scoring.ScoringListener;
import io.rewardannotator.scoring.ScoringService;
import io.rewardannotator.streams.AnnotationListener;
import io.rewardannotator.streams.DeadLetters;
import io.rewardannotator.streams.TestEvents;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** The annotator against a real broker: end to end, dead letters, ordering, a rebalance. */
@ExtendWith(KafkaClusterExtension.class)
public class AnnotatorIntegrationTest {
    private static final Duration WAIT = Duration.ofSeconds(90);

    private static KafkaCluster kafka;
    private static ScoringService reference;

    @TempDir
    Path tmp;

    @BeforeAll
    static void setUp(KafkaCluster cluster) {
        kafka = cluster;
        reference = ScoringService.open(ModelBundle.load(TestBundles.TINY), SessionSettings.cpuDefaults(),
                ScoringConfig.defaults(), ScoringListener.NONE);
    }

    @AfterAll
    static void tearDown() {
        reference.close();
    }

    /** Unique topics, application id and registry scope per test: the broker is shared. */
    private record Setup(String in, String out, String dlq, String appId, Map<String, Object> serde) {
        static Setup create(KafkaCluster kafka) {
            String id = UUID.randomUUID().toString().substring(0, 8);
            Setup s = new Setup("in-" + id, "out-" + id, "dlq-" + id, "annotator-" + id,
                    Map.of("schema.registry.url", "mock://it-" + id));
            kafka.createTopics(3, s.in, s.out, s.dlq);
            return s;
        }

        Map<String, Object> config(Path stateDir, int threads) {
            Map<String, Object> c = new HashMap<>();
            c.put("bootstrap.servers", kafka.bootstrapServers());
            c.put("application.id", appId);
            c.put("model.dir", TestBundles.TINY.toString());
            c.put("input.topics", in);
            c.put("output.topic", out);
            c.put("dead.letter.topic", dlq);
            c.put("schema.registry.url", serde.get("schema.registry.url"));
            c.put("num.stream.threads", threads);
            c.put("kafka.state.dir", stateDir.toString());
            c.put("kafka.commit.interval.ms", 100);
            return c;
        }
    }

    @Test
    void shouldScoreEveryEventExactlyOnceAndDeadLetterTheRest() throws Exception {
        // 1. topics and a running annotator with two stream threads over three partitions
        Setup s = Setup.create(kafka);
        List<GeneratedResponse> valid = TestEvents.valid("e2e", 150);
        try (Annotator annotator = Annotator.start(new AnnotatorConfig(s.config(tmp, 2)), AnnotationListener.NONE,
                WAIT)) {
            // 2. valid events, poison bytes and invalid events
            KafkaTestClients.produce(kafka.bootstrapServers(), s.serde, s.in, valid);
            KafkaTestClients.produceRaw(kafka.bootstrapServers(), s.in, "poison-magic", new byte[] {9, 9, 9, 9, 9, 9});
            KafkaTestClients.produceRaw(kafka.bootstrapServers(), s.in, "poison-short", new byte[] {0, 1});
            KafkaTestClients.produce(kafka.bootstrapServers(), s.serde, s.in, List.of(
                    TestEvents.event("bad-role", List.of(new ChatMessage("tool", "x")), "y", "policy-a", "v1")));
            int produced = valid.size() + 3;

            // 3. what a downstream consumer sees, read committed: once all is out, the annotator stops and the whole
            // output is read, so a late duplicate would be in it
            KafkaTestClients.readScored(kafka.bootstrapServers(), s.serde, s.out, r -> r.size() >= valid.size(),
                    WAIT);
            KafkaTestClients.readRaw(kafka.bootstrapServers(), s.dlq, r -> r.size() >= 3, WAIT);
            annotator.close();
            List<ConsumerRecord<byte[], ScoredResponse>> scored = KafkaTestClients.readToEnd(
                    kafka.bootstrapServers(), s.out, KafkaTestClients.scoredDeserializer(s.serde), WAIT);
            List<ConsumerRecord<byte[], byte[]>> dead = KafkaTestClients.readToEnd(kafka.bootstrapServers(), s.dlq,
                    new ByteArrayDeserializer(), WAIT);

            // 4. every event exactly once, with the engine's own score
            assertThat(scored).hasSize(valid.size());
            assertThat(scored.size() + dead.size()).isEqualTo(produced);
            Map<String, GeneratedResponse> byId = valid.stream()
                    .collect(Collectors.toMap(GeneratedResponse::getResponseId, e -> e));
            Set<String> seen = new java.util.HashSet<>();
            for (ConsumerRecord<byte[], ScoredResponse> record : scored) {
                ScoredResponse out = record.value();
                assertThat(seen.add(out.getResponseId())).as("duplicate " + out.getResponseId()).isTrue();
                assertThat(KafkaTestClients.key(record)).isEqualTo(out.getResponseId());
                GeneratedResponse in = byId.get(out.getResponseId());
                double direct = reference.score(reference.encode(
                        io.rewardannotator.streams.TestEvents.conversation(in))).join().score();
                assertThat(out.getReward().getScore()).isCloseTo(direct, within(1e-5));
            }
            assertThat(dead).extracting(KafkaTestClients::key)
                    .containsExactlyInAnyOrder("poison-magic", "poison-short", "bad-role");
            assertThat(header(dead, "bad-role", DeadLetters.REASON)).isEqualTo("INVALID_ROLE");
            assertThat(header(dead, "poison-magic", DeadLetters.STAGE)).isEqualTo("deserialize");
            assertOrderedPerSourcePartition(scored);
        }
    }

    @Test
    void shouldNeitherLoseNorDuplicateWhenAnInstanceJoinsAndLeaves() throws Exception {
        Setup s = Setup.create(kafka);
        List<GeneratedResponse> all = TestEvents.valid("rb", 240);
        try (Annotator first = Annotator.start(new AnnotatorConfig(s.config(tmp.resolve("a"), 1)),
                AnnotationListener.NONE, WAIT)) {
            KafkaTestClients.produce(kafka.bootstrapServers(), s.serde, s.in, all.subList(0, 80));
            Annotator second = Annotator.start(new AnnotatorConfig(s.config(tmp.resolve("b"), 1)),
                    AnnotationListener.NONE, WAIT);
            KafkaTestClients.produce(kafka.bootstrapServers(), s.serde, s.in, all.subList(80, 160));
            KafkaTestClients.readScored(kafka.bootstrapServers(), s.serde, s.out, r -> r.size() >= 100, WAIT);
            second.close(Duration.ofSeconds(30));
            KafkaTestClients.produce(kafka.bootstrapServers(), s.serde, s.in, all.subList(160, 240));

            KafkaTestClients.readScored(kafka.bootstrapServers(), s.serde, s.out, r -> r.size() >= all.size(), WAIT);
            first.close();
            List<ConsumerRecord<byte[], ScoredResponse>> scored = KafkaTestClients.readToEnd(
                    kafka.bootstrapServers(), s.out, KafkaTestClients.scoredDeserializer(s.serde), WAIT);

            assertThat(scored).extracting(r -> r.value().getResponseId())
                    .containsExactlyInAnyOrderElementsOf(all.stream().map(GeneratedResponse::getResponseId).toList());
            assertOrderedPerSourcePartition(scored);
        }
    }

    @Test
    void shouldLeaveTheGroupWhenItStopsUnlessItIsAStaticMember() throws Exception {
        // 1. a dynamic member and a static one (group.instance.id), each in a group of its own
        Setup dynamic = Setup.create(kafka);
        Setup fixed = Setup.create(kafka);
        Map<String, Object> staticConfig = fixed.config(tmp.resolve("static"), 1);
        staticConfig.put(AnnotatorConfig.GROUP_INSTANCE_ID, "pod-0");

        // 2. each starts and stops cleanly
        Annotator.start(new AnnotatorConfig(dynamic.config(tmp.resolve("dynamic"), 1)), AnnotationListener.NONE,
                WAIT).close();
        Annotator.start(new AnnotatorConfig(staticConfig), AnnotationListener.NONE, WAIT).close();

        // 3. the dynamic member is gone at once, so a restart does not wait out its session timeout; the static one
        // stays, to take its tasks back without a rebalance
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()))) {
            assertThat(members(admin, dynamic.appId)).isEmpty();
            assertThat(members(admin, fixed.appId)).singleElement()
                    .satisfies(member -> assertThat(member.groupInstanceId()).hasValueSatisfying(
                            id -> assertThat(id).startsWith("pod-0")));
        }
    }

    private static Collection<MemberDescription> members(Admin admin, String group) throws Exception {
        return admin.describeConsumerGroups(List.of(group)).describedGroups().get(group).get().members();
    }

    /** Within each input partition, outputs leave in input order. */
    public static void assertOrderedPerSourcePartition(List<? extends ConsumerRecord<byte[], ?>> records) {
        Map<String, List<Long>> offsets = new HashMap<>();
        for (ConsumerRecord<byte[], ?> r : records) {
            String partition = header(r, "reward-annotator.source.partition");
            offsets.computeIfAbsent(partition, p -> new ArrayList<>())
                    .add(Long.parseLong(header(r, "reward-annotator.source.offset")));
        }
        offsets.values().forEach(list -> assertThat(list).isSorted());
    }

    private static String header(List<ConsumerRecord<byte[], byte[]>> records, String key, String name) {
        return header(records.stream().filter(r -> KafkaTestClients.key(r).equals(key)).findFirst().orElseThrow(),
                name);
    }

    private static String header(ConsumerRecord<byte[], ?> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }
}
