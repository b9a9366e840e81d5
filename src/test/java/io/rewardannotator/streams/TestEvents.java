package io.rewardannotator.streams;

import io.rewardannotator.event.ChatMessage;
import io.rewardannotator.event.GeneratedResponse;
import io.rewardannotator.event.Policy;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Input events for the streaming tests. */
public final class TestEvents {
    private TestEvents() {
    }

    public static GeneratedResponse event(String id, String question, String answer) {
        return event(id, List.of(new ChatMessage("user", question)), answer, "policy-a", "v1");
    }

    public static GeneratedResponse event(String id, List<ChatMessage> prompt, String answer, String policy,
                                          String version) {
        return GeneratedResponse.newBuilder()
                .setResponseId(id)
                .setPrompt(new ArrayList<>(prompt))
                .setResponse(answer)
                .setPolicy(new Policy(policy, version))
                .setGeneratedAt(Instant.ofEpochMilli(1_700_000_000_000L))
                .setMetadata(Map.of("temperature", "0.7"))
                .build();
    }

    /** {@code n} valid events with varied lengths, ids {@code prefix-0 .. prefix-(n-1)}. */
    public static List<GeneratedResponse> valid(String prefix, int n) {
        List<GeneratedResponse> events = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            events.add(event(prefix + "-" + i, "Question " + i + " " + "why ".repeat(i % 17),
                    "Answer " + i + " " + "because ".repeat((i * 7) % 23)));
        }
        return events;
    }

    /** The conversation the annotator scores for {@code event}. */
    public static io.rewardannotator.text.Conversation conversation(GeneratedResponse event) {
        try {
            return EventMapping.conversation(event);
        } catch (io.rewardannotator.text.InputRejectedException e) {
            throw new IllegalArgumentException(e);
        }
    }
}
