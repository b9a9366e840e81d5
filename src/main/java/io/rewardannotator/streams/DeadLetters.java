package io.rewardannotator.streams;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * The headers of a dead-letter record. The {@code __streams.errors.*} names are those Kafka Streams' own
 * dead-letter support (KIP-1034) writes, so one consumer reads both; ours add the typed reason and the stage.
 */
public final class DeadLetters {
    public static final String EXCEPTION = "__streams.errors.exception";
    public static final String MESSAGE = "__streams.errors.message";
    public static final String STACKTRACE = "__streams.errors.stacktrace";
    public static final String TOPIC = "__streams.errors.topic";
    public static final String PARTITION = "__streams.errors.partition";
    public static final String OFFSET = "__streams.errors.offset";
    /** Why: a {@link DeadLetterReason} name, for example {@code TOO_LONG} or {@code WRONG_MAGIC_BYTE}. */
    public static final String REASON = "reward-annotator.reason";
    /** Where: {@code deserialize}, {@code validate} or {@code score}. */
    public static final String STAGE = "reward-annotator.stage";

    /** Where in the pipeline a record was given up. */
    public enum Stage {
        DESERIALIZE, VALIDATE, SCORE;

        String headerValue() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    private DeadLetters() {
    }

    /**
     * The input's own headers plus the dead-letter headers.
     *
     * @param original the input record's headers (copied, not changed)
     * @param reason   a {@link DeadLetterReason} name
     * @throws IllegalArgumentException when {@code reason} is not one: the header's vocabulary is closed
     */
    static Headers headers(Headers original, Stage stage, String reason, Throwable error, String topic, int partition,
                           long offset) {
        RecordHeaders headers = new RecordHeaders(original == null ? null : original.toArray());
        add(headers, REASON, DeadLetterReason.valueOf(reason).name());
        add(headers, STAGE, stage.headerValue());
        add(headers, EXCEPTION, error.getClass().getName());
        add(headers, MESSAGE, String.valueOf(error.getMessage()));
        add(headers, STACKTRACE, stackTrace(error));
        add(headers, TOPIC, topic);
        add(headers, PARTITION, Integer.toString(partition));
        add(headers, OFFSET, Long.toString(offset));
        return headers;
    }

    private static void add(RecordHeaders headers, String name, String value) {
        headers.remove(name);
        headers.add(name, value.getBytes(StandardCharsets.UTF_8));
    }

    private static String stackTrace(Throwable error) {
        StringWriter out = new StringWriter();
        error.printStackTrace(new PrintWriter(out));
        return out.toString();
    }
}
