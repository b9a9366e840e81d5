package io.rewardannotator.text;

import java.util.Arrays;

/**
 * A conversation's ids before its gating token, compared by content: conversations with equal keys share their
 * prompt (a GRPO group), and a causal model computes the same keys and values for it in each of them.
 */
public final class PromptKey {
    private final long[] ids;     // not copied: a conversation's ids are never changed once encoded
    private final int length;
    private final int hash;

    private PromptKey(long[] ids, int length) {
        this.ids = ids;
        this.length = length;
        int h = 1;
        for (int i = 0; i < length; i++) {
            h = 31 * h + Long.hashCode(ids[i]);
        }
        this.hash = h;
    }

    /** The first {@code gatingIndex} of {@code ids}. */
    public static PromptKey of(long[] ids, int gatingIndex) {
        if (gatingIndex < 0 || gatingIndex > ids.length) {
            throw new IllegalArgumentException("gating index " + gatingIndex + " outside [0, " + ids.length + "]");
        }
        return new PromptKey(ids, gatingIndex);
    }

    public static PromptKey of(EncodedConversation conversation) {
        return of(conversation.ids(), conversation.gatingIndex());
    }

    public int length() {
        return length;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PromptKey k && hash == k.hash && Arrays.equals(ids, 0, length, k.ids, 0, k.length);
    }

    @Override
    public int hashCode() {
        return hash;
    }
}
