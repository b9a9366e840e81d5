package io.rewardannotator.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.turbo.TurboFilter;
import ch.qos.logback.core.spi.FilterReply;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.NetworkClient;
import org.slf4j.Marker;
import org.slf4j.helpers.MessageFormatter;

/**
 * Drops the consumer's "metadata response ... reported a recoverable issue ... {app-...-repartition=
 * UNKNOWN_TOPIC_OR_PARTITION}" warnings (logback.xml, logback-demo.xml).
 *
 * <p>Why they are benign: on the first start of an application id, the stream thread subscribes to every source
 * topic, the reward-stats repartition topic included, before the group leader's partition assignor creates that
 * topic; the consumer's metadata requests name it until then. Kafka Streams 4.4 has no way to create internal
 * topics before it subscribes (KIP-698's {@code KafkaStreams#init()} is not released), and the topic cannot be
 * dropped: the statistics are kept per policy. A repartition topic lost later is reported by Kafka Streams
 * itself. Any other warning of that logger, even one that also names a repartition topic, passes.
 */
public final class RepartitionTopicWarningFilter extends TurboFilter {
    private static final String LOGGER = NetworkClient.class.getName();
    /** The errors map at the end of the message, as {@code Map.toString} writes it. */
    private static final Pattern ERRORS = Pattern.compile(": \\{([^{}]+)}$");
    private static final Pattern ENTRY_SEPARATOR = Pattern.compile(", ");
    private static final Pattern UNKNOWN_REPARTITION_TOPIC =
            Pattern.compile("\\S+-repartition=UNKNOWN_TOPIC_OR_PARTITION");

    @Override
    public FilterReply decide(Marker marker, Logger logger, Level level, String format, Object[] params,
            Throwable t) {
        if (level != Level.WARN || format == null || !LOGGER.equals(logger.getName())) {
            return FilterReply.NEUTRAL;
        }
        // Kafka's LogContext formats the message before it logs it; a plain SLF4J call would pass the parameters
        String message = params == null ? format : MessageFormatter.arrayFormat(format, params).getMessage();
        Matcher errors = ERRORS.matcher(message);
        if (errors.find() && ENTRY_SEPARATOR.splitAsStream(errors.group(1))
                .allMatch(error -> UNKNOWN_REPARTITION_TOPIC.matcher(error).matches())) {
            return FilterReply.DENY;
        }
        return FilterReply.NEUTRAL;
    }
}
