package io.rewardannotator.cli;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.core.spi.FilterReply;
import org.apache.kafka.clients.NetworkClient;
import org.junit.jupiter.api.Test;

class RepartitionTopicWarningFilterTest {
    private static final String PREFIX = "[Consumer clientId=app-1-StreamThread-1-consumer, groupId=app] The metadata "
            + "response from the cluster reported a recoverable issue with correlation id 2 : ";
    private final LoggerContext context = new LoggerContext();
    private final RepartitionTopicWarningFilter filter = new RepartitionTopicWarningFilter();

    @Test
    void shouldDropTheWarningWhenOnlyRepartitionTopicsAreUnknown() {
        assertThat(decide(NetworkClient.class.getName(), PREFIX
                + "{app-reward-stats-outcomes-repartition=UNKNOWN_TOPIC_OR_PARTITION}")).isEqualTo(FilterReply.DENY);
    }

    @Test
    void shouldKeepTheWarningWhenAnotherTopicIsUnknownToo() {
        assertThat(decide(NetworkClient.class.getName(), PREFIX
                + "{app-reward-stats-outcomes-repartition=UNKNOWN_TOPIC_OR_PARTITION, "
                + "generated-responses=UNKNOWN_TOPIC_OR_PARTITION}")).isEqualTo(FilterReply.NEUTRAL);
    }

    @Test
    void shouldKeepOtherErrorsOfARepartitionTopic() {
        assertThat(decide(NetworkClient.class.getName(), PREFIX
                + "{app-reward-stats-outcomes-repartition=TOPIC_AUTHORIZATION_FAILED}")).isEqualTo(FilterReply.NEUTRAL);
    }

    @Test
    void shouldKeepTheSameTextFromAnotherLogger() {
        assertThat(decide("io.rewardannotator.Other", PREFIX
                + "{app-reward-stats-outcomes-repartition=UNKNOWN_TOPIC_OR_PARTITION}")).isEqualTo(FilterReply.NEUTRAL);
    }

    private FilterReply decide(String logger, String message) {
        return filter.decide(null, context.getLogger(logger), Level.WARN, message, null, null);
    }
}
