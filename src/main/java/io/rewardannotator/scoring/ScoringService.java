package io.rewardannotator.scoring;

import io.rewardannotator.model.LargeStack;
import io.rewardannotator.model.ModelBundle;
import io.rewardannotator.model.OnnxRewardModel;
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
 * of failing requests. One worker thread owns everything else: it waits until a batch's worth of tokens is queued
 * or the oldest request has lingered long enough, takes every waiting request (skipping cancelled ones), plans
 * length-sorted batches under the token budget, runs them, and completes the futures. Requests that arrive during
 * a round wait for the next one, so no request waits behind more than one round.
 *
 * <p>Failure: see {@link BatchRunner}. When the model fails on every input the scorer fails as a whole with a
 * sticky {@link ScorerFailedException}: every waiting and later request fails with it, and no record is blamed.
 *
 * <p>Close: the worker finishes the batch it is running, and only then are the native session and tokenizer freed
 * (never under a running batch, however long it takes). A second caller of {@link #close} waits for the first.
 */
public final class ScoringService implements RewardScorer {
    private static final Logger LOG = LoggerFactory.getLogger(ScoringService.class);
    private static final Duration JOIN_LOG_INTERVAL = Duration.ofSeconds(10);

    private final ScorerInfo info;
    private final ConversationEncoder encoder;
    private final ScoringConfig config;
    private final BatchPlanner planner;
    private final BatchRunner runner;
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
        this.info = info;
        this.encoder = encoder;
        this.config = config;
        this.planner = planner;
        this.runner = new BatchRunner(inference, padId, new ResultMapper(info, config.cvarAlpha()), listener);
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
        return open(bundle, settings, config, new TokenBudgetPlanner(config.maxBatchTokens(), config.maxBatchSize()),
                listener);
    }

    /** As {@link #open(ModelBundle, SessionSettings, ScoringConfig, ScoringListener)} with another planner. */
    public static ScoringService open(ModelBundle bundle, SessionSettings settings, ScoringConfig config,
                                      BatchPlanner planner, ScoringListener listener) {
        return open(bundle, settings, config, planner, listener, UnaryOperator.identity());
    }

    /** As {@link #open(ModelBundle, SessionSettings, ScoringConfig, BatchPlanner, ScoringListener)}; tests wrap
     * the model runs to inject faults and delays. */
    static ScoringService open(ModelBundle bundle, SessionSettings settings, ScoringConfig config,
                               BatchPlanner planner, ScoringListener listener, UnaryOperator<BatchInference> runs) {
        LocalTokenizer tokenizer = LocalTokenizer.load(bundle.tokenizerFile());
        try {
            OnnxRewardModel model = OnnxRewardModel.open(bundle, settings);
            var m = bundle.manifest();
            ScorerInfo info = new ScorerInfo(m.name(), m.revision(), bundle.digest(), model.device().toString(),
                    m.quantileLevels(), m.attributes());
            ConversationEncoder encoder = new ConversationEncoder(bundle.chatTemplate(), tokenizer, m.bosTokenId(),
                    m.gatingPattern(), m.maxTokens(), config.overflow());
            return new ScoringService(info, encoder, runs.apply(model::run), m.padTokenId(), config, planner,
                    listener,
                    List.of(model, tokenizer));
        } catch (RuntimeException e) {
            tokenizer.close();
            throw e;
        }
    }

    @Override
    public ScorerInfo info() {
        return info;
    }

    @Override
    public EncodedConversation encode(Conversation conversation) throws InputRejectedException {
        return encoder.encode(conversation);
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
                if (collectRound(pending)) {
                    runRound(pending);
                    pending.clear();
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

    private void runRound(List<ScoringRequest> pending) {
        try {
            runner.runRound(planner.plan(pending, ScoringRequest::length), () -> closed);
        } catch (ScorerFailedException e) {
            fail(e);
            pending.forEach(r -> r.future().completeExceptionally(e));
        }
    }

    private void fail(ScorerFailedException e) {
        failure = e;
        LOG.error("the scorer failed: {}", e.getMessage(), e);
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

    /** The worker may be inside a native model run, which an interrupt does not stop: its handles must outlive it. */
    private void awaitWorker() {
        boolean interrupted = false;
        while (worker.isAlive()) {
            try {
                worker.join(JOIN_LOG_INTERVAL.toMillis());
                if (worker.isAlive()) {
                    LOG.warn("waiting for the model run in progress to finish before freeing the model");
                }
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
