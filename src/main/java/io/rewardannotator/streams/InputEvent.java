package io.rewardannotator.streams;

import io.rewardannotator.event.GeneratedResponse;
import java.util.Objects;

/**
 * A decoded input event together with the bytes it was decoded from: the bytes go into the buffer (so a
 * restarted task decodes exactly what it read), the event is used at once.
 */
record InputEvent(byte[] raw, GeneratedResponse event) {
    InputEvent {
        Objects.requireNonNull(raw, "raw");
        Objects.requireNonNull(event, "event");
    }
}
