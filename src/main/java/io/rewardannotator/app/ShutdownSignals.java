package io.rewardannotator.app;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns SIGTERM and SIGINT into an orderly stop. Handling the signals (rather than a shutdown hook) lets the
 * process finish its work and exit with its own code, 0 after a clean stop; with a hook alone the JVM would
 * report 143 whatever the outcome.
 */
public final class ShutdownSignals {
    private static final Logger LOG = LoggerFactory.getLogger(ShutdownSignals.class);

    private ShutdownSignals() {
    }

    /** Runs {@code stop} once, on its own thread, at the first SIGTERM or SIGINT. */
    public static void onTermination(Runnable stop) {
        Runnable once = new Runnable() {
            private boolean started;

            @Override
            public synchronized void run() {
                if (!started) {
                    started = true;
                    new Thread(stop, "shutdown").start();
                }
            }
        };
        for (String name : new String[] {"TERM", "INT"}) {
            try {
                sun.misc.Signal.handle(new sun.misc.Signal(name), signal -> {
                    LOG.info("SIG{} received: stopping intake, finishing in-flight batches, committing", name);
                    once.run();
                });
            } catch (IllegalArgumentException e) {
                // this platform does not let the JVM take the signal: a shutdown hook still stops cleanly
                Runtime.getRuntime().addShutdownHook(new Thread(stop, "shutdown-hook"));
            }
        }
    }
}
