package io.rewardannotator.streams;

import io.rewardannotator.event.ScoredResponse;
import io.rewardannotator.streams.groups.MemberOutcome;
import io.rewardannotator.streams.stats.PolicyKey;
import io.rewardannotator.streams.stats.StatsOutcome;

/**
 * What {@link MicroBatchProcessor} forwards for one input record: a scored response (to the scored sink), a
 * rejected record's original bytes (to the dead-letter sink, reason in the headers), a statistics outcome (to
 * the statistics branch) or a group member's outcome (to the group branch). Each child takes its part through the accessor of its kind; another kind reaching it
 * fails with a message naming both, not with a {@code ClassCastException}.
 */
public sealed interface Outcome permits Outcome.Scored, Outcome.Rejected, Outcome.Stats, Outcome.Member {

    /** @return the scored response, for the scored sink */
    default ScoredResponse scored() {
        throw miswired("a scored response");
    }

    /** @return the original record's bytes ({@code null} for a tombstone), for the dead-letter sink */
    default byte[] original() {
        throw miswired("a rejected record");
    }

    /** @return the statistics outcome with its policy, for the statistics branch */
    default Stats stats() {
        throw miswired("a statistics outcome");
    }

    /** @return the member outcome with its prompt_id, for the group branch */
    default Member member() {
        throw miswired("a group member's outcome");
    }

    private IllegalStateException miswired(String expected) {
        return new IllegalStateException("topology wiring: a child expecting " + expected + " received "
                + getClass().getSimpleName());
    }

    record Scored(ScoredResponse scored) implements Outcome {
    }

    /** @param original the input record's value as read, so the dead letter can be replayed byte for byte */
    record Rejected(byte[] original) implements Outcome {
    }

    /** @param policy the key the statistics branch repartitions by */
    record Stats(PolicyKey policy, StatsOutcome outcome) implements Outcome {
        @Override
        public Stats stats() {
            return this;
        }
    }

    /** @param promptId the key the group branch repartitions by */
    record Member(String promptId, MemberOutcome outcome) implements Outcome {
        @Override
        public Member member() {
            return this;
        }
    }
}
