package io.rewardannotator.streams;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import org.apache.kafka.streams.TopologyTestDriver;

/** Drives the micro-batch drain punctuator of a {@link TopologyTestDriver} while the real scorer works. */
final class WallClock {
    private WallClock() {
    }

    /** Advances wall-clock time in 20 ms steps until {@code done} holds, for at most 30 s. */
    static void advanceUntil(TopologyTestDriver driver, BooleanSupplier done) {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!done.getAsBoolean()) {
            assertThat(System.nanoTime()).as("condition not met within 30 s").isLessThan(deadline);
            driver.advanceWallClockTime(Duration.ofMillis(20));
            LockSupport.parkNanos(Duration.ofMillis(1).toNanos());
        }
    }
}
