package io.rewardannotator.scoring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.onnxruntime.OrtException;
import io.rewardannotator.TestBundles;
import io.rewardannotator.model.ModelBundle;
import io.rewardannotator.model.OnnxRewardModel;
import io.rewardannotator.model.RawRewards;
import io.rewardannotator.model.SessionSettings;
import io.rewardannotator.text.ChatMessage;
import io.rewardannotator.text.Conversation;
import io.rewardannotator.text.EncodedConversation;
import io.rewardannotator.text.InputRejectedException;
import io.rewardannotator.text.RejectionReason;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class ScoringServiceTest {
    private static final long PAD = 128256;
    private static final long POISON_ID = 127_999;

    private static ModelBundle bundle;
    private static OnnxRewardModel model;
    private static List<EncodedConversation> inputs;

    @BeforeAll
    static void setUp() throws InputRejectedException {
        bundle = ModelBundle.load(TestBundles.TINY);
        model = OnnxRewardModel.open(bundle, SessionSettings.cpuDefaults());
        inputs = new ArrayList<>();
        try (ScoringService service = open(ScoringConfig.defaults())) {
            Random random = new Random(3);
            for (int i = 0; i < 40; i++) {
                inputs.add(service.encode(conversation(random, i)));
            }
        }
    }

    @AfterAll
    static void tearDown() {
        model.close();
    }

    private static Conversation conversation(Random random, int i) {
        List<ChatMessage> prompt = new ArrayList<>();
        if (i % 3 == 0) {
            prompt.add(ChatMessage.system("You are assistant number " + i + "."));
        }
        int exchanges = random.nextInt(3);
        for (int e = 0; e < exchanges; e++) {
            prompt.add(ChatMessage.user("Earlier question " + e + " " + "word ".repeat(random.nextInt(30))));
            prompt.add(ChatMessage.assistant("Earlier answer " + e));
        }
        prompt.add(ChatMessage.user("Question " + i + ": " + "why ".repeat(1 + random.nextInt(60))));
        return new Conversation(prompt, "Answer " + i + " " + "because ".repeat(random.nextInt(120)));
    }

    private static ScoringService open(ScoringConfig config) {
        return ScoringService.open(bundle, SessionSettings.cpuDefaults(), config, ScoringListener.NONE);
    }

    /** A service over the shared model whose inference is {@code inference}: for failure injection. */
    private static ScoringService withInference(BatchInference inference, ScoringConfig config) {
        return new ScoringService(info(), null, inference, PAD, config,
                new TokenBudgetPlanner(config.maxBatchTokens(), config.maxBatchSize()), ScoringListener.NONE,
                List.of());
    }

    private static ScorerInfo info() {
        var m = bundle.manifest();
        return new ScorerInfo(m.name(), m.revision(), bundle.digest(), "cpu", m.quantileLevels(), m.attributes());
    }

    private static List<RewardResult> scoreAll(RewardScorer scorer, List<EncodedConversation> requests) {
        List<CompletableFuture<RewardResult>> futures = requests.stream().map(scorer::score).toList();
        return futures.stream().map(CompletableFuture::join).toList();
    }

    @Test
    void shouldGiveSameResultAloneInMixedBatchesAndShuffled() throws Exception {
        List<RewardResult> alone;
        try (ScoringService one = open(ScoringConfig.defaults().withMaxBatchSize(1))) {
            alone = scoreAll(one, inputs);
        }
        List<Integer> order = new ArrayList<>(IntStream.range(0, inputs.size()).boxed().toList());
        Collections.shuffle(order, new Random(11));
        List<RewardResult> mixed;
        RewardResult[] shuffled = new RewardResult[inputs.size()];
        try (ScoringService batched = open(ScoringConfig.defaults().withMaxLinger(Duration.ofMillis(50)))) {
            mixed = scoreAll(batched, inputs);
            ExecutorService threads = Executors.newFixedThreadPool(4);
            try {
                List<CompletableFuture<Void>> done = new ArrayList<>();
                for (int index : order) {
                    done.add(CompletableFuture.supplyAsync(() -> batched.score(inputs.get(index)), threads)
                            .thenCompose(f -> f)
                            .thenAccept(r -> shuffled[index] = r));
                }
                CompletableFuture.allOf(done.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
            } finally {
                threads.shutdownNow();
            }
        }

        for (int i = 0; i < inputs.size(); i++) {
            assertSameResult(alone.get(i), mixed.get(i));
            assertSameResult(alone.get(i), shuffled[i]);
            assertThat(alone.get(i).numTokens()).isEqualTo(inputs.get(i).length());
        }
    }

    @Test
    void shouldReturnConsistentDistributionForEachInput() {
        try (ScoringService service = open(ScoringConfig.defaults())) {
            for (RewardResult r : scoreAll(service, inputs)) {
                double mean = 0;
                for (double q : r.quantiles()) {
                    mean += q / r.quantiles().length;
                }
                // QRM's identity: the score is the mean of the reward quantiles
                assertThat(r.score()).isCloseTo(mean, within(1e-4));
                assertThat(r.quantiles()).hasSize(19);
                assertThat(r.attributeScores()).hasSize(19);
                // the tiny model's logit_scale is 1.7: gate weights sum to it, not to 1
                assertThat(java.util.Arrays.stream(r.gatingWeights()).sum()).isCloseTo(1.7, within(1e-4));
            }
        }
    }

    @Test
    void shouldFailOnlyThePoisonedInputWhenItsBatchFails() {
        AtomicInteger runs = new AtomicInteger();
        BatchInference failsOnPoison = batch -> {
            runs.incrementAndGet();
            for (long id : batch.inputIds()) {
                if (id == POISON_ID) {
                    throw new OrtException("simulated CUDA out of memory");
                }
            }
            return model.run(batch);
        };
        List<EncodedConversation> requests = new ArrayList<>(inputs.subList(0, 8));
        long[] poisonIds = inputs.get(8).ids().clone();
        poisonIds[1] = POISON_ID;
        requests.add(3, new EncodedConversation(poisonIds, inputs.get(8).gatingIndex(), 0));

        List<CompletableFuture<RewardResult>> futures;
        List<RewardResult> expected;
        try (ScoringService healthy = open(ScoringConfig.defaults());
             ScoringService service = withInference(failsOnPoison,
                     ScoringConfig.defaults().withMaxLinger(Duration.ofMillis(200)))) {
            expected = scoreAll(healthy, inputs.subList(0, 8));
            futures = requests.stream().map(service::score).toList();
            CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new)).exceptionally(e -> null).join();
        }

        assertThatThrownBy(futures.get(3)::join).isInstanceOf(CompletionException.class)
                .cause().isInstanceOf(InputRejectedException.class)
                .satisfies(e -> assertThat(((InputRejectedException) e).reason())
                        .isEqualTo(RejectionReason.INFERENCE_FAILED))
                .hasMessageContaining("simulated CUDA out of memory");
        List<RewardResult> survivors = new ArrayList<>();
        for (int i = 0; i < futures.size(); i++) {
            if (i != 3) {
                survivors.add(futures.get(i).join());
            }
        }
        for (int i = 0; i < expected.size(); i++) {
            assertSameResult(expected.get(i), survivors.get(i));
        }
        assertThat(runs.get()).as("the failed batch was split and retried").isGreaterThan(2);
    }

    @Test
    void shouldDeadLetterAPoisonInputEvenWhenItIsTheFirstInputTheScorerEverSees() {
        // the very first round holds only the poisoned input: no input has scored yet to tell it from a broken device
        long[] poisonIds = inputs.get(5).ids().clone();
        poisonIds[1] = POISON_ID;
        EncodedConversation poisoned = new EncodedConversation(poisonIds, inputs.get(5).gatingIndex(), 0);
        ScoringConfig config = ScoringConfig.defaults();
        try (ScoringService service = ScoringService.open(bundle, SessionSettings.cpuDefaults(), config,
                new TokenBudgetPlanner(config.maxBatchTokens(), config.maxBatchSize()), ScoringListener.NONE,
                run -> batch -> {
                    for (long id : batch.inputIds()) {
                        if (id == POISON_ID) {
                            throw new OrtException("simulated kernel failure on this input");
                        }
                    }
                    return run.run(batch);
                })) {
            CompletableFuture<RewardResult> first = service.score(poisoned);

            assertThatThrownBy(first::join).cause().isInstanceOf(InputRejectedException.class)
                    .satisfies(e -> assertThat(((InputRejectedException) e).reason())
                            .isEqualTo(RejectionReason.INFERENCE_FAILED))
                    .hasMessageContaining("simulated kernel failure");
            assertThat(service.score(inputs.get(6)).join().numTokens()).as("the scorer goes on")
                    .isEqualTo(inputs.get(6).length());
        }
    }

    @Test
    void shouldFailTheScorerWithoutBlamingAnyInputWhenTheDeviceFails() {
        AtomicBoolean deviceLost = new AtomicBoolean();
        BatchInference device = batch -> {
            if (deviceLost.get()) {
                throw new OrtException("CUDA error: device lost");
            }
            return model.run(batch);
        };
        try (ScoringService service = withInference(device, ScoringConfig.defaults()
                .withMaxLinger(Duration.ofMillis(100)))) {
            assertThat(service.score(inputs.get(0)).join().numTokens()).isEqualTo(inputs.get(0).length());
            deviceLost.set(true);

            List<CompletableFuture<RewardResult>> futures = inputs.subList(1, 9).stream().map(service::score).toList();

            assertThat(futures).allSatisfy(f -> assertThatThrownBy(f::join).cause()
                    .isInstanceOf(ScorerFailedException.class).hasMessageContaining("device lost"));
            assertThatThrownBy(service.score(inputs.get(0))::join).as("the failure is sticky").cause()
                    .isInstanceOf(ScorerFailedException.class).hasMessageContaining("fails on every input");
        }
    }

    @Test
    void shouldScoreEveryInputWhenTheModelFailsOnlyForAFewRuns() {
        AtomicInteger failuresLeft = new AtomicInteger(3);
        BatchInference flaky = batch -> {
            if (failuresLeft.getAndDecrement() > 0) {
                throw new OrtException("CUDA error: unspecified launch failure");
            }
            return model.run(batch);
        };
        List<RewardResult> expected;
        List<CompletableFuture<RewardResult>> futures;
        try (ScoringService healthy = open(ScoringConfig.defaults());
             ScoringService service = withInference(flaky, ScoringConfig.defaults()
                     .withMaxLinger(Duration.ofMillis(200)))) {
            expected = scoreAll(healthy, inputs.subList(0, 8));
            futures = inputs.subList(0, 8).stream().map(service::score).toList();
            CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new)).exceptionally(e -> null).join();
        }

        for (int i = 0; i < expected.size(); i++) {
            assertSameResult(expected.get(i), futures.get(i).join());
        }
    }

    @Test
    void shouldRetryWithSmallerBatchesWhenTheDeviceRunsOutOfMemory() {
        List<Integer> rows = Collections.synchronizedList(new ArrayList<>());
        BatchInference smallMemory = batch -> {
            if (batch.batchSize() > 2) {
                throw new OrtException("CUDA failure 2: out of memory ; GPU=0 ; expr=cudaMalloc");
            }
            return model.run(batch);
        };
        ScoringListener listener = (r, real, padded, nanos) -> rows.add(r);
        ScoringConfig config = ScoringConfig.defaults().withMaxLinger(Duration.ofMillis(200));
        List<RewardResult> results;
        try (ScoringService service = new ScoringService(info(), null, smallMemory, PAD, config,
                new TokenBudgetPlanner(config.maxBatchTokens(), config.maxBatchSize()), listener, List.of())) {
            results = scoreAll(service, inputs.subList(0, 9));
        }

        assertThat(results).hasSize(9);
        assertThat(rows).allSatisfy(r -> assertThat(r).isLessThanOrEqualTo(2));
        assertThat(rows.stream().mapToInt(Integer::intValue).sum()).isEqualTo(9);
        assertThat(BatchRunner.isOutOfMemory(new OrtException("std::bad_alloc"))).isTrue();
        assertThat(BatchRunner.isOutOfMemory(new OrtException(
                "Failed to allocate memory for requested buffer of size 123456"))).isTrue();
        assertThat(BatchRunner.isOutOfMemory(new OrtException("CUDA error: device lost"))).isFalse();
    }

    @Test
    void shouldWaitForRoomInsteadOfFailingWhenTheScorerIsFull() throws Exception {
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        try (ScoringService service = withInference(blockedUntil(entered, release), capacity(2))) {
            CompletableFuture<RewardResult> first = service.score(inputs.get(0));
            assertThat(entered.await(30, TimeUnit.SECONDS)).isTrue();
            CompletableFuture<RewardResult> second = service.score(inputs.get(1));

            assertThat(service.tryScore(inputs.get(2), Duration.ZERO)).as("no room now").isEmpty();
            assertThat(service.tryScore(inputs.get(2), Duration.ofMillis(20))).as("no room in time").isEmpty();
            CompletableFuture<CompletableFuture<RewardResult>> third =
                    CompletableFuture.supplyAsync(() -> service.score(inputs.get(2)));
            release.countDown();

            assertThat(first.join().numTokens()).isEqualTo(inputs.get(0).length());
            assertThat(second.join().numTokens()).isEqualTo(inputs.get(1).length());
            assertThat(third.get(30, TimeUnit.SECONDS).join().numTokens()).isEqualTo(inputs.get(2).length());
        } finally {
            release.countDown();
        }
    }

    @Test
    void shouldSkipCancelledRequestsAndFreeTheirRoom() throws Exception {
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        List<Integer> rows = Collections.synchronizedList(new ArrayList<>());
        BatchInference blocked = blockedUntil(entered, release);
        BatchInference counting = batch -> {
            rows.add(batch.batchSize());
            return blocked.run(batch);
        };
        try (ScoringService service = withInference(counting, capacity(2))) {
            CompletableFuture<RewardResult> first = service.score(inputs.get(0));
            assertThat(entered.await(30, TimeUnit.SECONDS)).isTrue();
            CompletableFuture<RewardResult> cancelled = service.score(inputs.get(1));

            cancelled.cancel(false);
            var third = service.tryScore(inputs.get(2), Duration.ZERO);
            release.countDown();

            assertThat(third).as("the cancelled request's room is free at once").isPresent();
            assertThat(third.get().join().numTokens()).isEqualTo(inputs.get(2).length());
            assertThat(first.join().numTokens()).isEqualTo(inputs.get(0).length());
            assertThat(rows).as("the cancelled request never reached the model").containsExactly(1, 1);
        } finally {
            release.countDown();
        }
    }

    @Test
    void shouldMakeASecondCloseWaitUntilTheModelRunInProgressHasFinished() throws Exception {
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        List<String> events = Collections.synchronizedList(new ArrayList<>());
        BatchInference blocked = blockedUntil(entered, release);
        BatchInference recorded = batch -> {
            RawRewards raw = blocked.run(batch);
            events.add("run finished");
            return raw;
        };
        ScoringService service = new ScoringService(info(), null, recorded, PAD, capacity(4),
                new TokenBudgetPlanner(16_384, 64), ScoringListener.NONE,
                List.of(() -> events.add("model freed")));
        try {
            CompletableFuture<RewardResult> running = service.score(inputs.get(0));
            assertThat(entered.await(30, TimeUnit.SECONDS)).isTrue();
            Thread firstClose = new Thread(service::close);
            Thread secondClose = new Thread(service::close);
            firstClose.start();
            awaitState(firstClose, Thread.State.TIMED_WAITING);
            secondClose.start();
            awaitState(secondClose, Thread.State.BLOCKED);

            assertThat(events).as("nothing is freed under a running batch").isEmpty();
            release.countDown();
            firstClose.join(30_000);
            secondClose.join(30_000);

            assertThat(events).containsExactly("run finished", "model freed");
            assertThat(running.join().numTokens()).as("the batch in progress completes")
                    .isEqualTo(inputs.get(0).length());
        } finally {
            release.countDown();
            service.close();
        }
    }

    private static void awaitState(Thread thread, Thread.State state) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (thread.getState() != state && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        assertThat(thread.getState()).isEqualTo(state);
    }

    /** Blocks the first run until released, deaf to interrupts as a native model run is. */
    private static BatchInference blockedUntil(CountDownLatch entered, CountDownLatch release) {
        return batch -> {
            entered.countDown();
            boolean interrupted = false;
            while (release.getCount() > 0) {
                try {
                    release.await(30, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
            return model.run(batch);
        };
    }

    private static ScoringConfig capacity(int requests) {
        return new ScoringConfig(16_384, 64, Duration.ZERO, requests, 0.1,
                io.rewardannotator.text.OverflowPolicy.REJECT);
    }

    @Test
    void shouldFailRequestsAfterClose() {
        ScoringService service = open(ScoringConfig.defaults());
        service.close();
        service.close();

        assertThatThrownBy(service.score(inputs.get(0))::join).cause()
                .isInstanceOf(ScorerFailedException.class).hasMessageContaining("closed");
    }

    @Test
    void shouldReportBatchesToListener() {
        List<long[]> batches = Collections.synchronizedList(new ArrayList<>());
        ScoringListener listener = (rows, real, padded, nanos) -> batches.add(new long[] {rows, real, padded});
        try (ScoringService service = ScoringService.open(bundle, SessionSettings.cpuDefaults(),
                ScoringConfig.defaults().withMaxLinger(Duration.ofMillis(200)), listener)) {
            scoreAll(service, inputs);
        }

        assertThat(batches.stream().mapToLong(b -> b[0]).sum()).isEqualTo(inputs.size());
        assertThat(batches.stream().mapToLong(b -> b[1]).sum())
                .isEqualTo(inputs.stream().mapToLong(EncodedConversation::length).sum());
        assertThat(batches).allSatisfy(b -> assertThat(b[2]).isGreaterThanOrEqualTo(b[1])
                .isLessThanOrEqualTo(ScoringConfig.DEFAULT_BATCH_TOKENS));
    }

    private static void assertSameResult(RewardResult expected, RewardResult actual) {
        assertThat(actual.score()).isCloseTo(expected.score(), within(1e-5));
        for (int q = 0; q < expected.quantiles().length; q++) {
            assertThat(actual.quantiles()[q]).isCloseTo(expected.quantiles()[q], within(1e-5));
        }
        for (int k = 0; k < expected.attributeScores().length; k++) {
            assertThat(actual.attributeScores()[k]).isCloseTo(expected.attributeScores()[k], within(1e-5));
            assertThat(actual.gatingWeights()[k]).isCloseTo(expected.gatingWeights()[k], within(1e-5));
        }
    }
}
