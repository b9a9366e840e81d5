package io.rewardannotator.scoring;

import io.rewardannotator.text.EncodedConversation;
import java.util.concurrent.CompletableFuture;

/** A queued request: its input, its future, and when it was queued (for linger and latency). */
record ScoringRequest(EncodedConversation encoded, CompletableFuture<RewardResult> future, long enqueuedNanos) {
    int length() {
        return encoded.length();
    }
}
