package io.rewardannotator.text;

import java.util.List;
import java.util.Objects;

/**
 * Conversation to token ids: validate, render in the model's chat format, tokenize, add the one BOS, find the
 * gating index, enforce {@code max_tokens}. Stateless apart from the tokenizer, so thread-safe.
 */
public final class ConversationEncoder {
    private final ChatTemplate template;
    private final LocalTokenizer tokenizer;
    private final long bosId;
    private final long[] gatingPattern;
    private final int maxTokens;
    private final OverflowPolicy overflowPolicy;

    public ConversationEncoder(ChatTemplate template, LocalTokenizer tokenizer, long bosId, List<Long> gatingPattern,
                               int maxTokens, OverflowPolicy overflowPolicy) {
        this.template = Objects.requireNonNull(template, "template");
        this.tokenizer = Objects.requireNonNull(tokenizer, "tokenizer");
        this.bosId = bosId;
        this.gatingPattern = gatingPattern.stream().mapToLong(Long::longValue).toArray();
        if (this.gatingPattern.length == 0) {
            throw new IllegalArgumentException("gating pattern must not be empty");
        }
        if (maxTokens < 1) {
            throw new IllegalArgumentException("maxTokens must be >= 1, got " + maxTokens);
        }
        this.maxTokens = maxTokens;
        this.overflowPolicy = Objects.requireNonNull(overflowPolicy, "overflowPolicy");
    }

    /**
     * Encodes one conversation.
     *
     * @throws InputRejectedException naming the reason when the conversation cannot be scored
     */
    public EncodedConversation encode(Conversation conversation) throws InputRejectedException {
        conversation.validate();
        long[] ids = tokenize(conversation);
        if (ids.length <= maxTokens) {
            return withGatingIndex(ids, 0);
        }
        rejectIfResponseAloneTooLong(conversation);
        if (overflowPolicy == OverflowPolicy.REJECT) {
            throw new InputRejectedException(RejectionReason.TOO_LONG, ids.length + " tokens, more than max_tokens "
                    + maxTokens + " (shortening the prompt from its oldest turns is an option)");
        }
        return shortenPrompt(conversation, ids.length);
    }

    /** Rendered text to ids, BOS first. */
    long[] tokenize(Conversation conversation) {
        long[] body = tokenizer.encode(template.render(conversation.messages()));
        long[] ids = new long[body.length + 1];
        ids[0] = bosId;
        System.arraycopy(body, 0, ids, 1, body.length);
        return ids;
    }

    private EncodedConversation shortenPrompt(Conversation conversation, int fullLength)
            throws InputRejectedException {
        int nonSystem = (int) conversation.prompt().stream().filter(m -> m.role() != ChatRole.SYSTEM).count();
        // Keep at least the last user turn; start the kept prompt on a user turn so exchanges stay whole.
        for (int dropped = 1; dropped < nonSystem; dropped++) {
            Conversation shorter = conversation.withoutOldestTurns(dropped);
            if (firstTurnIsUser(shorter)) {
                long[] ids = tokenize(shorter);
                if (ids.length <= maxTokens) {
                    return withGatingIndex(ids, dropped);
                }
            }
        }
        throw new InputRejectedException(RejectionReason.TOO_LONG, fullLength
                + " tokens, and still more than max_tokens " + maxTokens + " with only the last user turn kept");
    }

    private static boolean firstTurnIsUser(Conversation conversation) {
        return conversation.prompt().stream().filter(m -> m.role() != ChatRole.SYSTEM)
                .findFirst().map(m -> m.role() == ChatRole.USER).orElse(false);
    }

    private void rejectIfResponseAloneTooLong(Conversation conversation) throws InputRejectedException {
        // BOS + the response's own tokens: no shortening of the prompt can make room for more.
        int responseTokens = tokenizer.encode(PythonStrings.strip(conversation.response())).length + 1;
        if (responseTokens > maxTokens) {
            throw new InputRejectedException(RejectionReason.RESPONSE_TOO_LONG, "the response alone is "
                    + responseTokens + " tokens, more than max_tokens " + maxTokens + "; responses are never cut");
        }
    }

    private EncodedConversation withGatingIndex(long[] ids, int droppedTurns) throws InputRejectedException {
        int gating = lastIndexOf(ids, gatingPattern);
        if (gating < 0) {
            throw new InputRejectedException(RejectionReason.GATING_PATTERN_NOT_FOUND,
                    "the token pattern that ends the prompt before the final assistant header was not found");
        }
        return new EncodedConversation(ids, gating, droppedTurns);
    }

    /** Start of the last occurrence of {@code pattern} in {@code ids}, or -1. */
    static int lastIndexOf(long[] ids, long[] pattern) {
        for (int start = ids.length - pattern.length; start >= 0; start--) {
            int i = 0;
            while (i < pattern.length && ids[start + i] == pattern[i]) {
                i++;
            }
            if (i == pattern.length) {
                return start;
            }
        }
        return -1;
    }
}
