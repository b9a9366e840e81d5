package io.rewardannotator.text;

import java.util.List;

/**
 * The model's four inputs for a batch, right-padded with the pad id (mask 0 there), so every real token keeps
 * the position it has when run alone. Arrays are row-major and filled by plain loops.
 */
public final class PaddedBatch {
    private final int batchSize;
    private final int paddedLength;
    private final long[] inputIds;       // (batch, paddedLength)
    private final long[] attentionMask;  // (batch, paddedLength)
    private final long[] lastIndex;      // (batch)
    private final long[] gatingIndex;    // (batch)
    private final long realTokens;

    private PaddedBatch(List<EncodedConversation> rows, long padId, int paddedLength) {
        this.batchSize = rows.size();
        this.paddedLength = paddedLength;
        this.inputIds = new long[batchSize * paddedLength];
        this.attentionMask = new long[batchSize * paddedLength];
        this.lastIndex = new long[batchSize];
        this.gatingIndex = new long[batchSize];
        long real = 0;
        for (int b = 0; b < batchSize; b++) {
            EncodedConversation row = rows.get(b);
            int offset = b * paddedLength;
            long[] ids = row.ids();
            for (int t = 0; t < paddedLength; t++) {
                boolean isReal = t < ids.length;
                inputIds[offset + t] = isReal ? ids[t] : padId;
                attentionMask[offset + t] = isReal ? 1L : 0L;
            }
            lastIndex[b] = row.lastIndex();
            gatingIndex[b] = row.gatingIndex();
            real += ids.length;
        }
        this.realTokens = real;
    }

    /** Pads {@code rows} to the longest of them. */
    public static PaddedBatch of(List<EncodedConversation> rows, long padId) {
        if (rows.isEmpty()) {
            throw new IllegalArgumentException("a batch needs at least one row");
        }
        int longest = rows.stream().mapToInt(EncodedConversation::length).max().orElseThrow();
        return new PaddedBatch(rows, padId, longest);
    }

    public int batchSize() {
        return batchSize;
    }

    public int paddedLength() {
        return paddedLength;
    }

    public long[] inputIds() {
        return inputIds;
    }

    public long[] attentionMask() {
        return attentionMask;
    }

    public long[] lastIndex() {
        return lastIndex;
    }

    public long[] gatingIndex() {
        return gatingIndex;
    }

    /** Tokens that are not padding. */
    public long realTokens() {
        return realTokens;
    }

    /** Tokens the model computes, padding included. */
    public long paddedTokens() {
        return (long) batchSize * paddedLength;
    }
}
