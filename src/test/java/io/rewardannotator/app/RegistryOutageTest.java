package io.rewardannotator.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class RegistryOutageTest {
    private final AtomicLong now = new AtomicLong();
    private final RegistryOutage outage = new RegistryOutage("http://registry:8081", Duration.ofSeconds(60),
            now::get);

    @Test
    void shouldWaitLongerAfterEachFailedAttemptUntilTheBoundIsSpent() {
        assertThat(outage.nextWait()).contains(Duration.ofSeconds(1));
        assertThat(outage.nextWait()).contains(Duration.ofSeconds(2));
        assertThat(outage.nextWait()).contains(Duration.ofSeconds(4));
        now.addAndGet(Duration.ofSeconds(50).toNanos());
        assertThat(outage.nextWait()).as("never past the bound").contains(Duration.ofSeconds(8));
        now.addAndGet(Duration.ofSeconds(5).toNanos());
        assertThat(outage.nextWait()).contains(Duration.ofSeconds(5));
        now.addAndGet(Duration.ofSeconds(5).toNanos());
        assertThat(outage.nextWait()).isEmpty();
        assertThat(outage.exceeded(null).getMessage()).contains("http://registry:8081").contains("60 s")
                .contains("schema.registry.outage.ms");
    }

    @Test
    void shouldNotCountAnOutageNoStreamThreadWaitedOn() {
        outage.unreachable();
        now.addAndGet(Duration.ofMinutes(10).toNanos());

        assertThat(outage.nextWait()).contains(Duration.ofSeconds(1));
    }

    @Test
    void shouldStartOverOnceTheRegistryAnswers() {
        outage.unreachable();
        outage.nextWait();
        now.addAndGet(Duration.ofSeconds(59).toNanos());
        outage.nextWait();
        outage.reachable();
        now.addAndGet(Duration.ofSeconds(30).toNanos());

        assertThat(outage.nextWait()).contains(Duration.ofSeconds(1));
        assertThat(outage.unreachableCount()).isEqualTo(1);
    }
}
