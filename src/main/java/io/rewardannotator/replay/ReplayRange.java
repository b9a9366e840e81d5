package io.rewardannotator.replay;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * The slice a replay reads, as given on the command line, before any offset is looked up.
 *
 * @param from where it starts: a time (the first record at or after it) or an offset per partition
 * @param to   where it ends, exclusive: the first record at or after this time is not read; {@code null} for the
 *             end of each partition when the replay starts
 */
public record ReplayRange(Start from, Instant to) {
    private static final Pattern EPOCH_MILLIS = Pattern.compile("\\d{1,18}");
    private static final Pattern OFFSETS = Pattern.compile("\\s*\\d+\\s*:\\s*\\d+\\s*(,\\s*\\d+\\s*:\\s*\\d+\\s*)*");
    private static final String TIME_FORMS = "an ISO-8601 instant (2024-05-01T12:00:00Z) or epoch milliseconds "
            + "(1714564800000)";

    /** Where a replay starts. */
    sealed interface Start permits AtTime, AtOffsets {
    }

    /** At the first record of each partition whose timestamp is at or after {@code time}. */
    record AtTime(Instant time) implements Start {
        AtTime {
            Objects.requireNonNull(time, "time");
        }
    }

    /** At these offsets; partitions that are not listed are not replayed. */
    record AtOffsets(Map<Integer, Long> offsets) implements Start {
        AtOffsets {
            offsets = Map.copyOf(offsets);
            if (offsets.isEmpty()) {
                throw new IllegalArgumentException("--from offsets must list at least one partition:offset");
            }
        }
    }

    public ReplayRange {
        Objects.requireNonNull(from, "from");
        if (from instanceof AtTime start && to != null && to.isBefore(start.time())) {
            throw new IllegalArgumentException("--to " + to + " is before --from " + start.time()
                    + ": a replay reads from --from up to (not including) --to");
        }
    }

    /**
     * Parses {@code --from} (a time, or offsets like {@code 0:100,1:250}) and {@code --to} (a time, or {@code null}).
     *
     * @throws IllegalArgumentException naming the flag, when a value cannot be parsed or --to is before --from
     */
    public static ReplayRange parse(String from, String to) {
        return new ReplayRange(parseStart(from), to == null ? null : parseTime("--to", to));
    }

    static Start parseStart(String value) {
        Objects.requireNonNull(value, "--from");
        return OFFSETS.matcher(value).matches() ? parseOffsets(value) : new AtTime(parseTime("--from", value));
    }

    static Instant parseTime(String flag, String value) {
        String v = value.trim();
        try {
            return EPOCH_MILLIS.matcher(v).matches() ? Instant.ofEpochMilli(Long.parseLong(v)) : Instant.parse(v);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException(flag + " '" + value + "' is not a time: expected " + TIME_FORMS
                    + (flag.equals("--from") ? ", or offsets per partition (0:100,1:250)" : ""), e);
        }
    }

    private static AtOffsets parseOffsets(String value) {
        Map<Integer, Long> offsets = new TreeMap<>();
        for (String pair : value.split(",")) {
            String[] parts = pair.split(":");
            int partition;
            long offset;
            try {
                partition = Integer.parseInt(parts[0].trim());
                offset = Long.parseLong(parts[1].trim());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("--from '" + value + "': '" + pair.trim()
                        + "' is not partition:offset (number too large)", e);
            }
            if (offsets.put(partition, offset) != null) {
                throw new IllegalArgumentException("--from '" + value + "' lists partition " + partition + " twice");
            }
        }
        return new AtOffsets(offsets);
    }

    @Override
    public String toString() {
        String start = from instanceof AtTime t ? t.time().toString() : "offsets " + ((AtOffsets) from).offsets();
        return "from " + start + " to " + (to == null ? "the end" : to.toString());
    }
}
