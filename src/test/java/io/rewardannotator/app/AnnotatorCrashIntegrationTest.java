package io.rewardannotator.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.rewardannotator.TestBundles;
import io.rewardannotator.event.GeneratedResponse;
import io.rewardannotator.event.GroupMember;
import io.rewardannotator.event.ScoredGroup;
import io.rewardannotator.event.ScoredResponse;
import io.rewardannotator.kafka.KafkaCluster;
import io.rewardannotator.kafka.KafkaClusterExtension;
import io.rewardannotator.registry.RegistryHttpFixture;
import io.rewardannotator.streams.TestEvents;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kills an annotator JVM with SIGKILL in the middle of its work (no shutdown, no commit) and starts another:
 * every input must appear exactly once in the committed output, and every group of responses to one prompt
 * (members spread over the input partitions, some groups open at the kill) exactly once in the group topic, with
 * its members.
 */
@ExtendWith(KafkaClusterExtension.class)
class AnnotatorCrashIntegrationTest {
    private static final Duration WAIT = Duration.ofSeconds(120);
    private static final int EVENTS = 600;
    private static final int GROUP_SIZE = 4;

    @TempDir
    Path tmp;

    @Test
    void shouldScoreEveryEventExactlyOnceWhenAnInstanceIsKilledMidBatch(KafkaCluster kafka) throws Exception {
        try (RegistryHttpFixture registry = RegistryHttpFixture.start()) {
            // 1. topics, a registry both JVMs reach, and the annotator's configuration
            kafka.createTopics(3, "crash-in", "crash-out", "crash-dlq", "crash-stats", "crash-groups");
            Map<String, Object> serde = Map.of("schema.registry.url", registry.url());
            Path config = writeConfig(kafka.bootstrapServers(), registry.url());
            List<GeneratedResponse> events = TestEvents.valid("crash", EVENTS);
            for (int i = 0; i < EVENTS; i++) {
                events.get(i).setPromptId("crash-prompt-" + i / GROUP_SIZE);
                events.get(i).setGroupSize(GROUP_SIZE);
            }

            // 2. events arrive steadily while the first instance works
            CompletableFuture<Void> producing = CompletableFuture.runAsync(() -> {
                for (int i = 0; i < EVENTS; i += 20) {
                    KafkaTestClients.produce(kafka.bootstrapServers(), serde, "crash-in", events.subList(i, i + 20));
                }
            });
            ChildJvm first = ChildJvm.start("crash-first", Map.of(), "run", "--config", config.toString());
            List<ConsumerRecord<byte[], ScoredResponse>> before = KafkaTestClients.readScored(
                    kafka.bootstrapServers(), serde, "crash-out", r -> r.size() >= 100, WAIT);
            assertThat(before).as("the first instance scored before it was killed; its log:%n%s", first.tail())
                    .hasSizeGreaterThanOrEqualTo(100);

            // 3. SIGKILL: no shutdown hook, no commit of whatever it holds
            first.process().destroyForcibly().waitFor(30, TimeUnit.SECONDS);
            ChildJvm second = ChildJvm.start("crash-second", Map.of(), "run", "--config", config.toString());
            try {
                producing.get(60, TimeUnit.SECONDS);

                // 4. once every event is out, stop the instance and read the whole committed output: a late
                // duplicate would be in it
                KafkaTestClients.readScored(kafka.bootstrapServers(), serde, "crash-out", r -> r.size() >= EVENTS,
                        WAIT);
                second.process().destroy();
                second.process().waitFor(60, TimeUnit.SECONDS);
                List<ConsumerRecord<byte[], ScoredResponse>> all = KafkaTestClients.readToEnd(
                        kafka.bootstrapServers(), "crash-out", KafkaTestClients.scoredDeserializer(serde), WAIT);
                assertThat(all).extracting(r -> r.value().getResponseId()).doesNotHaveDuplicates()
                        .containsExactlyInAnyOrderElementsOf(
                                events.stream().map(GeneratedResponse::getResponseId).toList());
                AnnotatorIntegrationTest.assertOrderedPerSourcePartition(all);

                List<ConsumerRecord<byte[], ScoredGroup>> groups = KafkaTestClients.readToEnd(
                        kafka.bootstrapServers(), "crash-groups",
                        KafkaTestClients.avroDeserializer(serde, ScoredGroup.class), WAIT);
                assertThat(groups).extracting(r -> r.value().getPromptId()).doesNotHaveDuplicates()
                        .hasSize(EVENTS / GROUP_SIZE);
                for (ConsumerRecord<byte[], ScoredGroup> group : groups) {
                    assertThat(group.value().getComplete()).isTrue();
                    assertThat(group.value().getMembers()).extracting(GroupMember::getResponseId)
                            .containsExactlyInAnyOrderElementsOf(events.stream()
                                    .filter(e -> e.getPromptId().equals(group.value().getPromptId()))
                                    .map(GeneratedResponse::getResponseId).toList());
                }
            } finally {
                second.process().destroy();
                second.process().waitFor(60, TimeUnit.SECONDS);
            }
        }
    }

    private Path writeConfig(String bootstrap, String registryUrl) throws IOException {
        return Files.writeString(tmp.resolve("annotator.properties"), String.join("\n",
                "bootstrap.servers=" + bootstrap,
                "application.id=crash-test",
                "model.dir=" + TestBundles.TINY,
                "input.topics=crash-in",
                "output.topic=crash-out",
                "dead.letter.topic=crash-dlq",
                "stats.topic=crash-stats",
                "group.enabled=true",
                "group.topic=crash-groups",
                "schema.registry.url=" + registryUrl,
                "num.stream.threads=2",
                "http.port=0",
                "max.in.flight.per.task=64",
                "kafka.commit.interval.ms=200",
                // the killed instance's members leave the group only when their session expires
                "kafka.consumer.session.timeout.ms=6000",
                "kafka.consumer.heartbeat.interval.ms=1000",
                "kafka.state.dir=" + tmp.resolve("state"),
                ""));
    }
}
