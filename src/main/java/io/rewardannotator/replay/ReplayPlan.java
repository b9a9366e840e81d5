package io.rewardannotator.replay;

import io.rewardannotator.streams.SliceBounds;
import java.io.PrintWriter;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.apache.kafka.common.TopicPartition;

/**
 * What a replay reads, fixed when it starts: for each partition of the input topic, the next offset to read and
 * the bound (exclusive). Counts are offset ranges: on a topic written in transactions the commit markers take
 * offsets too, so they are upper bounds there.
 *
 * @param partitions every partition of the topic, in partition order
 */
public record ReplayPlan(String topic, String applicationId, List<PartitionSlice> partitions) {
    /**
     * One partition's share.
     *
     * @param start     the next offset to read: the group's committed offset when it has one, else the range's start
     * @param end       the first offset not replayed
     * @param committed whether {@code start} is the group's committed offset (a resumed replay)
     */
    record PartitionSlice(int partition, long start, long end, boolean committed) {
        public long records() {
            return Math.max(0, end - start);
        }
    }

    public ReplayPlan {
        Objects.requireNonNull(topic, "topic");
        Objects.requireNonNull(applicationId, "applicationId");
        partitions = List.copyOf(partitions);
    }

    public long records() {
        return partitions.stream().mapToLong(PartitionSlice::records).sum();
    }

    public boolean isEmpty() {
        return records() == 0;
    }

    /** Whether the replay's group had committed offsets: a run of this replay stopped before, or finished. */
    public boolean resumed() {
        return partitions.stream().anyMatch(PartitionSlice::committed);
    }

    public SliceBounds bounds() {
        return new SliceBounds(offsets(false));
    }

    /** The starting offsets to commit before the streams start: those of partitions the group has none for. */
    public Map<TopicPartition, Long> startsToCommit() {
        return offsets(true);
    }

    private Map<TopicPartition, Long> offsets(boolean uncommittedStarts) {
        Map<TopicPartition, Long> out = new HashMap<>();
        for (PartitionSlice slice : partitions) {
            if (!uncommittedStarts) {
                out.put(new TopicPartition(topic, slice.partition()), slice.end());
            } else if (!slice.committed()) {
                out.put(new TopicPartition(topic, slice.partition()), slice.start());
            }
        }
        return out;
    }

    /** The plan as a table, for {@code --dry-run} and the start of a run. */
    public void print(PrintWriter out) {
        out.printf("replay of %s as application.id %s%n", topic, applicationId);
        out.println(resumed() ? "  resuming from the group's committed offsets"
                : "  new: starting offsets are committed for this group before the streams start");
        out.printf("  %9s %12s %12s %10s%n", "partition", "start", "end", "records");
        for (PartitionSlice slice : partitions) {
            out.printf("  %9d %12d %12d %10d%s%n", slice.partition(), slice.start(), slice.end(), slice.records(),
                    slice.committed() ? "  (committed)" : "");
        }
        out.printf("  total %d records%n", records());
        out.flush();
    }
}
