package io.rewardannotator.devkit;

import io.rewardannotator.event.ChatMessage;
import io.rewardannotator.event.GeneratedResponse;
import io.rewardannotator.event.Policy;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Generated-response events of realistic, varied length for benchmarks: a short user question and a response of
 * common English words, whose total token count is drawn log-uniformly between two bounds (common words are one
 * Llama-3 token each, so words approximate tokens).
 */
public final class SyntheticEvents {
    private static final String[] WORDS = ("the of and to in is that for it as with was on be by this are or from "
            + "at an but not have which one you all were they we can more there will would about if has been when "
            + "model reward answer question response because should could their time data first new some these "
            + "other than then them what only into its also two may any most over such").split(" ");
    /** Tokens of the chat template and the question around the response (llama-3.1: about 40). */
    private static final int OVERHEAD_TOKENS = 40;

    private SyntheticEvents() {
    }

    public static List<GeneratedResponse> generate(String prefix, int count, int minTokens, int maxTokens, long seed) {
        return generate(prefix, count, minTokens, maxTokens, seed, 0);
    }

    /**
     * As {@link #generate(String, int, int, int, long)}, in groups of {@code groupSize} consecutive responses to one
     * prompt ({@code prompt_id} and {@code group_size} set); {@code groupSize} 0 leaves them ungrouped.
     */
    public static List<GeneratedResponse> generate(String prefix, int count, int minTokens, int maxTokens, long seed,
                                                   int groupSize) {
        if (groupSize < 0) {
            throw new IllegalArgumentException("a group size must be >= 0, got " + groupSize);
        }
        if (minTokens <= OVERHEAD_TOKENS || maxTokens < minTokens) {
            throw new IllegalArgumentException("token lengths must satisfy " + OVERHEAD_TOKENS
                    + " < --min-tokens <= --max-tokens");
        }
        SplittableRandom random = new SplittableRandom(seed);
        List<GeneratedResponse> events = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            int tokens = (int) Math.round(minTokens * Math.pow((double) maxTokens / minTokens, random.nextDouble()));
            events.add(GeneratedResponse.newBuilder()
                    .setResponseId(prefix + "-" + i)
                    .setPromptId(groupSize == 0 ? null : prefix + "-prompt-" + i / groupSize)
                    .setGroupSize(groupSize == 0 ? null : groupSize)
                    .setPrompt(List.of(new ChatMessage("user", "Question " + i + ": what do you think?")))
                    .setResponse(words(random, tokens - OVERHEAD_TOKENS))
                    .setPolicy(new Policy("bench-policy", "v" + (i % 3)))
                    .setGeneratedAt(Instant.now())
                    .setMetadata(Map.of())
                    .build());
        }
        return events;
    }

    private static String words(SplittableRandom random, int n) {
        StringBuilder text = new StringBuilder(n * 6);
        for (int w = 0; w < n; w++) {
            text.append(w == 0 ? "" : " ").append(WORDS[random.nextInt(WORDS.length)]);
        }
        return text.append('.').toString();
    }
}
