package io.rewardannotator.text;

import java.util.Objects;

/**
 * The token ids of one rendered conversation, ready to be batched.
 *
 * @param ids           the ids, BOS first, no padding  // (length)
 * @param gatingIndex   position of the {@code <|eot_id|>} that starts the last gating pattern occurrence
 * @param droppedTurns  how many of the oldest prompt turns were dropped to fit {@code max_tokens}
 */
public record EncodedConversation(long[] ids, int gatingIndex, int droppedTurns) {
    public EncodedConversation {
        Objects.requireNonNull(ids, "ids");
        if (ids.length == 0) {
            throw new IllegalArgumentException("ids must not be empty");
        }
        if (gatingIndex < 0 || gatingIndex >= ids.length) {
            throw new IllegalArgumentException("gatingIndex " + gatingIndex + " outside [0, " + ids.length + ")");
        }
        if (droppedTurns < 0) {
            throw new IllegalArgumentException("droppedTurns must be >= 0");
        }
    }

    /** Number of ids scored, BOS included. */
    public int length() {
        return ids.length;
    }

    /** Position of the last real token. */
    public int lastIndex() {
        return ids.length - 1;
    }
}
