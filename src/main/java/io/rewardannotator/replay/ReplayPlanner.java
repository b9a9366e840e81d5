package io.rewardannotator.replay;

import io.rewardannotator.replay.ReplayPlan.PartitionSlice;
import io.rewardannotator.replay.ReplayRange.AtOffsets;
import io.rewardannotator.replay.ReplayRange.AtTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;

/**
 * Turns a {@link ReplayRange} into offsets: a time becomes, per partition, the first offset whose timestamp is at
 * or after it (the end of the partition when there is none); the end defaults to the committed end of each
 * partition now. A group that already has committed offsets resumes from them.
 *
 * <p>The slice is an offset range: with timestamps that are not increasing within a partition (producers setting
 * their own), records between the two offsets are read whatever their timestamps.
 */
public final class ReplayPlanner {
    private final ReplayAdmin admin;

    public ReplayPlanner(ReplayAdmin admin) {
        this.admin = admin;
    }

    /** @throws IllegalArgumentException when the topic does not exist or an offset is outside the partition */
    public ReplayPlan plan(String topic, ReplayRange range, String applicationId) {
        List<TopicPartition> partitions = admin.partitions(topic);
        Map<TopicPartition, Long> latest = admin.offsets(partitions, OffsetSpec.latest());
        Map<TopicPartition, Long> ends = range.to() == null ? latest : atTime(partitions, range.to(), latest);
        Map<TopicPartition, Long> starts = range.from() instanceof AtTime from
                ? atTime(partitions, from.time(), ends)
                : explicit(topic, partitions, (AtOffsets) range.from(), latest, ends);
        Map<TopicPartition, Long> committed = admin.committed(applicationId);
        if (!committed.isEmpty()) {
            refuseOtherStart(applicationId, starts, ends, admin.committed(ReplayApplicationId.originGroup(applicationId)));
        }
        List<PartitionSlice> slices = new ArrayList<>();
        for (TopicPartition p : partitions) {
            Long resumeAt = committed.get(p);
            slices.add(new PartitionSlice(p.partition(), resumeAt != null ? resumeAt : starts.get(p), ends.get(p),
                    resumeAt != null));
        }
        return new ReplayPlan(topic, applicationId, slices);
    }

    /**
     * A replay that already ran resumes from its committed offsets, so a {@code --from} other than the one it began
     * with would be silently ignored: refuse it. Partitions this request reads nothing of are not compared (their
     * start follows the end of the partition, which moves).
     */
    private static void refuseOtherStart(String applicationId, Map<TopicPartition, Long> starts,
                                         Map<TopicPartition, Long> ends, Map<TopicPartition, Long> origin) {
        Map<Integer, String> differing = new TreeMap<>();
        starts.forEach((p, start) -> {
            Long began = origin.get(p);
            if (began != null && start < ends.get(p) && !began.equals(start)) {
                differing.put(p.partition(), "began at " + began + ", --from gives " + start);
            }
        });
        if (!differing.isEmpty()) {
            throw new IllegalArgumentException("--from disagrees with where replay " + applicationId
                    + " began (partition: " + differing + "): it would resume from its committed offsets and ignore "
                    + "--from. Run it with the --from it began with to resume it; to start over, reset it first: "
                    + "kafka-streams-application-reset.sh --application-id " + applicationId
                    + " --input-topics <topic>, then kafka-consumer-groups.sh --delete --group " + applicationId
                    + " --group " + ReplayApplicationId.originGroup(applicationId));
        }
    }

    /** The first offset at or after {@code time}, never past {@code limit} (which it falls back to). */
    private Map<TopicPartition, Long> atTime(List<TopicPartition> partitions, Instant time,
                                             Map<TopicPartition, Long> limit) {
        Map<TopicPartition, Long> found = admin.offsets(partitions, OffsetSpec.forTimestamp(time.toEpochMilli()));
        Map<TopicPartition, Long> out = new HashMap<>();
        for (TopicPartition p : partitions) {
            long offset = found.getOrDefault(p, -1L);
            out.put(p, offset < 0 ? limit.get(p) : Math.min(offset, limit.get(p)));
        }
        return out;
    }

    /** The given offsets, checked against the partitions; a partition not given starts at its end (not read). */
    private Map<TopicPartition, Long> explicit(String topic, List<TopicPartition> partitions, AtOffsets from,
                                               Map<TopicPartition, Long> latest, Map<TopicPartition, Long> ends) {
        Map<TopicPartition, Long> earliest = admin.offsets(partitions, OffsetSpec.earliest());
        Map<TopicPartition, Long> out = new HashMap<>(ends);
        from.offsets().forEach((partition, offset) -> {
            TopicPartition p = new TopicPartition(topic, partition);
            if (!latest.containsKey(p)) {
                throw new IllegalArgumentException("--from: topic " + topic + " has no partition " + partition
                        + " (it has " + partitions.size() + ")");
            }
            if (offset < earliest.get(p) || offset > latest.get(p)) {
                throw new IllegalArgumentException("--from: offset " + offset + " of partition " + partition
                        + " is out of range: " + p + " holds offsets " + earliest.get(p) + " to " + latest.get(p)
                        + " (exclusive)");
            }
            if (offset > ends.get(p)) {
                throw new IllegalArgumentException("--from: partition " + partition + " starts at offset " + offset
                        + ", past the --to bound there (offset " + ends.get(p) + ")");
            }
            out.put(p, offset);
        });
        return out;
    }
}
