package io.rewardannotator.model;

import io.rewardannotator.text.PaddedBatch;
import io.rewardannotator.text.PromptKey;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * The rows of a batch that share a prompt: the same ids before their gating token (a GRPO group: one prompt,
 * several responses). Attention is causal, so those ids have the same keys and values in every such row; a graph
 * with past inputs computes them once and gives them to the rest of each row.
 *
 * @param groups rows that share a prompt of at least the minimum length, in batch order: two or more, or one whose
 *               prompt is known (cached, or announced as shared by rows of other batches)
 * @param alone  the other rows, in batch order
 */
record SharedPrompts(List<Group> groups, int[] alone) {
    /** Below this many shared ids the extra run for the prompt saves too little to pay for itself. */
    static final int MIN_PROMPT_TOKENS = 32;

    /** @param promptLength the shared ids: every row's gating token is at this position */
    record Group(int promptLength, int[] rows) {
        /** Ids computed once rather than once per row. */
        long savedTokens() {
            return (long) (rows.length - 1) * promptLength;
        }
    }

    /**
     * @param known prompts cached or announced as shared: a row alone in this batch with such a prompt makes a
     *              group of its own, to take the prompt from the cache or put it there
     */
    static SharedPrompts of(PaddedBatch batch, int minPromptTokens, Predicate<PromptKey> known) {
        Map<PromptKey, List<Integer>> byPrompt = new LinkedHashMap<>();
        for (int b = 0; b < batch.batchSize(); b++) {
            byPrompt.computeIfAbsent(PromptKey.of(batch.row(b), (int) batch.gatingIndex()[b]), k -> new ArrayList<>())
                    .add(b);
        }
        List<Group> groups = new ArrayList<>();
        List<Integer> alone = new ArrayList<>();
        byPrompt.forEach((prompt, rows) -> {
            if (prompt.length() >= minPromptTokens && (rows.size() >= 2 || known.test(prompt))) {
                groups.add(new Group(prompt.length(), rows.stream().mapToInt(Integer::intValue).toArray()));
            } else {
                alone.addAll(rows);
            }
        });
        return new SharedPrompts(List.copyOf(groups), alone.stream().mapToInt(Integer::intValue).sorted().toArray());
    }
}
