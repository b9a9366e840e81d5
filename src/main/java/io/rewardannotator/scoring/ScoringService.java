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
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The JVM-wide scoring service: one per model and device, shared by every task and stream thread.
 *
 * <p>Threading: any thread may call {@link #encode} (tokenizes on the caller's thread) and {@link #score}
 * (enqueues into a bounded queue). One worker thread owns everything else: it waits until a batch's worth of
 * tokens is queued or the oldest request has lingered long enough, takes every waiting request, plans
 * length-sorted batches under the token budget and hands each to the next free runner thread
 * ({@link BatchDispatcher}: one per concurrent model run, {@link SessionSettings#resolvedConcurrentRuns}), which
 * runs it and completes its futures. Requests that arrive
 * during a round run after the batch in progress if they are cheaper than the round's next batch, else in the
 * next round, so no request waits behind more than two rounds and a short one at low traffic behind one batch.
 *
 * <p>Failure: a batch that fails is split and retried ({@link BatchRunner}); after
 * {@value #MAX_CONSECUTIVE_FAILED_BATCHES} batches in a row in which nothing succeeded the scorer stops with a
 * sticky {@link ScorerFailedException}: a broken model must stop the application, not dead-letter every input.
 */
public final class ScoringService implements RewardScorer {
    static final int MAX_CONSECUTIVE_FAILED_BATCHES = 5;
    private static final Logger LOG = LoggerFactory.getLogger(ScoringService.class);

    private final ScorerInfo info;
    private final ConversationEncoder encoder;
    private final ScoringConfig config;
    private final BatchPlanner planner;
    private final BatchRunner runner;
    private final ScoringListener listener;
    private final BatchDispatcher dispatcher;
    private final BlockingQueue<ScoringRequest> queue;
    private final Thread worker;
    private final List<AutoCloseable> resources;
    private volatile ScorerFailedException failure;
    private volatile boolean closed;
    private int consecutiveFailedBatches;

    ScoringService(ScorerInfo info, ConversationEncoder encoder, BatchInference inference, long padId,
                   ScoringConfig config, BatchPlanner planner, ScoringListener listener,
                   List<AutoCloseable> resources) {
        this(info, encoder, inference, padId, config, planner, listener, resources, 1);
    }

    ScoringService(ScorerInfo info, ConversationEncoder encoder, BatchInference inference, long padId,
                   ScoringConfig config, BatchPlanner planner, ScoringListener listener,
                   List<AutoCloseable> resources, int concurrentRuns) {
        this.info = info;
        this.encoder = encoder;
        this.config = config;
        this.planner = planner;
        this.runner = new BatchRunner(inference, padId, new ResultMapper(info, config.cvarAlpha()), listener);
        this.listener = listener;
        this.dispatcher = new BatchDispatcher(concurrentRuns, "reward-model-" + info.device());
        this.queue = new ArrayBlockingQueue<>(config.queueCapacity());
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
        try {
            OnnxRewardModel model = join(opening);
            var m = bundle.manifest();
            ScorerInfo info = new ScorerInfo(m.name(), m.revision(), bundle.digest(), model.device().toString(),
                    m.quantileLevels(), m.attributes());
            ConversationEncoder encoder = new ConversationEncoder(bundle.chatTemplate(), tokenizer, m.bosTokenId(),
                    m.gatingPattern(), m.maxTokens(), config.overflow());
            return new ScoringService(info, encoder, model::run, m.padTokenId(), config, planner,
                    listener,
                    List.of(model, tokenizer), settings.resolvedConcurrentRuns());
        } catch (RuntimeException e) {
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
        CompletableFuture<RewardResult> future = new CompletableFuture<>();
        ScorerFailedException failed = failure;
        if (failed != null) {
            future.completeExceptionally(failed);
        } else if (closed) {
            future.completeExceptionally(new ScorerFailedException("the scorer is closed"));
        } else if (!queue.offer(new ScoringRequest(encoded, future, System.nanoTime()))) {
            future.completeExceptionally(new ScorerFailedException("the scoring queue is full ("
                    + config.queueCapacity() + " requests); bound the requests in flight or raise --queue-capacity"));
        }
        return future;
    }

    /** Requests queued and not yet taken by the worker. */
    public int queueDepth() {
        return queue.size();
    }

    private void work() {
        List<ScoringRequest> pending = new ArrayList<>();
        try {
            while (!closed) {
                // a runner is reserved before requests leave the queue, so a full queue still refuses more
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
            failure = new ScorerFailedException("the scoring worker died: " + e, e);
            LOG.error("scoring worker died", e);
        }
        ScorerFailedException reason = failure != null ? failure : new ScorerFailedException("the scorer is closed");
        pending.forEach(r -> r.future().completeExceptionally(reason));
        failQueued(reason);
    }

    /** Waits for the first request, then until the token budget is queued or the linger time has passed. */
    private boolean collectRound(List<ScoringRequest> pending) throws InterruptedException {
        ScoringRequest first = queue.poll(100, TimeUnit.MILLISECONDS);
        if (first == null) {
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
            pending.add(next);
            queuedTokens += next.length();
        }
        queue.drainTo(pending);
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
        List<List<ScoringRequest>> plan = planner.plan(pending, ScoringRequest::length);
        pending.clear();
        List<ScoringRequest> arrived = new ArrayList<>();
        boolean expressed = true;
        boolean reserved = true;
        int next = 0;
        try {
            while (next < plan.size()) {
                if (!reserved) {
                    dispatcher.awaitFree();
                }
                reserved = false;
                if (arrived.isEmpty()) {
                    // at most one queue's worth held aside, so memory stays bounded by twice the queue
                    queue.drainTo(arrived);
                }
                List<ScoringRequest> batch = plan.get(next);
                List<ScoringRequest> express = expressed || arrived.isEmpty() ? List.of()
                        : planner.plan(arrived, ScoringRequest::length).get(0);
                expressed = !express.isEmpty() && planner.cost(express, ScoringRequest::length)
                        <= planner.cost(batch, ScoringRequest::length);
                if (expressed) {
                    batch = express;
                    arrived.removeAll(express);
                } else {
                    next++;
                }
                List<ScoringRequest> chosen = batch;
                dispatcher.dispatch(() -> runBatch(chosen));
            }
        } finally {
            // what was not dispatched: the next round's, or failed by the worker on its way out
            plan.subList(next, plan.size()).forEach(pending::addAll);
            pending.addAll(arrived);
        }
    }

    /** Called on a runner thread. */
    private void runBatch(List<ScoringRequest> batch) {
        if (failure != null) {
            batch.forEach(r -> r.future().completeExceptionally(failure));
            return;
        }
        int succeeded = runner.run(batch);
        synchronized (this) {
            consecutiveFailedBatches = succeeded == 0 ? consecutiveFailedBatches + 1 : 0;
            if (consecutiveFailedBatches >= MAX_CONSECUTIVE_FAILED_BATCHES && failure == null) {
                failure = new ScorerFailedException("the model failed on " + consecutiveFailedBatches
                        + " batches in a row; it is not usable (see the log for the model's errors)");
                LOG.error(failure.getMessage());
            }
        }
    }

    private void failQueued(ScorerFailedException reason) {
        List<ScoringRequest> left = new ArrayList<>();
        queue.drainTo(left);
        left.forEach(r -> r.future().completeExceptionally(reason));
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        worker.interrupt();
        try {
            worker.join(TimeUnit.SECONDS.toMillis(30));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
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
