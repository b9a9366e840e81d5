package io.rewardannotator.scoring;

import static org.assertj.core.api.Assertions.assertThat;

import io.rewardannotator.model.RawRewards;
import io.rewardannotator.text.EncodedConversation;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** The order in which the service runs batches, observed through a stand-in model that records each batch. */
class ScoringServiceRoundsTest {
    private static final int Q = 19;
    private static final ScorerInfo INFO = new ScorerInfo("stand-in", "r1", "digest", "cpu",
            IntStream.rangeClosed(1, Q).mapToObj(i -> i / 20.0).toList(),
            IntStream.range(0, Q).mapToObj(i -> "a" + i).toList());

    @Test
    void shouldRunShortRequestArrivingMidRoundAfterTheBatchInProgressNotAfterTheRound() throws Exception {
        // given a round of three 1,000-token requests, one per batch, the first batch held until we release it
        CountDownLatch firstStarted = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        List<Integer> batchLengths = Collections.synchronizedList(new ArrayList<>());
        BatchInference inference = batch -> {
            firstStarted.countDown();
            awaitQuietly(release);
            batchLengths.add(batch.paddedLength());
            return zeros(batch.batchSize());
        };
        // the round starts once 3,000 tokens are queued (or after a minute)
        ScoringConfig config = ScoringConfig.defaults().withMaxBatchTokens(3000).withMaxBatchSize(1)
                .withMaxLinger(Duration.ofMinutes(1));
        try (ScoringService service = new ScoringService(INFO, null, inference, 0, config,
                new TokenBudgetPlanner(3000, 1), ScoringListener.NONE, List.of())) {
            List<CompletableFuture<RewardResult>> futures = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                futures.add(service.score(request(1000)));
            }
            assertThat(firstStarted.await(30, TimeUnit.SECONDS)).isTrue();

            // when a short request arrives while the round's first batch runs
            futures.add(service.score(request(50)));
            release.countDown();
            CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
        }

        // then it runs right after that batch, before the round's other two
        assertThat(batchLengths).containsExactly(1000, 50, 1000, 1000);
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static EncodedConversation request(int length) {
        return new EncodedConversation(new long[length], length / 2, 0);
    }

    private static RawRewards zeros(int rows) {
        return new RawRewards(rows, Q, Q, new float[rows], new float[rows * Q], new float[rows * Q],
                new float[rows * Q]);
    }
}
