package io.rewardannotator.cli;

import com.fasterxml.jackson.core.JsonLocation;
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
import java.util.regex.Pattern;

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
    /** Jackson names the source inside some messages ("start marker at [Source: REDACTED (...); line: 1, column: 1]"). */
    private static final Pattern NESTED_LOCATION = Pattern.compile("\\[Source: [^;]*; line: \\d+, column: (\\d+)]");

    /**
     * Parses one line; never throws: a bad line (a blank one included, so that every input line has its output
     * line) becomes an {@code error} that names the line.
     */
    static JsonlInput parse(String line, long lineNumber) {
        if (line.isBlank()) {
            return failed("line " + lineNumber + ": blank line");
        }
        JsonNode node;
        try {
            node = JSON.readTree(line);
        } catch (JsonProcessingException e) {
            return failed("line " + lineNumber + ": not valid JSON" + column(e) + ": "
                    + NESTED_LOCATION.matcher(e.getOriginalMessage()).replaceAll("column $1"));
        }
        if (node == null || !node.isObject()) {
            return failed("line " + lineNumber + ": not a JSON object");
        }
        JsonNode idNode = node.get("id");
        if (idNode != null && !idNode.isNull() && !idNode.isTextual()) {
            return failed("line " + lineNumber + ": 'id' must be a string");
        }
        String id = idNode == null || idNode.isNull() ? null : idNode.textValue();
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

    /** A line that is not valid UTF-8: {@code badByte} is the 1-based position of its first invalid byte. */
    static JsonlInput notUtf8(long lineNumber, int badByte) {
        return failed("line " + lineNumber + ": not valid UTF-8 at byte " + badByte);
    }

    private static String column(JsonProcessingException e) {
        JsonLocation at = e.getLocation();
        return at == null || at.getColumnNr() < 1 ? "" : " at column " + at.getColumnNr();
    }

    private static JsonlInput failed(String message) {
        return new JsonlInput(null, null, null, new InputRejectedException(RejectionReason.MALFORMED_INPUT, message));
    }
}
