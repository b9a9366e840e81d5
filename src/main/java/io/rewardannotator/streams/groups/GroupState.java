package io.rewardannotator.streams.groups;

import io.rewardannotator.event.GroupMember;
import io.rewardannotator.event.Policy;
import io.rewardannotator.event.ScoredGroup;
import io.rewardannotator.event.Scorer;
import io.rewardannotator.streams.DataSerde;
import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * One prompt's group as the collector keeps it in its store: open while members arrive, then closed (emitted)
 * and kept, without its members, until {@code group.retention.ms} has passed, so a late member is recognised.
 * Each group has one pending action in the collector's schedule, at {@link #dueAt()}: its wait running out while
 * open, its forgetting once closed.
 */
final class GroupState {
    static final DataSerde<GroupState> SERDE = new DataSerde<>(1, GroupState::write, GroupState::read);

    private final String policyName;
    private final String policyVersion;
    private int expectedSize;
    private final long firstEventTime;
    private long lastEventTime;
    private boolean closed;
    private long dueAt;
    /** Scored members in arrival order; emptied once the group is closed. */
    private final List<MemberOutcome> scored;
    /** Response ids of dead-lettered members; emptied once the group is closed. */
    private final List<String> missing;

    private GroupState(String policyName, String policyVersion, int expectedSize, long firstEventTime,
                       long lastEventTime, boolean closed, long dueAt, List<MemberOutcome> scored,
                       List<String> missing) {
        this.policyName = policyName;
        this.policyVersion = policyVersion;
        this.expectedSize = expectedSize;
        this.firstEventTime = firstEventTime;
        this.lastEventTime = lastEventTime;
        this.closed = closed;
        this.dueAt = dueAt;
        this.scored = scored;
        this.missing = missing;
    }

    /** A group opened by its first member, arriving at {@code eventTime}; its wait runs out at {@code dueAt}. */
    static GroupState open(MemberOutcome first, long eventTime, long dueAt) {
        GroupState group = new GroupState(first.policyName(), first.policyVersion(), 0, eventTime, eventTime,
                false, dueAt, new ArrayList<>(), new ArrayList<>());
        group.add(first, eventTime);
        return group;
    }

    boolean closed() {
        return closed;
    }

    long dueAt() {
        return dueAt;
    }

    String policyName() {
        return policyName;
    }

    String policyVersion() {
        return policyVersion;
    }

    long lastEventTime() {
        return lastEventTime;
    }

    /** Whether the response is a member already: a record read twice (at-least-once) is not a second member. */
    boolean has(String responseId) {
        return missing.contains(responseId) || scored.stream().anyMatch(m -> m.responseId().equals(responseId));
    }

    void add(MemberOutcome member, long eventTime) {
        if (member.deadLettered()) {
            missing.add(member.responseId());
        } else {
            scored.add(member);
        }
        if (expectedSize == 0) {
            expectedSize = member.expectedSize();
        }
        lastEventTime = Math.max(lastEventTime, eventTime);
    }

    /** Every announced member has been scored or dead-lettered. */
    boolean complete() {
        return expectedSize > 0 && scored.size() + missing.size() >= expectedSize;
    }

    /** Forgets the members; what stays is enough to recognise a late one until {@code forgetAt}. */
    void close(long forgetAt) {
        closed = true;
        dueAt = forgetAt;
        scored.clear();
        missing.clear();
    }

    ScoredGroup toEvent(String promptId, Scorer scorer, GroupSettings settings) {
        int n = scored.size();
        double[] scores = new double[n];
        double[][] quantiles = new double[n][];
        for (int i = 0; i < n; i++) {
            scores[i] = scored.get(i).score();
            quantiles[i] = scored.get(i).quantiles();
        }
        double[] advantages = GroupRewards.advantages(scores, settings.advantageEpsilon());
        double[] centered = GroupRewards.centered(scores);
        int[] ranks = GroupRewards.ranks(scores);
        List<GroupMember> members = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            MemberOutcome m = scored.get(i);
            members.add(GroupMember.newBuilder().setResponseId(m.responseId()).setScore(m.score()).setCvar(m.cvar())
                    .setSpread(m.spread()).setAdvantage(advantages[i]).setCentered(centered[i]).setRank(ranks[i])
                    .build());
        }
        List<List<Double>> pBetter = null;
        if (n <= settings.pairsMaxSize()) {
            pBetter = Arrays.stream(GroupRewards.pBetterMatrix(quantiles))
                    .map(row -> Arrays.stream(row).boxed().toList()).toList();
        }
        return ScoredGroup.newBuilder()
                .setPromptId(promptId)
                .setPolicy(new Policy(policyName, policyVersion))
                .setComplete(complete())
                .setExpectedSize(expectedSize > 0 ? expectedSize : null)
                .setMembers(members)
                .setMissing(List.copyOf(missing))
                .setPBetter(pBetter)
                .setScorer(scorer)
                .setFirstScoredAt(Instant.ofEpochMilli(firstEventTime))
                .build();
    }

    private static void write(GroupState g, DataOutput out) throws IOException {
        DataSerde.writeString(out, g.policyName);
        DataSerde.writeString(out, g.policyVersion);
        out.writeInt(g.expectedSize);
        out.writeLong(g.firstEventTime);
        out.writeLong(g.lastEventTime);
        out.writeBoolean(g.closed);
        out.writeLong(g.dueAt);
        out.writeInt(g.scored.size());
        for (MemberOutcome m : g.scored) {
            MemberOutcome.write(m, out);
        }
        out.writeInt(g.missing.size());
        for (String id : g.missing) {
            DataSerde.writeString(out, id);
        }
    }

    private static GroupState read(DataInput in) throws IOException {
        String policyName = DataSerde.readString(in);
        String policyVersion = DataSerde.readString(in);
        int expectedSize = in.readInt();
        long firstEventTime = in.readLong();
        long lastEventTime = in.readLong();
        boolean closed = in.readBoolean();
        long dueAt = in.readLong();
        int scoredCount = in.readInt();
        List<MemberOutcome> scored = new ArrayList<>(scoredCount);
        for (int i = 0; i < scoredCount; i++) {
            scored.add(MemberOutcome.read(in));
        }
        int missingCount = in.readInt();
        List<String> missing = new ArrayList<>(missingCount);
        for (int i = 0; i < missingCount; i++) {
            missing.add(DataSerde.readString(in));
        }
        return new GroupState(policyName, policyVersion, expectedSize, firstEventTime, lastEventTime, closed, dueAt,
                scored, missing);
    }
}
