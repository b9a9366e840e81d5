package io.rewardannotator.app;

import io.rewardannotator.registry.RegistryUnavailableException;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * An outage of the schema registry, as the stream threads and the {@link Reachability} probe see it: since when
 * a stream thread has been waiting for it, how long it waits before it tries again (doubling from 1 s, at most
 * 30 s), and when the wait is over ({@code schema.registry.outage.ms}) and the annotator stops. Records of known
 * schema ids need no registry, so an outage nobody waits on does not count against the bound.
 *
 * <p>Threading: called from stream threads and the probe thread; synchronized.
 */
final class RegistryOutage {
    private static final Duration FIRST_WAIT = Duration.ofSeconds(1);
    private static final Duration LONGEST_WAIT = Duration.ofSeconds(30);
    private static final long NONE = Long.MIN_VALUE;

    private final String url;
    private final Duration bound;
    private final LongSupplier nanoClock;
    private final AtomicLong unreachableCount = new AtomicLong();
    private long since = NONE;
    private int attempts;

    RegistryOutage(String url, Duration bound, LongSupplier nanoClock) {
        this.url = url;
        this.bound = bound;
        this.nanoClock = nanoClock;
    }

    /** Whether {@code error} comes from a registry that could not be reached (not from one that refused). */
    static boolean causedBy(Throwable error) {
        for (Throwable e = error; e != null; e = e.getCause()) {
            if (e instanceof RegistryUnavailableException) {
                return true;
            }
        }
        return false;
    }

    /** Counts a failed attempt; the wait's bound runs from the first {@link #nextWait}, when a stream thread needs it. */
    void unreachable() {
        unreachableCount.incrementAndGet();
    }

    synchronized void reachable() {
        since = NONE;
        attempts = 0;
    }

    /** How many times the registry was found unreachable, by a stream thread or the probe. */
    long unreachableCount() {
        return unreachableCount.get();
    }

    /** How long to wait before the next attempt; empty once the outage has lasted {@code bound}. */
    synchronized Optional<Duration> nextWait() {
        long now = nanoClock.getAsLong();
        if (since == NONE) {
            since = now;
        }
        Duration left = bound.minusNanos(now - since);
        if (left.isNegative() || left.isZero()) {
            return Optional.empty();
        }
        Duration wait = FIRST_WAIT.multipliedBy(1L << Math.min(attempts++, 5));
        wait = wait.compareTo(LONGEST_WAIT) > 0 ? LONGEST_WAIT : wait;
        return Optional.of(wait.compareTo(left) > 0 ? left : wait);
    }

    /** The error the annotator stops with once the outage outlasted its bound. */
    synchronized RegistryOutageException exceeded(Throwable cause) {
        return new RegistryOutageException("the schema registry at " + url + " could not be reached; waited for it "
                + Duration.ofNanos(nanoClock.getAsLong() - since).toSeconds() + " s (schema.registry.outage.ms = "
                + bound.toMillis() + "): stopping. Nothing was dead-lettered; the records are read again after a "
                + "restart. Check the registry and schema.registry.url", cause);
    }
}
