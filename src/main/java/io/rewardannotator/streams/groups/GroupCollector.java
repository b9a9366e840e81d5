package io.rewardannotator.streams.groups;

import io.rewardannotator.event.ScoredGroup;
import io.rewardannotator.event.Scorer;
import io.rewardannotator.streams.AnnotationListener;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Collects the members of each prompt's group (keyed by {@code prompt_id}) and emits the group once, as a
 * {@link ScoredGroup}: as soon as its announced size has been scored or dead-lettered, or, incomplete, when
 * {@code group.max.wait.ms} of wall-clock time has passed since its first member arrived.
 *
 * <p>Once: the group's state and the event commit in one transaction under exactly-once, and a closed group stays
 * in the store (without its members) for {@code group.retention.ms}, so a member arriving later, or a record read
 * again after a crash, neither reopens it nor emits it twice; a late member is reported to
 * {@link AnnotationListener#lateGroupMember}. Both stores are changelogged, so this holds across restarts and
 * rebalances. A member read twice while its group is open (at-least-once) counts once.
 *
 * <p>Time: wall-clock, because a group's members are scored at about the same time whatever their event times,
 * and a group must close even when no more records arrive. The schedule store orders each group's one pending
 * action (its wait running out, or its forgetting) by due time, so a punctuation reads only what is due.
 *
 * <p>Threading: runs on its task's stream thread only.
 */
final class GroupCollector implements Processor<String, MemberOutcome, String, ScoredGroup> {
    private static final Duration CHECK_INTERVAL = Duration.ofSeconds(1);

    private final GroupSettings settings;
    private final Scorer scorer;
    private final AnnotationListener listener;
    private final String groupStoreName;
    private final String scheduleStoreName;

    private ProcessorContext<String, ScoredGroup> context;
    private KeyValueStore<String, GroupState> groups;
    /** Key: due time (20 decimal digits, so the store's byte order is time order), '|', prompt_id. */
    private KeyValueStore<String, String> schedule;

    GroupCollector(GroupSettings settings, Scorer scorer, AnnotationListener listener, String groupStoreName,
                   String scheduleStoreName) {
        this.settings = settings;
        this.scorer = scorer;
        this.listener = listener;
        this.groupStoreName = groupStoreName;
        this.scheduleStoreName = scheduleStoreName;
    }

    @Override
    public void init(ProcessorContext<String, ScoredGroup> context) {
        this.context = context;
        this.groups = context.getStateStore(groupStoreName);
        this.schedule = context.getStateStore(scheduleStoreName);
        context.schedule(CHECK_INTERVAL, PunctuationType.WALL_CLOCK_TIME, this::actOnDue);
    }

    @Override
    public void process(Record<String, MemberOutcome> record) {
        String promptId = record.key();
        MemberOutcome member = record.value();
        GroupState group = groups.get(promptId);
        if (group == null) {
            group = GroupState.open(member, record.timestamp(),
                    context.currentSystemTimeMs() + settings.maxWait().toMillis());
            schedule.put(scheduleKey(group.dueAt(), promptId), promptId);
        } else if (group.closed()) {
            listener.lateGroupMember(member.policyName(), member.policyVersion());
            return;
        } else if (group.has(member.responseId())) {
            return;
        } else {
            group.add(member, record.timestamp());
        }
        if (group.complete()) {
            close(promptId, group);
        } else {
            groups.put(promptId, group);
        }
    }

    /** Closes the open groups whose wait has run out and forgets the closed ones past their retention. */
    private void actOnDue(long now) {
        List<KeyValue<String, String>> due = new ArrayList<>();
        try (KeyValueIterator<String, String> it = schedule.range(scheduleKey(0, ""), scheduleKey(now + 1, ""))) {
            it.forEachRemaining(due::add);
        }
        for (KeyValue<String, String> entry : due) {
            String promptId = entry.value;
            GroupState group = groups.get(promptId);
            if (group != null && !group.closed()) {
                close(promptId, group);
            } else {
                schedule.delete(entry.key);
                groups.delete(promptId);
            }
        }
    }

    private void close(String promptId, GroupState group) {
        ScoredGroup event = group.toEvent(promptId, scorer, settings);
        context.forward(new Record<>(promptId, event, group.lastEventTime()));
        listener.groupClosed(group.policyName(), group.policyVersion(), event.getComplete());
        schedule.delete(scheduleKey(group.dueAt(), promptId));
        group.close(context.currentSystemTimeMs() + settings.retention().toMillis());
        schedule.put(scheduleKey(group.dueAt(), promptId), promptId);
        groups.put(promptId, group);
    }

    private static String scheduleKey(long dueAt, String promptId) {
        return String.format(Locale.ROOT, "%020d|%s", dueAt, promptId);
    }
}
