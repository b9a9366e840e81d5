package io.rewardannotator.text;

import java.util.Arrays;

/**
 * A conversation's ids before its gating token, compared by content: conversations with equal keys share their
 * prompt (a GRPO group), and a causal model computes the same keys and values for it in each of them.
 */
public final class PromptKey {
    private final long[] ids;
    private final int hash;

    private PromptKey(long[] ids) {
        this.ids = ids;
        this.hash = Arrays.hashCode(ids);
    }

    /** The first {@code gatingIndex} of {@code ids}. */
    public static PromptKey of(long[] ids, int gatingIndex) {
        return new PromptKey(Arrays.copyOf(ids, gatingIndex));
    }

    public static PromptKey of(EncodedConversation conversation) {
        return of(conversation.ids(), conversation.gatingIndex());
    }

    public int length() {
        return ids.length;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PromptKey k && hash == k.hash && Arrays.equals(ids, k.ids);
    }

    @Override
    public int hashCode() {
        return hash;
    }
}
