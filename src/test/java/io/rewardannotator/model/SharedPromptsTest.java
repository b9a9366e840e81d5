package io.rewardannotator.model;

import static org.assertj.core.api.Assertions.assertThat;

import io.rewardannotator.text.EncodedConversation;
import io.rewardannotator.text.PaddedBatch;
import io.rewardannotator.text.PromptKey;
import java.util.List;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

class SharedPromptsTest {
    private static final long EOT = 128009;

    /** The prompt ids, the gating token, then the response ids. */
    private static EncodedConversation row(long[] prompt, long... response) {
        long[] ids = LongStream.concat(LongStream.concat(LongStream.of(prompt), LongStream.of(EOT)),
                LongStream.of(response)).toArray();
        return new EncodedConversation(ids, prompt.length, 0);
    }

    private static long[] prompt(long first, int length) {
        return LongStream.range(first, first + length).toArray();
    }

    @Test
    void shouldGroupRowsWithTheSameIdsBeforeTheirGatingTokenAndLeaveTheRestAlone() {
        long[] a = prompt(100, 40);
        long[] b = prompt(500, 40);
        List<EncodedConversation> rows = List.of(row(a, 1), row(b, 2), row(a, 3, 4), row(prompt(900, 40), 5),
                row(b, 6), row(a, 7));

        SharedPrompts plan = SharedPrompts.of(PaddedBatch.of(rows, 0), 32, prompt -> false);

        assertThat(plan.groups()).hasSize(2);
        assertThat(plan.groups().get(0).rows()).containsExactly(0, 2, 5);
        assertThat(plan.groups().get(0).promptLength()).isEqualTo(40);
        assertThat(plan.groups().get(0).savedTokens()).isEqualTo(2 * 40);
        assertThat(plan.groups().get(1).rows()).containsExactly(1, 4);
        assertThat(plan.alone()).containsExactly(3);
    }

    @Test
    void shouldNotGroupAPromptShorterThanTheMinimumOrOneThatDiffersInOneId() {
        long[] shortPrompt = prompt(100, 10);
        long[] longPrompt = prompt(500, 40);
        long[] almost = longPrompt.clone();
        almost[39] = 7;
        List<EncodedConversation> rows = List.of(row(shortPrompt, 1), row(shortPrompt, 2), row(longPrompt, 3),
                row(almost, 4));

        SharedPrompts plan = SharedPrompts.of(PaddedBatch.of(rows, 0), 32, prompt -> false);

        assertThat(plan.groups()).isEmpty();
        assertThat(plan.alone()).containsExactly(0, 1, 2, 3);
    }

    @Test
    void shouldMakeAGroupOfOneRowWhosePromptIsKnownFromOtherBatches() {
        long[] announced = prompt(100, 40);
        List<EncodedConversation> rows = List.of(row(announced, 1), row(prompt(500, 40), 2));

        SharedPrompts plan = SharedPrompts.of(PaddedBatch.of(rows, 0), 32,
                prompt -> prompt.equals(PromptKey.of(rows.get(0))));

        assertThat(plan.groups()).singleElement().satisfies(g -> {
            assertThat(g.rows()).containsExactly(0);
            assertThat(g.savedTokens()).as("nothing saved within the batch").isZero();
        });
        assertThat(plan.alone()).containsExactly(1);
    }
}
