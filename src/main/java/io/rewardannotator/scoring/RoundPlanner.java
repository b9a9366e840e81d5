package io.rewardannotator.scoring;

import io.rewardannotator.text.PromptKey;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.function.Consumer;

/**
 * Plans the requests of a round with the device's {@link BatchPlanner}, keeping requests that share a prompt
 * together when the model computes a shared prompt once ({@code OnnxRewardModel}, a graph with past inputs): a
 * GRPO group (two or more requests, at least the minimum number of shared ids) is planned on its own, the other
 * requests together as before. A group is planned by whole lengths although a batch of it computes only what
 * follows the prompt per row: each row's queries still attend over the prompt, so the planner's token and
 * attention-memory limits stay upper bounds. Batches come out cheapest first.
 *
 * @param planner         the device's planner
 * @param sharedPromptMin the fewest shared ids the model computes once; empty: the model does not share
 * @param groupAhead      told each group's prompt before its batches run ({@code OnnxRewardModel::expectSharedPrompt}),
 *                        so that a batch holding one member still computes the prompt once for all
 */
record RoundPlanner(BatchPlanner planner, OptionalInt sharedPromptMin, Consumer<PromptKey> groupAhead) {
    /** A model that does not share prompts. */
    RoundPlanner(BatchPlanner planner) {
        this(planner, OptionalInt.empty(), prompt -> { });
    }

    List<List<ScoringRequest>> plan(List<ScoringRequest> pending) {
        if (sharedPromptMin.isEmpty()) {
            return planner.plan(pending, ScoringRequest::length);
        }
        Map<PromptKey, List<ScoringRequest>> byPrompt = new LinkedHashMap<>();
        for (ScoringRequest request : pending) {
            byPrompt.computeIfAbsent(PromptKey.of(request.encoded()), k -> new ArrayList<>()).add(request);
        }
        List<ScoringRequest> alone = new ArrayList<>();
        List<List<ScoringRequest>> batches = new ArrayList<>();
        byPrompt.forEach((prompt, requests) -> {
            if (requests.size() >= 2 && prompt.length() >= sharedPromptMin.getAsInt()) {
                groupAhead.accept(prompt);
                batches.addAll(planner.plan(requests, ScoringRequest::length));
            } else {
                alone.addAll(requests);
            }
        });
        if (batches.isEmpty()) {
            return planner.plan(pending, ScoringRequest::length);
        }
        if (!alone.isEmpty()) {
            batches.addAll(planner.plan(alone, ScoringRequest::length));
        }
        batches.sort(Comparator.comparingDouble(this::cost));
        return batches;
    }

    /** The planner's cost of a batch, comparable across rounds and the express path. */
    double cost(List<ScoringRequest> batch) {
        return planner.cost(batch, ScoringRequest::length);
    }
}
