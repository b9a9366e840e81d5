package io.rewardannotator.streams;

import java.util.Objects;
import org.apache.kafka.common.header.Headers;

/**
 * An input record waiting in the micro-batch buffer: its original key and value bytes (so it can be decoded
 * again after a restart, or dead-lettered byte for byte) and where it came from.
 *
 * @param key       the input key bytes, or {@code null}
 * @param value     the input value bytes (Confluent Avro framing)
 * @param timestamp the input record's timestamp, kept on the output
 * @param headers   the input record's headers, passed on to the output or the dead letter
 */
record BufferedRecord(byte[] key, byte[] value, long timestamp, Headers headers, String topic, int partition,
                      long offset) {
    BufferedRecord {
        Objects.requireNonNull(value, "value");
        Objects.requireNonNull(headers, "headers");
        Objects.requireNonNull(topic, "topic");
    }
}
