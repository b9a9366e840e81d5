package io.rewardannotator.model;

import java.util.concurrent.atomic.AtomicReference;

/**
 * Runs native work on a thread with a large stack. The first ONNX Runtime session created in a JVM overflows a
 * default 1 MB Java thread stack in native code on some classpaths (a segmentation fault, no Java error:
 * seen here with DJL's tokenizer loaded first); session creation and inference therefore run on threads whose
 * stack size is set explicitly.
 */
public final class LargeStack {
    /** Stack size for threads that call into ONNX Runtime. */
    public static final long STACK_BYTES = 32L << 20;

    private LargeStack() {
    }

    /** A thread with {@link #STACK_BYTES} of stack. */
    public static Thread newThread(Runnable task, String name) {
        return new Thread(null, task, name, STACK_BYTES);
    }

    /** Runs {@code task} on a large-stack thread and returns its result, rethrowing its unchecked failure. */
    static <T> T call(java.util.function.Supplier<T> task, String name) {
        AtomicReference<T> result = new AtomicReference<>();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread thread = newThread(() -> {
            try {
                result.set(task.get());
            } catch (Throwable t) {
                failure.set(t);
            }
        }, name);
        thread.start();
        try {
            thread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while " + name, e);
        }
        Throwable t = failure.get();
        if (t instanceof RuntimeException re) {
            throw re;
        }
        if (t instanceof Error err) {
            throw err;
        }
        return result.get();
    }
}
