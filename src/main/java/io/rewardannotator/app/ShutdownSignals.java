package io.rewardannotator.app;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns SIGTERM and SIGINT into an orderly stop. Handling the signals (rather than a shutdown hook) lets the
 * process finish its work and exit with its own code, 0 after a clean stop; with a hook alone the JVM would
 * report 143 whatever the outcome.
 *
 * <p>Installed before start-up, so that a signal is never left to the JVM's default (exit 143): until
 * {@link #onTermination} names what stops the running application, a signal interrupts the thread that installed
 * the handlers, which abandons start-up and exits 0 (see {@link #requested()}).
 */
public final class ShutdownSignals {
    private static final Logger LOG = LoggerFactory.getLogger(ShutdownSignals.class);

    private final Thread starting;
    private boolean requested;
    private Runnable stop;

    private ShutdownSignals(Thread starting) {
        this.starting = starting;
    }

    /** Takes SIGTERM and SIGINT from now on; a signal interrupts the calling thread until {@link #onTermination}. */
    public static ShutdownSignals install() {
        ShutdownSignals signals = new ShutdownSignals(Thread.currentThread());
        for (String name : new String[] {"TERM", "INT"}) {
            try {
                sun.misc.Signal.handle(new sun.misc.Signal(name), signal -> {
                    LOG.info("SIG{} received: stopping intake, finishing in-flight batches, committing", name);
                    signals.signalled();
                });
            } catch (IllegalArgumentException e) {
                // this platform does not let the JVM take the signal: a shutdown hook still stops cleanly
                Runtime.getRuntime().addShutdownHook(new Thread(signals::signalled, "shutdown-hook"));
            }
        }
        return signals;
    }

    private synchronized void signalled() {
        if (requested) {
            return;
        }
        requested = true;
        if (stop == null) {
            starting.interrupt();
        } else {
            new Thread(stop, "shutdown").start();
        }
    }

    /** Whether a signal came: an exception out of start-up is then the abandoned start, not a failure. */
    public synchronized boolean requested() {
        return requested;
    }

    /**
     * Start-up is over: a signal now runs {@code stop} once, on its own thread. When one came already, runs
     * {@code stop} at once on that thread and clears the interrupt it left on the calling thread.
     */
    public synchronized void onTermination(Runnable stop) {
        this.stop = stop;
        if (requested) {
            Thread.interrupted();
            new Thread(stop, "shutdown").start();
        }
    }
}
