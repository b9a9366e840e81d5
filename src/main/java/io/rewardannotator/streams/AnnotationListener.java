package io.rewardannotator.streams;

/**
 * Observes what the annotator does with each record (metrics, tests). Called on stream threads: implementations
 * must be thread-safe, cheap and non-blocking.
 */
public interface AnnotationListener {
    /** A scored event was forwarded; {@code latencyMillis} runs from the input timestamp to the forward. */
    default void scored(String policyName, String policyVersion, int tokens, long latencyMillis) {
    }

    /** A record was sent to the dead-letter topic. Policy fields are {@code null} when it could not be decoded. */
    default void deadLettered(DeadLetters.Stage stage, String reason, String policyName, String policyVersion) {
    }

    /** Records of one task buffered and not yet forwarded, after each change. */
    default void inFlight(String taskId, int records) {
    }

    /** Does nothing. */
    AnnotationListener NONE = new AnnotationListener() {
    };
}
