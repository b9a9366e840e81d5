package io.rewardannotator.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.rewardannotator.text.ChatMessage;
import io.rewardannotator.text.ChatRole;
import io.rewardannotator.text.Conversation;
import io.rewardannotator.text.InputRejectedException;
import io.rewardannotator.text.RejectionReason;
import java.util.ArrayList;
import java.util.List;

/**
 * One line of the JSON Lines input format:
 * {@code {"id": "...", "prompt": [{"role": "...", "content": "..."}], "response": "..."}}.
 *
 * @param id           the record's id, or {@code null} when the line has none
 * @param conversation the parsed conversation, or {@code null} when {@code error} is set
 * @param error        why the line cannot be scored, or {@code null}
 */
record JsonlInput(String id, Conversation conversation, InputRejectedException error) {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Parses one line; never throws: a bad line becomes an {@code error} that names the line. */
    static JsonlInput parse(String line, long lineNumber) {
        JsonNode node;
        try {
            node = JSON.readTree(line);
        } catch (JsonProcessingException e) {
            return failed(null, RejectionReason.MALFORMED_INPUT,
                    "line " + lineNumber + ": not valid JSON: " + e.getOriginalMessage());
        }
        if (node == null || !node.isObject()) {
            return failed(null, RejectionReason.MALFORMED_INPUT, "line " + lineNumber + ": not a JSON object");
        }
        JsonNode idNode = node.get("id");
        String id = idNode == null || idNode.isNull() ? null : idNode.asText();
        try {
            return new JsonlInput(id, new Conversation(prompt(node.get("prompt")), text(node.get("response"),
                    "response")), null);
        } catch (InputRejectedException e) {
            return new JsonlInput(id, null, e);
        }
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
            ChatRole role = ChatRole.parse(text(message.get("role"), "role"));
            messages.add(new ChatMessage(role, text(message.get("content"), "content")));
        }
        return messages;
    }

    private static String text(JsonNode node, String field) throws InputRejectedException {
        if (node == null || !node.isTextual()) {
            throw new InputRejectedException(RejectionReason.MALFORMED_INPUT, "'" + field + "' must be a string");
        }
        return node.textValue();
    }

    private static JsonlInput failed(String id, RejectionReason reason, String message) {
        return new JsonlInput(id, null, new InputRejectedException(reason, message));
    }
}
