package io.rewardannotator.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.rewardannotator.event.ChatMessage;
import io.rewardannotator.streams.EventMapping;
import io.rewardannotator.text.Conversation;
import io.rewardannotator.text.InputRejectedException;
import io.rewardannotator.text.RejectionReason;
import java.util.ArrayList;
import java.util.List;

/**
 * One line of the JSON Lines input format of {@code score} and {@code demo --events}:
 * {@code {"id": "...", "prompt": [{"role": "...", "content": "..."}], "response": "..."}}. The prompt is kept as
 * the event's messages, roles unchecked, so that a line maps to a conversation exactly as an input event does.
 *
 * @param id       the record's id, or {@code null} when the line has none
 * @param prompt   the prompt's messages, or {@code null} when {@code error} is set
 * @param response the response, or {@code null} when {@code error} is set
 * @param error    why the line is not a record in this format, or {@code null}
 */
record JsonlInput(String id, List<ChatMessage> prompt, String response, InputRejectedException error) {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Parses one line; never throws: a bad line becomes an {@code error} that names the line. */
    static JsonlInput parse(String line, long lineNumber) {
        JsonNode node;
        try {
            node = JSON.readTree(line);
        } catch (JsonProcessingException e) {
            return failed(null, "line " + lineNumber + ": not valid JSON: " + e.getOriginalMessage());
        }
        if (node == null || !node.isObject()) {
            return failed(null, "line " + lineNumber + ": not a JSON object");
        }
        JsonNode idNode = node.get("id");
        String id = idNode == null || idNode.isNull() ? null : idNode.asText();
        try {
            return new JsonlInput(id, prompt(node.get("prompt")), text(node.get("response"), "response"), null);
        } catch (InputRejectedException e) {
            return new JsonlInput(id, null, null, e);
        }
    }

    /**
     * The conversation to score, mapped as an input event's is.
     *
     * @throws InputRejectedException the line's {@code error}, or why its messages are no conversation
     */
    Conversation conversation() throws InputRejectedException {
        if (error != null) {
            throw error;
        }
        return EventMapping.conversation(prompt, response);
    }

    private static List<ChatMessage> prompt(JsonNode prompt) throws InputRejectedException {
        if (prompt == null || !prompt.isArray()) {
            throw new InputRejectedException(RejectionReason.MALFORMED_INPUT, "'prompt' must be an array of messages");
        }
        List<ChatMessage> messages = new ArrayList<>(prompt.size());
        for (JsonNode message : prompt) {
            if (!message.isObject()) {
                throw new InputRejectedException(RejectionReason.MALFORMED_INPUT,
                        "each prompt message must be an object with 'role' and 'content'");
            }
            messages.add(new ChatMessage(text(message.get("role"), "role"), text(message.get("content"), "content")));
        }
        return messages;
    }

    private static String text(JsonNode node, String field) throws InputRejectedException {
        if (node == null || !node.isTextual()) {
            throw new InputRejectedException(RejectionReason.MALFORMED_INPUT, "'" + field + "' must be a string");
        }
        return node.textValue();
    }

    private static JsonlInput failed(String id, String message) {
        return new JsonlInput(id, null, null, new InputRejectedException(RejectionReason.MALFORMED_INPUT, message));
    }
}
