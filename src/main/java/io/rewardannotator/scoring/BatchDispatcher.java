package io.rewardannotator.scoring;

import io.rewardannotator.model.LargeStack;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs model batches on a fixed number of threads at once. The scoring service's worker waits for a free
 * runner ({@link #awaitFree}) before it picks the next batch, so the choice is made as late as possible (a
 * request that arrived meanwhile can still go first) and no batch waits in a queue of its own.
 * Runner threads have a large stack: they call into ONNX Runtime ({@link LargeStack}).
 */
final class BatchDispatcher implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(BatchDispatcher.class);
    private static final long LOG_INTERVAL_SECONDS = 10;

    private final Semaphore free;
    private final ExecutorService runners;

    BatchDispatcher(int runs, String name) {
        if (runs < 1) {
            throw new IllegalArgumentException("concurrent runs must be >= 1, got " + runs);
        }
        AtomicInteger index = new AtomicInteger();
        this.free = new Semaphore(runs);
        this.runners = Executors.newFixedThreadPool(runs, task -> {
            Thread thread = LargeStack.newThread(task, name + "-" + index.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
    }

    /** Blocks until a runner is free and reserves it for the next {@link #dispatch}. */
    void awaitFree() throws InterruptedException {
        free.acquire();
    }

    /** Gives back the runner reserved by {@link #awaitFree} without running anything. */
    void release() {
        free.release();
    }

    /** Runs {@code batch} on the runner reserved by {@link #awaitFree}. */
    void dispatch(Runnable batch) {
        runners.execute(() -> {
            try {
                batch.run();
            } finally {
                free.release();
            }
        });
    }

    /**
     * Stops the runners once the batches in progress have finished, however long that takes: a model run in native
     * code cannot be interrupted, and its session must not be freed under it.
     */
    @Override
    public void close() {
        runners.shutdown();
        boolean interrupted = false;
        while (!runners.isTerminated()) {
            try {
                if (!runners.awaitTermination(LOG_INTERVAL_SECONDS, TimeUnit.SECONDS)) {
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
