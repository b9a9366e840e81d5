package io.rewardannotator.scoring;

import static org.assertj.core.api.Assertions.assertThat;

import io.rewardannotator.text.EncodedConversation;
import io.rewardannotator.text.PromptKey;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

class RoundPlannerTest {
    private static final TokenBudgetPlanner ROOMY = new TokenBudgetPlanner(100_000, 64);

    /** A request whose prompt is {@code promptLength} ids from {@code first}, then the gating token and a response. */
    private static ScoringRequest request(long first, int promptLength, int responseLength) {
        long[] ids = LongStream.concat(LongStream.range(first, first + promptLength + 1),
                LongStream.range(900_000, 900_000 + responseLength)).toArray();
        return new ScoringRequest(new EncodedConversation(ids, promptLength, 0), new CompletableFuture<>(), 0);
    }

    private static List<ScoringRequest> round() {
        List<ScoringRequest> pending = new ArrayList<>();
        for (int member = 0; member < 4; member++) {
            pending.add(request(1_000, 100, 50 + member));     // group A: 4 responses to one prompt
            pending.add(request(5_000, 300, 20 + member));     // group B
        }
        pending.add(request(9_000, 120, 60));                  // two requests alone
        pending.add(request(9_500, 10, 5));
        return pending;
    }

    @Test
    void shouldPlanEachGroupOfRequestsSharingAPromptIntoBatchesOfItsOwnAndAnnounceItsPrompt() {
        List<PromptKey> announced = new ArrayList<>();
        List<ScoringRequest> pending = round();

        List<List<ScoringRequest>> plan = new RoundPlanner(ROOMY, OptionalInt.of(32), announced::add).plan(pending);

        assertThat(announced).containsExactlyInAnyOrder(PromptKey.of(pending.get(0).encoded()),
                PromptKey.of(pending.get(1).encoded()));

        assertThat(plan.stream().mapToInt(List::size).sum()).isEqualTo(10);
        assertThat(plan).hasSize(3).allSatisfy(batch -> assertThat(prompts(batch)).as("prompts of one batch")
                .satisfiesAnyOf(p -> assertThat(p).hasSize(1), p -> assertThat(batch).hasSize(2)));
        assertThat(plan).anySatisfy(batch -> assertThat(batch).hasSize(4).allMatch(r -> r.encoded().gatingIndex() == 100))
                .anySatisfy(batch -> assertThat(batch).hasSize(4).allMatch(r -> r.encoded().gatingIndex() == 300));
    }

    /** A batch of a group computes each row's rest, but the rest's queries attend over the prompt too. */
    @Test
    void shouldKeepAGroupsBatchesWithinTheAttentionMemoryBudgetCountingTheSharedPrompt() {
        long cells = 100_000;
        TokenBudgetPlanner planner = new TokenBudgetPlanner(100_000, 64, 0, cells, new BatchCostModel(1e9, 27_000));
        List<ScoringRequest> group = new ArrayList<>();
        for (int member = 0; member < 4; member++) {
            group.add(request(1_000, 3_000, 20));
        }

        List<List<ScoringRequest>> plan = new RoundPlanner(planner, OptionalInt.of(32), prompt -> { }).plan(group);

        assertThat(plan).allSatisfy(batch -> {
            int longest = batch.stream().mapToInt(ScoringRequest::length).max().orElseThrow();
            long attended = (long) batch.size() * (longest - 3_000) * longest;   // rows x rest queries x keys
            assertThat(attended).as("attention cells of a batch of %d", batch.size()).isLessThanOrEqualTo(cells);
        });
    }

    @Test
    void shouldPlanTheRoundAsTheDevicePlannerDoesWhenTheModelDoesNotSharePrompts() {
        List<ScoringRequest> pending = round();

        List<List<ScoringRequest>> plan = new RoundPlanner(ROOMY).plan(pending);

        assertThat(plan).isEqualTo(ROOMY.plan(pending, ScoringRequest::length)).hasSize(1);
    }

    private static Set<PromptKey> prompts(List<ScoringRequest> batch) {
        return batch.stream().map(r -> PromptKey.of(r.encoded())).collect(Collectors.toSet());
    }
}
