package io.rewardannotator.text;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A prompt (system, user and assistant turns) and the response to score.
 *
 * <p>The constructor only rejects nulls; whether the conversation is valid input for the model is decided by
 * {@link #validate()}, which names the reason, so that a bad record can be dead-lettered instead of thrown.
 */
public record Conversation(List<ChatMessage> prompt, String response) {
    public Conversation {
        prompt = List.copyOf(Objects.requireNonNull(prompt, "prompt"));
        Objects.requireNonNull(response, "response");
    }

    /**
     * Checks the contract's rules: a non-empty prompt with at least one user turn that ends with a user turn.
     * Roles are already restricted by {@link ChatRole}.
     */
    public void validate() throws InputRejectedException {
        if (prompt.isEmpty()) {
            throw new InputRejectedException(RejectionReason.EMPTY_PROMPT, "the prompt has no turns");
        }
        if (prompt.get(prompt.size() - 1).role() != ChatRole.USER) {
            throw new InputRejectedException(RejectionReason.PROMPT_NOT_ENDING_WITH_USER,
                    "the prompt must end with a user turn, but its last turn is "
                            + prompt.get(prompt.size() - 1).role().wireName());
        }
    }

    /** The prompt turns followed by the response as the final assistant turn. */
    public List<ChatMessage> messages() {
        List<ChatMessage> all = new ArrayList<>(prompt.size() + 1);
        all.addAll(prompt);
        all.add(ChatMessage.assistant(response));
        return all;
    }

    /** The same conversation without the first {@code turns} prompt turns that are not system turns. */
    Conversation withoutOldestTurns(int turns) {
        List<ChatMessage> kept = new ArrayList<>(prompt.size());
        int dropped = 0;
        for (ChatMessage message : prompt) {
            if (dropped < turns && message.role() != ChatRole.SYSTEM) {
                dropped++;
            } else {
                kept.add(message);
            }
        }
        return new Conversation(kept, response);
    }
}
