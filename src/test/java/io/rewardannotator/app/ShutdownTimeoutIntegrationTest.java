package io.rewardannotator.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.rewardannotator.kafka.KafkaCluster;
import io.rewardannotator.kafka.KafkaClusterExtension;
import io.rewardannotator.scoring.InjectedScorers;
import io.rewardannotator.scoring.ScoringService;
import io.rewardannotator.streams.AnnotationListener;
import io.rewardannotator.streams.TestEvents;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * A stream thread that outlives {@code shutdown.timeout.ms} (it waits for a scorer stuck on the device): close
 * says so (the run command then exits 8), and the scorer is left open under the thread rather than freed under a
 * run in progress.
 */
@ExtendWith(KafkaClusterExtension.class)
class ShutdownTimeoutIntegrationTest {
    private static final Duration WAIT = Duration.ofSeconds(90);

    @TempDir
    Path tmp;

    @Test
    void shouldReportAStreamThreadThatOutlivesTheShutdownTimeoutAndLeaveTheScorerOpen(KafkaCluster kafka)
            throws Exception {
        String id = UUID.randomUUID().toString().substring(0, 8);
        Map<String, Object> config = AnnotatorTestConfig.of(kafka, "shutdown", id, 1, tmp);
        Map<String, Object> serde = AnnotatorTestConfig.serde(config);
        // the second record makes the stream thread wait for the first, for up to 5 s
        config.put(AnnotatorConfig.MAX_IN_FLIGHT_PER_TASK, 1);
        config.put(AnnotatorConfig.MAX_BLOCK_MS, 5_000);
        CountDownLatch modelRunning = new CountDownLatch(1);
        CountDownLatch device = new CountDownLatch(1);
        ScoringService scorer = InjectedScorers.tiny(InjectedScorers.capacity(16), rows -> {
            modelRunning.countDown();
            try {
                device.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        Annotator annotator = Annotator.start(new AnnotatorConfig(config), scorer, AnnotationListener.NONE, WAIT);
        try {
            KafkaTestClients.produce(kafka.bootstrapServers(), serde, "in-" + id, TestEvents.valid("s", 3));
            assertThat(modelRunning.await(WAIT.toSeconds(), TimeUnit.SECONDS)).as("the model run began").isTrue();

            boolean stoppedInTime = annotator.close(Duration.ofMillis(500));

            assertThat(stoppedInTime).as("the stream thread was still waiting for scores").isFalse();
            assertThat(scorer.tryScore(scorer.encode(TestEvents.conversation(TestEvents.event("open", "q", "a"))), Duration.ZERO))
                    .as("the scorer is not closed under the waiting thread").isPresent();
        } finally {
            device.countDown();
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (annotator.streams().state() != KafkaStreams.State.NOT_RUNNING && System.nanoTime() < deadline) {
                annotator.streams().close(Duration.ofSeconds(1));
            }
            scorer.close();
        }
    }
}
