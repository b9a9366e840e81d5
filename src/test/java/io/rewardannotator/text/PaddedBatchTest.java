package io.rewardannotator.text;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class PaddedBatchTest {
    private static final long PAD = 128256;

    @Test
    void shouldPadShorterRowsOnTheRightWithPadIdWhenLengthsDiffer() {
        // given
        EncodedConversation longer = new EncodedConversation(new long[] {128000, 11, 12, 13, 128009}, 1, 0);
        EncodedConversation shorter = new EncodedConversation(new long[] {128000, 21, 128009}, 2, 1);

        // when
        PaddedBatch batch = PaddedBatch.of(List.of(longer, shorter), PAD);

        // then
        assertThat(batch.batchSize()).isEqualTo(2);
        assertThat(batch.paddedLength()).isEqualTo(5);
        assertThat(batch.inputIds()).containsExactly(
                128000, 11, 12, 13, 128009,
                128000, 21, 128009, PAD, PAD);
        assertThat(batch.attentionMask()).containsExactly(
                1, 1, 1, 1, 1,
                1, 1, 1, 0, 0);
    }

    @Test
    void shouldCopyLastAndGatingIndicesWhenRowsArePadded() {
        // given
        EncodedConversation first = new EncodedConversation(new long[] {128000, 5, 6}, 1, 0);
        EncodedConversation second = new EncodedConversation(new long[] {128000, 7, 8, 9, 10, 11}, 3, 0);

        // when
        PaddedBatch batch = PaddedBatch.of(List.of(first, second), PAD);

        // then: the last index is the last real token, never a pad position
        assertThat(batch.lastIndex()).containsExactly(2, 5);
        assertThat(batch.gatingIndex()).containsExactly(1, 3);
    }

    @Test
    void shouldCountRealAndPaddedTokensWhenRowsDiffer() {
        // given
        List<EncodedConversation> rows = List.of(
                new EncodedConversation(new long[] {1, 2, 3, 4}, 0, 0),
                new EncodedConversation(new long[] {1}, 0, 0),
                new EncodedConversation(new long[] {1, 2}, 0, 0));

        // when
        PaddedBatch batch = PaddedBatch.of(rows, PAD);

        // then
        assertThat(batch.realTokens()).isEqualTo(4 + 1 + 2);
        assertThat(batch.paddedTokens()).isEqualTo(3 * 4);
    }

    @Test
    void shouldNotPadWhenBatchHasOneRow() {
        // given
        EncodedConversation only = new EncodedConversation(new long[] {128000, 9906, 128009}, 2, 0);

        // when
        PaddedBatch batch = PaddedBatch.of(List.of(only), PAD);

        // then
        assertThat(batch.inputIds()).containsExactly(128000, 9906, 128009);
        assertThat(batch.attentionMask()).containsOnly(1L);
        assertThat(batch.realTokens()).isEqualTo(batch.paddedTokens()).isEqualTo(3);
    }

    @Test
    void shouldRefuseBatchWhenItHasNoRows() {
        assertThatThrownBy(() -> PaddedBatch.of(List.of(), PAD))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("at least one row");
    }

    @Test
    void shouldGiveTheRestOfRowsAfterASharedPromptAMaskOverThePromptAndIndicesAmongTheirOwnIds() {
        // two responses to the prompt {BOS, 5, 6}; the gating token (position 3) starts each rest
        EncodedConversation first = new EncodedConversation(new long[] {128000, 5, 6, 128009, 40, 41}, 3, 0);
        EncodedConversation second = new EncodedConversation(new long[] {128000, 5, 6, 128009, 50}, 3, 0);
        PaddedBatch batch = PaddedBatch.of(List.of(first, second), PAD);

        PaddedBatch rest = batch.after(new int[] {0, 1}, 3);
        PaddedBatch prompt = batch.prompt(1, 3);

        assertThat(rest.pastLength()).isEqualTo(3);
        assertThat(rest.inputIds()).containsExactly(
                128009, 40, 41,
                128009, 50, PAD);
        assertThat(rest.attentionMask()).containsExactly(
                1, 1, 1, 1, 1, 1,
                1, 1, 1, 1, 1, 0);
        assertThat(rest.lastIndex()).containsExactly(2, 1);
        assertThat(rest.gatingIndex()).containsExactly(0, 0);
        assertThat(rest.realTokens()).isEqualTo(5);
        assertThat(prompt.inputIds()).containsExactly(128000, 5, 6);
        assertThat(batch.select(new int[] {1}).inputIds()).containsExactly(128000, 5, 6, 128009, 50);
    }

    @Test
    void shouldRefuseToCutARowAfterItsGatingToken() {
        EncodedConversation row = new EncodedConversation(new long[] {128000, 128009, 7, 8}, 1, 0);
        PaddedBatch batch = PaddedBatch.of(List.of(row), PAD);

        assertThatThrownBy(() -> batch.after(new int[] {0}, 2)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("gating index 1");
    }
}
