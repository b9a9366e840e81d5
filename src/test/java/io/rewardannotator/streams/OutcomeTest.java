package io.rewardannotator.streams;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rewardannotator.streams.stats.StatsOutcome;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serde;
import org.junit.jupiter.api.Test;

/** A sink wired to the wrong kind of {@link Outcome} says so, instead of failing with a ClassCastException. */
class OutcomeTest {

    @Test
    void shouldWriteTheOriginalBytesOfARejectedRecord() {
        try (Serde<Outcome> deadLetters = OneWaySerdes.writing(Outcome::original, new ByteArraySerializer())) {
            byte[] original = {0, 1, 2};

            assertThat(deadLetters.serializer().serialize("dead-letters", new Outcome.Rejected(original)))
                    .isEqualTo(original);
            assertThat(deadLetters.serializer().serialize("dead-letters", new Outcome.Rejected(null))).isNull();
        }
    }

    @Test
    void shouldNameBothKindsWhenASinkReceivesAnotherKind() {
        try (Serde<Outcome> deadLetters = OneWaySerdes.writing(Outcome::original, new ByteArraySerializer())) {
            Outcome stats = new Outcome.Stats(null, StatsOutcome.deadLetter());

            assertThatThrownBy(() -> deadLetters.serializer().serialize("dead-letters", stats))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessage("topology wiring: a child expecting a rejected record received Stats");
        }
    }
}
