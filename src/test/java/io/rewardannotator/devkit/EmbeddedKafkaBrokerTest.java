package io.rewardannotator.devkit;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class EmbeddedKafkaBrokerTest {
    @Test
    void shouldRejectOverridingTheListenersWhenGivenAsBrokerProperty() {
        assertThatThrownBy(() -> EmbeddedKafkaBroker.builder().brokerProperty("listeners", "PLAINTEXT://:9092"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("listeners")
                .hasMessageContaining("port()");
    }

    @Test
    void shouldRejectOutOfRangeOptionsNamingTheOption() {
        EmbeddedKafkaBroker.Builder builder = EmbeddedKafkaBroker.builder();

        assertThatThrownBy(() -> builder.port(70000)).hasMessageContaining("port");
        assertThatThrownBy(() -> builder.defaultPartitions(0)).hasMessageContaining("defaultPartitions");
        assertThatThrownBy(() -> builder.startTimeout(Duration.ZERO)).hasMessageContaining("startTimeout");
    }
}
