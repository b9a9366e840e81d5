package io.rewardannotator.streams;

import java.util.Map;
import java.util.Objects;
import org.apache.kafka.common.TopicPartition;

/**
 * Where a replay stops reading: per input partition, the first offset it no longer scores (exclusive). A record is
 * inside the slice when its partition is listed and its offset is below that partition's end; every other record
 * the stream threads happen to read (past the end while slower partitions catch up) is skipped.
 *
 * @param ends exclusive end offset per partition; a partition that is not listed is not replayed at all
 */
public record SliceBounds(Map<TopicPartition, Long> ends) {
    public SliceBounds {
        ends = Map.copyOf(Objects.requireNonNull(ends, "ends"));
        ends.forEach((partition, end) -> {
            if (end < 0) {
                throw new IllegalArgumentException("the end offset of " + partition + " is negative: " + end);
            }
        });
    }

    /** Whether the record at {@code offset} of {@code topic}-{@code partition} belongs to the slice. */
    public boolean contains(String topic, int partition, long offset) {
        Long end = ends.get(new TopicPartition(topic, partition));
        return end != null && offset < end;
    }
}
