package io.rewardannotator.text;

import java.util.Arrays;
import java.util.List;

/**
 * The model's four inputs for a batch, right-padded with the pad id (mask 0 there), so every real token keeps
 * the position it has when run alone. Arrays are row-major and filled by plain loops.
 *
 * <p>A batch may follow a past: the keys and values of {@link #pastLength()} real positions that every row shares
 * (a prompt run once for several responses). The attention mask then covers the past and the rows, and the two
 * indices are positions within the rows.
 */
public final class PaddedBatch {
    private final long[][] rows;         // each row's real ids, as given
    private final int pastLength;
    private final int paddedLength;
    private final long padId;
    private final long[] inputIds;       // (batch, paddedLength)
    private final long[] attentionMask;  // (batch, pastLength + paddedLength)
    private final long[] lastIndex;      // (batch)
    private final long[] gatingIndex;    // (batch)
    private final long realTokens;

    private PaddedBatch(long[][] rows, long[] gatingIndex, int pastLength, long padId) {
        if (rows.length == 0) {
            throw new IllegalArgumentException("a batch needs at least one row");
        }
        this.rows = rows;
        this.pastLength = pastLength;
        this.padId = padId;
        this.paddedLength = Arrays.stream(rows).mapToInt(r -> r.length).max().orElseThrow();
        int batchSize = rows.length;
        int width = pastLength + paddedLength;
        this.inputIds = new long[batchSize * paddedLength];
        this.attentionMask = new long[batchSize * width];
        this.lastIndex = new long[batchSize];
        this.gatingIndex = gatingIndex;
        long real = 0;
        for (int b = 0; b < batchSize; b++) {
            long[] ids = rows[b];
            Arrays.fill(inputIds, b * paddedLength, (b + 1) * paddedLength, padId);
            System.arraycopy(ids, 0, inputIds, b * paddedLength, ids.length);
            Arrays.fill(attentionMask, b * width, b * width + pastLength + ids.length, 1L);
            lastIndex[b] = ids.length - 1;
            real += ids.length;
        }
        this.realTokens = real;
    }

    /** Pads {@code rows} to the longest of them. */
    public static PaddedBatch of(List<EncodedConversation> rows, long padId) {
        return new PaddedBatch(rows.stream().map(EncodedConversation::ids).toArray(long[][]::new),
                rows.stream().mapToLong(EncodedConversation::gatingIndex).toArray(), 0, padId);
    }

    /** The given rows of this batch (which has no past), padded to the longest of them. */
    public PaddedBatch select(int[] which) {
        requireNoPast();
        return new PaddedBatch(Arrays.stream(which).mapToObj(b -> rows[b]).toArray(long[][]::new),
                Arrays.stream(which).mapToLong(b -> gatingIndex[b]).toArray(), 0, padId);
    }

    /**
     * The first {@code length} ids of row {@code b} alone, run for their keys and values only: they hold no gating
     * token, so index 0 stands in for it and the heads' outputs are not to be read.
     */
    public PaddedBatch prompt(int b, int length) {
        requireNoPast();
        return new PaddedBatch(new long[][] {Arrays.copyOf(rows[b], length)}, new long[] {0}, 0, padId);
    }

    /**
     * The given rows from position {@code promptLength} on, to run after the keys and values of their shared first
     * {@code promptLength} ids; every row's gating token must be at or after that position.
     */
    public PaddedBatch after(int[] which, int promptLength) {
        requireNoPast();
        long[][] rest = new long[which.length][];
        long[] gating = new long[which.length];
        for (int i = 0; i < which.length; i++) {
            long[] ids = rows[which[i]];
            if (gatingIndex[which[i]] < promptLength || promptLength >= ids.length) {
                throw new IllegalArgumentException("row " + which[i] + " (gating index " + gatingIndex[which[i]]
                        + ", " + ids.length + " ids) does not continue past a prompt of " + promptLength);
            }
            rest[i] = Arrays.copyOfRange(ids, promptLength, ids.length);
            gating[i] = gatingIndex[which[i]] - promptLength;
        }
        return new PaddedBatch(rest, gating, promptLength, padId);
    }

    private void requireNoPast() {
        if (pastLength != 0) {
            throw new IllegalStateException("a batch that follows a past cannot be split further");
        }
    }

    /** Row {@code b}'s real ids (not a copy: not to be changed). */
    public long[] row(int b) {
        return rows[b];
    }

    public int batchSize() {
        return rows.length;
    }

    public int paddedLength() {
        return paddedLength;
    }

    /** Real positions before the rows whose keys and values the run is given; 0 for an ordinary batch. */
    public int pastLength() {
        return pastLength;
    }

    public long[] inputIds() {
        return inputIds;
    }

    /** (batch, pastLength + paddedLength): 1 over the past and each row's real ids. */
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
        return (long) rows.length * paddedLength;
    }
}
