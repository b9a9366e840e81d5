package io.rewardannotator.streams;

import io.rewardannotator.event.RewardStats;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Keeps what the reward statistics report to their listener. */
public final class RecordingListener implements AnnotationListener {
    public record Late(String policyName, String policyVersion, long lateByMillis) {
    }

    public final List<Late> late = new CopyOnWriteArrayList<>();
    public final List<RewardStats> closed = new CopyOnWriteArrayList<>();
    public final List<String> lateMembers = new CopyOnWriteArrayList<>();

    @Override
    public void lateStatsRecord(String policyName, String policyVersion, long lateByMillis) {
        late.add(new Late(policyName, policyVersion, lateByMillis));
    }

    @Override
    public void lateGroupMember(String policyName, String policyVersion) {
        lateMembers.add(policyName + "/" + policyVersion);
    }

    @Override
    public void windowClosed(RewardStats stats) {
        closed.add(stats);
    }
}
