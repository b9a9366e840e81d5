package io.rewardannotator.app;

import io.rewardannotator.model.ModelBundle;
import io.rewardannotator.replay.ReplayAdmin;
import io.rewardannotator.replay.ReplayApplicationId;
import io.rewardannotator.replay.ReplayPlan;
import io.rewardannotator.scoring.ScorerFailedException;
import io.rewardannotator.streams.AnnotationListener;
import io.rewardannotator.streams.DeadLetters;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.streams.CloseOptions;

/**
 * One run of a replay: commits the plan's starting offsets where its group has none, starts an annotator bounded
 * to the plan's slice, and tells when the slice is done: every partition's committed offset has reached its bound
 * and every task has forwarded all it buffered. Closing it earlier stops cleanly; the same replay run again
 * resumes from the committed offsets and the restored buffer.
 *
 * <p>Threading: {@link #awaitCompletion} runs on the caller's thread; {@link #close()} may be called from any
 * thread (a shutdown hook, a test) and makes a pending {@code awaitCompletion} return false.
 */
public final class Replay implements AutoCloseable {
    private final ReplayPlan plan;
    private final ReplayAdmin admin;
    private final Annotator annotator;
    private final InFlight inFlight;
    private final Duration closeTimeout;

    private Replay(ReplayPlan plan, ReplayAdmin admin, Annotator annotator, InFlight inFlight,
                   Duration closeTimeout) {
        this.plan = plan;
        this.admin = admin;
        this.annotator = annotator;
        this.inFlight = inFlight;
        this.closeTimeout = closeTimeout;
    }

    /**
     * @param config   the annotator's configuration, with the replay's application id, input and output topic
     * @param listener observes every record (counts, progress); called on stream threads
     * @throws IllegalArgumentException when the replay's group has active members (the same replay runs elsewhere)
     */
    public static Replay start(AnnotatorConfig config, ModelBundle bundle, ReplayPlan plan, ReplayAdmin admin,
                        AnnotationListener listener, Duration startTimeout) {
        int members = admin.members(plan.applicationId());
        if (members > 0) {
            throw new IllegalArgumentException("application.id " + plan.applicationId() + " has " + members
                    + " active member(s): this replay is running elsewhere, or a run that crashed has not yet timed "
                    + "out of the group (kafka.session.timeout.ms, 45 s by default); wait, then run it again");
        }
        Map<TopicPartition, Long> starts = plan.startsToCommit();
        if (!plan.resumed()) {
            // before the replay's own group, so that a run with offsets always has its origin recorded
            admin.commit(ReplayApplicationId.originGroup(plan.applicationId()), starts);
        }
        if (!starts.isEmpty()) {
            admin.commit(plan.applicationId(), starts);
        }
        InFlight inFlight = new InFlight(listener);
        Annotator annotator = Annotator.startReplay(config, bundle, plan.bounds(), inFlight, startTimeout);
        return new Replay(plan, admin, annotator, inFlight,
                Duration.ofMillis(config.getLong(AnnotatorConfig.SHUTDOWN_TIMEOUT_MS)));
    }

    /**
     * Polls the group's committed offsets every {@code poll} until the slice is done, running {@code onPoll} after
     * each wait.
     *
     * @return true when the slice is done; false when the replay was closed first
     * @throws ScorerFailedException when the streams stopped with an error
     */
    public boolean awaitCompletion(Duration poll, Runnable onPoll) throws InterruptedException {
        while (!annotator.awaitStop(poll)) {
            onPoll.run();
            // Offsets first: a task reports its in-flight count before the commit that covers the records counted.
            if (reachedBounds() && inFlight.drained(plan.partitions().size())) {
                return true;
            }
        }
        Throwable fatal = annotator.awaitStop();
        if (fatal instanceof RegistryOutageException outage) {
            // as for run: the registry's exit code, not the scorer's
            throw outage;
        }
        if (fatal != null) {
            throw new ScorerFailedException("the replay stopped: " + fatal.getMessage(), fatal);
        }
        return false;
    }

    private boolean reachedBounds() {
        Map<TopicPartition, Long> committed = admin.committed(plan.applicationId());
        return plan.bounds().ends().entrySet().stream()
                .allMatch(bound -> committed.getOrDefault(bound.getKey(), -1L) >= bound.getValue());
    }

    /**
     * Closes the streams, which commits what was forwarded since the last commit, then the scorer. Unlike the
     * online annotator, a replay leaves its group on close, so that the same replay can be run again at once.
     *
     * @return whether the streams closed within shutdown.timeout.ms; when not, the last outputs may be uncommitted
     *         and running the same replay again writes them
     */
    public boolean finish() {
        boolean clean = annotator.streams().close(CloseOptions.timeout(closeTimeout)
                .withGroupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP));
        annotator.close(closeTimeout);
        return clean;
    }

    /** Stops the replay where it is, as {@link #finish()}; safe to call twice and from any thread. */
    @Override
    public void close() {
        finish();
    }

    /** Keeps the last in-flight count each task reported, and passes every call on. */
    private static final class InFlight implements AnnotationListener {
        private final AnnotationListener delegate;
        private final Map<String, Integer> byTask = new ConcurrentHashMap<>();

        InFlight(AnnotationListener delegate) {
            this.delegate = delegate;
        }

        /** Every task has reported (each does when it starts) and none holds a record. */
        boolean drained(int tasks) {
            return byTask.size() >= tasks && byTask.values().stream().allMatch(n -> n == 0);
        }

        @Override
        public void scored(String policyName, String policyVersion, int tokens, long latencyMillis) {
            delegate.scored(policyName, policyVersion, tokens, latencyMillis);
        }

        @Override
        public void deadLettered(DeadLetters.Stage stage, String reason, String policyName, String policyVersion) {
            delegate.deadLettered(stage, reason, policyName, policyVersion);
        }

        @Override
        public void inFlight(String taskId, int records) {
            byTask.put(taskId, records);
            delegate.inFlight(taskId, records);
        }
    }
}
