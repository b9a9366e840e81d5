package io.rewardannotator.scoring;

import io.rewardannotator.model.Device;
import io.rewardannotator.model.LargeStack;
import io.rewardannotator.model.ModelBundle;
import io.rewardannotator.model.OnnxRewardModel;
import io.rewardannotator.model.RawRewards;
import io.rewardannotator.model.SessionSettings;
import io.rewardannotator.text.Conversation;
import io.rewardannotator.text.ConversationEncoder;
import io.rewardannotator.text.EncodedConversation;
import io.rewardannotator.text.InputRejectedException;
import io.rewardannotator.text.LocalTokenizer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The JVM-wide scoring service: one per model and device, shared by every task and stream thread.
 *
 * <p>Threading: any thread may call {@link #encode} (tokenizes on the caller's thread) and {@link #score} /
 * {@link #tryScore}. Admission is bounded: a request holds one of {@code queueCapacity} slots from admission until
 * its future completes (or is cancelled), and callers wait for a free slot, so overload slows the callers instead
 * of failing requests, and the slots bound the memory of everything queued, planned or running. One worker thread
 * plans: it waits until a batch's worth of tokens is queued or the oldest request has lingered long enough, takes
 * every waiting request (skipping cancelled ones), plans length-sorted batches under the token budget and hands
 * each to the next free runner thread ({@link BatchDispatcher}: one per concurrent model run,
 * {@link SessionSettings#resolvedConcurrentRuns}), which runs it and completes its futures. Requests that arrive
 * during a round run after the batch in progress if they are cheaper than the round's next batch, else in the
 * next round, so no request waits behind more than two rounds and a short one at low traffic behind one batch.
 *
 * <p>Failure: see {@link BatchRunner}. When the model fails on every input the scorer fails as a whole with a
 * sticky {@link ScorerFailedException}: every waiting and later request fails with it, and no record is blamed.
 *
 * <p>Close: the worker finishes the batch it is running, and only then are the native session and tokenizer freed
 * (never under a running batch, however long it takes). A second caller of {@link #close} waits for the first.
 */
public final class ScoringService implements RewardScorer {
    private static final Logger LOG = LoggerFactory.getLogger(ScoringService.class);

    private final ScorerInfo info;
    private final ConversationEncoder encoder;
    private final ScoringConfig config;
    private final RoundPlanner planner;
    private final BatchRunner runner;
    private final ScoringListener listener;
    private final BatchDispatcher dispatcher;
    private final Semaphore admission;
    private final BlockingQueue<ScoringRequest> queue = new LinkedBlockingQueue<>();
    private final Thread worker;
    private final List<AutoCloseable> resources;
    private final Object closeLock = new Object();
    private volatile ScorerFailedException failure;
    private volatile boolean closed;

    ScoringService(ScorerInfo info, ConversationEncoder encoder, BatchInference inference, long padId,
                   ScoringConfig config, BatchPlanner planner, ScoringListener listener,
                   List<AutoCloseable> resources) {
        this(info, encoder, inference, padId, config, new RoundPlanner(planner), listener,
                resources, 1, null);
    }

    /** @param reference an input the model is known to score ({@link ReferenceInput}), or null if none is yet */
    ScoringService(ScorerInfo info, ConversationEncoder encoder, BatchInference inference, long padId,
                   ScoringConfig config, RoundPlanner planner, ScoringListener listener,
                   List<AutoCloseable> resources, int concurrentRuns, EncodedConversation reference) {
        this.info = info;
        this.encoder = encoder;
        this.config = config;
        this.planner = planner;
        this.runner = new BatchRunner(inference, padId, new ResultMapper(info, config.cvarAlpha()), listener,
                reference);
        this.listener = listener;
        this.dispatcher = new BatchDispatcher(concurrentRuns, "reward-model-" + info.device());
        this.admission = new Semaphore(config.queueCapacity());
        this.resources = List.copyOf(resources);
        this.worker = LargeStack.newThread(this::work, "reward-scorer-" + info.device());
        this.worker.setDaemon(true);
        this.worker.start();
    }

    /**
     * Loads the bundle's tokenizer and model and starts the worker.
     *
     * @throws io.rewardannotator.model.BundleException            for an invalid bundle or graph
     * @throws io.rewardannotator.model.DeviceUnavailableException for a device this build cannot use
     */
    public static ScoringService open(ModelBundle bundle, SessionSettings settings, ScoringConfig config,
                                      ScoringListener listener) {
        return open(bundle, settings, config, planner(config, settings.device()), listener);
    }

    private static BatchPlanner planner(ScoringConfig config, Device device) {
        return TokenBudgetPlanner.of(config, DeviceProfile.of(device));
    }

    /** As {@link #open(ModelBundle, SessionSettings, ScoringConfig, ScoringListener)} with another planner. */
    public static ScoringService open(ModelBundle bundle, SessionSettings settings, ScoringConfig config,
                                      BatchPlanner planner, ScoringListener listener) {
        return open(bundle, settings, config, planner, listener, UnaryOperator.identity());
    }

    /** As {@link #open(ModelBundle, SessionSettings, ScoringConfig, BatchPlanner, ScoringListener)}; tests wrap
     * the model runs to inject faults and delays (every run after the start-up check of the reference input). */
    static ScoringService open(ModelBundle bundle, SessionSettings settings, ScoringConfig config,
                               BatchPlanner planner, ScoringListener listener, UnaryOperator<BatchInference> runs) {
        // the session (native library, graph optimisation) and the tokenizer load side by side: start-up is
        // the longer of the two, not their sum
        CompletableFuture<OnnxRewardModel> opening = CompletableFuture.supplyAsync(
                () -> OnnxRewardModel.open(bundle, settings), ScoringService::startDaemon);
        LocalTokenizer tokenizer;
        try {
            long started = System.nanoTime();
            tokenizer = LocalTokenizer.load(bundle.tokenizerFile());
            LOG.info("tokenizer loaded in {} ms", (System.nanoTime() - started) / 1_000_000);
        } catch (RuntimeException e) {
            opening.thenAccept(OnnxRewardModel::close);
            throw e;
        }
        OnnxRewardModel model;
        try {
            model = join(opening);
        } catch (RuntimeException e) {
            tokenizer.close();
            throw e;
        }
        try {
            var m = bundle.manifest();
            ScorerInfo info = new ScorerInfo(m.name(), m.revision(), bundle.digest(), model.device().toString(),
                    m.quantileLevels(), m.attributes());
            ConversationEncoder encoder = new ConversationEncoder(bundle.chatTemplate(), tokenizer, m.bosTokenId(),
                    m.gatingPattern(), m.maxTokens(), config.overflow());
            long started = System.nanoTime();
            EncodedConversation reference = ReferenceInput.checked(encoder, model::run, m.padTokenId(),
                    info.device());
            LOG.info("model checked on {} with a reference conversation in {} ms", info.device(),
                    (System.nanoTime() - started) / 1_000_000);
            return new ScoringService(info, encoder, runs.apply(model::run), m.padTokenId(), config,
                    new RoundPlanner(planner, model.sharedPromptMinimum(), model::expectSharedPrompt), listener,
                    List.of(model, tokenizer),
                    settings.resolvedConcurrentRuns(), reference);
        } catch (RuntimeException e) {
            model.close();
            tokenizer.close();
            throw e;
        }
    }

    /**
     * The bundle's tokenizer and the full service, with an instant stand-in for the model: every request scores
     * 0. For measuring what everything but the model costs (benchmarks); never for real scores.
     */
    public static ScoringService openStandIn(ModelBundle bundle, ScoringConfig config, ScoringListener listener) {
        LocalTokenizer tokenizer = LocalTokenizer.load(bundle.tokenizerFile());
        var m = bundle.manifest();
        ScorerInfo info = new ScorerInfo(m.name(), m.revision(), bundle.digest(), "stand-in", m.quantileLevels(),
                m.attributes());
        ConversationEncoder encoder = new ConversationEncoder(bundle.chatTemplate(), tokenizer, m.bosTokenId(),
                m.gatingPattern(), m.maxTokens(), config.overflow());
        int q = m.quantileLevels().size();
        int k = m.attributes().size();
        BatchInference instant = batch -> new RawRewards(batch.batchSize(), q, k, new float[batch.batchSize()],
                new float[batch.batchSize() * q], new float[batch.batchSize() * k], new float[batch.batchSize() * k]);
        return new ScoringService(info, encoder, instant, m.padTokenId(), config, planner(config, Device.CPU),
                listener, List.of(tokenizer));
    }

    private static void startDaemon(Runnable task) {
        Thread thread = new Thread(task, "reward-model-open");
        thread.setDaemon(true);
        thread.start();
    }

    /** The opened model, or the exception that opening it threw (a bundle or device error keeps its type). */
    private static OnnxRewardModel join(CompletableFuture<OnnxRewardModel> opening) {
        try {
            return opening.join();
        } catch (java.util.concurrent.CompletionException e) {
            throw e.getCause() instanceof RuntimeException cause ? cause : e;
        }
    }

    @Override
    public ScorerInfo info() {
        return info;
    }

    @Override
    public EncodedConversation encode(Conversation conversation) throws InputRejectedException {
        long started = System.nanoTime();
        EncodedConversation encoded = encoder.encode(conversation);
        listener.stageTimed(ScoringStage.ENCODE, System.nanoTime() - started);
        return encoded;
    }

    @Override
    public CompletableFuture<RewardResult> score(EncodedConversation encoded) {
        try {
            return admit(encoded, -1).orElseThrow();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return CompletableFuture.failedFuture(
                    new ScorerFailedException("interrupted while waiting for room in the scorer", e));
        }
    }

    @Override
    public Optional<CompletableFuture<RewardResult>> tryScore(EncodedConversation encoded, Duration maxWait)
            throws InterruptedException {
        return admit(encoded, Math.max(0, maxWait.toNanos()));
    }

    /** @param waitNanos how long to wait for a slot; negative: as long as it takes */
    private Optional<CompletableFuture<RewardResult>> admit(EncodedConversation encoded, long waitNanos)
            throws InterruptedException {
        ScorerFailedException refused = refusal();
        if (refused != null) {
            return Optional.of(CompletableFuture.failedFuture(refused));
        }
        if (waitNanos < 0) {
            admission.acquire();
        } else if (!admission.tryAcquire(waitNanos, TimeUnit.NANOSECONDS)) {
            return Optional.empty();
        }
        refused = refusal();
        if (refused != null) {
            // closing or failing wakes one waiter with a slot of its own: pass the wake-up on to the next
            admission.release();
            return Optional.of(CompletableFuture.failedFuture(refused));
        }
        CompletableFuture<RewardResult> future = new CompletableFuture<>();
        future.whenComplete((result, error) -> admission.release());
        queue.add(new ScoringRequest(encoded, future, System.nanoTime()));
        if (refusal() != null) {
            // closed or failed while queueing: the worker may already have failed what it found queued
            failQueued(refusal());
        }
        return Optional.of(future);
    }

    private ScorerFailedException refusal() {
        ScorerFailedException failed = failure;
        if (failed != null) {
            return failed;
        }
        return closed ? new ScorerFailedException("the scorer is closed") : null;
    }

    /** Requests queued and not yet taken by the worker. */
    public int queueDepth() {
        return queue.size();
    }

    private void work() {
        List<ScoringRequest> pending = new ArrayList<>();
        try {
            while (refusal() == null) {
                // a runner is reserved before requests leave the queue: the batch is chosen as late as possible
                dispatcher.awaitFree();
                if (!pending.isEmpty() || collectRound(pending)) {
                    runRound(pending);
                } else {
                    dispatcher.release();
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException | Error e) {
            fail(new ScorerFailedException("the scoring worker died: " + e, e));
        }
        ScorerFailedException reason = refusal() != null ? refusal() : new ScorerFailedException("the scorer is closed");
        pending.forEach(r -> r.future().completeExceptionally(reason));
        failQueued(reason);
    }

    /** Waits for the first request, then until the token budget is queued or the linger time has passed. */
    private boolean collectRound(List<ScoringRequest> pending) throws InterruptedException {
        ScoringRequest first = queue.poll(100, TimeUnit.MILLISECONDS);
        if (first == null || first.future().isDone()) {
            return false;
        }
        pending.add(first);
        long queuedTokens = first.length();
        long deadline = first.enqueuedNanos() + config.maxLinger().toNanos();
        while (queuedTokens < config.maxBatchTokens() && !closed) {
            long wait = deadline - System.nanoTime();
            ScoringRequest next = wait > 0 ? queue.poll(wait, TimeUnit.NANOSECONDS) : queue.poll();
            if (next == null) {
                break;
            }
            if (!next.future().isDone()) {
                pending.add(next);
                queuedTokens += next.length();
            }
        }
        queue.drainTo(pending);
        pending.removeIf(r -> r.future().isDone());
        return true;
    }

    /**
     * Runs the round's batches in the planner's order, each on the next free runner. When a runner frees up,
     * the requests that arrived meanwhile may go first as one batch if it costs no more than the round's next
     * one (at most every other batch): a short request at low traffic waits for a batch in progress, not for
     * the whole round, and a round at most doubles, so nothing starves. Requests still waiting once the round
     * is dispatched are left in {@code pending} for the next round. Called with a runner reserved.
     */
    private void runRound(List<ScoringRequest> pending) throws InterruptedException {
        queue.drainTo(pending);
        List<List<ScoringRequest>> plan = planner.plan(pending);
        pending.clear();
        List<ScoringRequest> arrived = new ArrayList<>();
        boolean expressed = true;
        boolean reserved = true;
        int next = 0;
        try {
            while (next < plan.size() && refusal() == null) {
                if (!reserved) {
                    dispatcher.awaitFree();
                }
                reserved = false;
                if (arrived.isEmpty()) {
                    queue.drainTo(arrived);
                    arrived.removeIf(r -> r.future().isDone());
                }
                List<ScoringRequest> batch = plan.get(next);
                List<ScoringRequest> express = expressed || arrived.isEmpty() ? List.of()
                        : planner.plan(arrived).get(0);
                expressed = !express.isEmpty() && planner.cost(express) <= planner.cost(batch);
                if (expressed) {
                    batch = express;
                    arrived.removeAll(express);
                } else {
                    next++;
                }
                List<ScoringRequest> chosen = batch;
                dispatcher.dispatch(() -> runBatch(chosen));
            }
            if (reserved) {
                dispatcher.release();
            }
        } finally {
            // what was not dispatched: the next round's, or failed by the worker on its way out
            plan.subList(next, plan.size()).forEach(pending::addAll);
            pending.addAll(arrived);
        }
    }

    /** Called on a runner thread. */
    private void runBatch(List<ScoringRequest> batch) {
        ScorerFailedException refused = refusal();
        if (refused != null) {
            batch.forEach(r -> r.future().completeExceptionally(refused));
            return;
        }
        try {
            runner.run(batch);
        } catch (ScorerFailedException e) {
            fail(e);
            batch.forEach(r -> r.future().completeExceptionally(e));
        }
    }

    private synchronized void fail(ScorerFailedException e) {
        if (failure != null) {
            return;
        }
        failure = e;
        LOG.error("the scorer failed: {}", e.getMessage(), e);
        // wake one waiting caller: it fails with the refusal and passes the wake-up on
        admission.release();
    }

    private void failQueued(ScorerFailedException reason) {
        List<ScoringRequest> left = new ArrayList<>();
        queue.drainTo(left);
        left.forEach(r -> r.future().completeExceptionally(reason));
    }

    @Override
    public void close() {
        synchronized (closeLock) {
            if (closed) {
                return;
            }
            closed = true;
            admission.release();
            worker.interrupt();
            awaitWorker();
            // the runners may be inside a native model run: the session must outlive it, however long it takes
            dispatcher.close();
            failQueued(new ScorerFailedException("the scorer is closed"));
            for (AutoCloseable resource : resources) {
                try {
                    resource.close();
                } catch (Exception e) {
                    LOG.warn("closing {} failed", resource, e);
                }
            }
        }
    }

    /** The worker dispatches no more batches once it has left; it leaves at once when interrupted. */
    private void awaitWorker() {
        boolean interrupted = false;
        while (worker.isAlive()) {
            try {
                worker.join();
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
