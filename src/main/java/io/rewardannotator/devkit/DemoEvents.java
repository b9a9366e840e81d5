package io.rewardannotator.devkit;

import io.rewardannotator.event.ChatMessage;
import io.rewardannotator.event.GeneratedResponse;
import io.rewardannotator.event.Policy;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What the demo sends: sample conversations as events (among them a preference pair and a GRPO group of four),
 * plus records that show the dead-letter path.
 */
public final class DemoEvents {
    /** One record to send: an event, or raw bytes that are not one. */
    public record Outgoing(String key, GeneratedResponse event, byte[] raw) {
    }

    private DemoEvents() {
    }

    public static List<Outgoing> samples() {
        List<Outgoing> out = new ArrayList<>();
        // a preference pair: two responses to one prompt, compared by p_better in their ScoredGroup
        String pizza = "Is pineapple a good topping for pizza?";
        out.add(member("pizza-honest", "pizza", 2, pizza,
                "It is a matter of taste. Pineapple's sweetness and acidity contrast with salty ham and cheese, which "
                + "is why Hawaiian pizza is popular; others find fruit out of place on pizza. Try a slice and decide."));
        out.add(member("pizza-dismissive", "pizza", 2, pizza, "No. Anyone who puts pineapple on pizza is wrong."));
        // a GRPO group: four samples of the policy for one prompt, with group-relative advantages
        String sky = "Why is the sky blue? Answer in one or two sentences.";
        out.add(member("sky-1", "sky", 4, sky, "Sunlight is scattered by the molecules of the air, and blue light, "
                + "with its shorter wavelength, is scattered far more than red (Rayleigh scattering)."));
        out.add(member("sky-2", "sky", 4, sky, "Because the ocean reflects its colour onto the sky."));
        out.add(member("sky-3", "sky", 4, sky, "Air scatters short wavelengths of sunlight more strongly, so blue "
                + "light reaches our eyes from every direction of the sky."));
        out.add(member("sky-4", "sky", 4, sky, "Blue."));
        out.add(event("capital", List.of(new ChatMessage("system", "You are a concise assistant."),
                user("What is the capital of Australia?")), "Canberra."));
        out.add(event("multi-turn", List.of(user("Give me a number between 1 and 10."),
                new ChatMessage("assistant", "7"), user("Now double it.")), "14"));
        out.add(event("code", List.of(user("How do I reverse a list in Python?")),
                "Use `items.reverse()` to reverse in place, or `items[::-1]` for a reversed copy."));
        // records that cannot be scored, to show the dead-letter path
        out.add(event("bad-role", List.of(new ChatMessage("robot", "beep?")), "boop"));
        out.add(event("ends-with-assistant", List.of(user("Hi"), new ChatMessage("assistant", "Hello!")), "Anything else?"));
        out.add(new Outgoing("not-avro", null, "{\"this is\": \"JSON, not Confluent Avro\"}"
                .getBytes(StandardCharsets.UTF_8)));
        return out;
    }

    /** A record of the demo's policy sent after the others, stamped later, to close their reward-stats window. */
    public static Outgoing windowCloser() {
        return event("window-closer", List.of(user("One more question, a minute later?")), "Here is one more answer.");
    }

    private static ChatMessage user(String content) {
        return new ChatMessage("user", content);
    }

    /** An event of the demo's policy. */
    public static Outgoing event(String id, List<ChatMessage> prompt, String response) {
        return new Outgoing(id, builder(id, prompt, response).build(), null);
    }

    /** An event of the demo's policy sampled, with {@code groupSize - 1} others, for the prompt {@code promptId}. */
    private static Outgoing member(String id, String promptId, int groupSize, String question, String response) {
        return new Outgoing(id, builder(id, List.of(user(question)), response).setPromptId(promptId)
                .setGroupSize(groupSize).build(), null);
    }

    private static GeneratedResponse.Builder builder(String id, List<ChatMessage> prompt, String response) {
        return GeneratedResponse.newBuilder()
                .setResponseId(id)
                .setPrompt(prompt)
                .setResponse(response)
                .setPolicy(new Policy("demo-policy", "v1"))
                .setGeneratedAt(Instant.now())
                .setMetadata(Map.of("source", "demo"));
    }
}
