package io.rewardannotator.devkit;

import io.rewardannotator.model.BundleManifest;
import io.rewardannotator.text.EncodedConversation;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Token sequences shaped like rendered chats (BOS, prompt, gating pattern, response, end of turn) with lengths
 * drawn log-uniformly between two bounds: many short conversations, a long tail, as in real traffic.
 */
public final class SyntheticRequests {
    private static final int TEXT_ID_LIMIT = 128_000;
    private static final long EOT_ID = 128_009;

    private SyntheticRequests() {
    }

    public static List<EncodedConversation> generate(BundleManifest manifest, int count, int minTokens, int maxTokens,
                                              long seed) {
        long[] pattern = manifest.gatingPattern().stream().mapToLong(Long::longValue).toArray();
        int shortest = pattern.length + 3;
        if (minTokens < shortest || maxTokens < minTokens || maxTokens > manifest.maxTokens()) {
            throw new IllegalArgumentException("token lengths must satisfy " + shortest + " <= --min-tokens <= "
                    + "--max-tokens <= the model's max_tokens " + manifest.maxTokens());
        }
        SplittableRandom random = new SplittableRandom(seed);
        List<EncodedConversation> out = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            double u = random.nextDouble();
            int length = (int) Math.round(minTokens * Math.pow((double) maxTokens / minTokens, u));
            out.add(sequence(random, length, pattern, manifest.bosTokenId()));
        }
        return out;
    }

    private static EncodedConversation sequence(SplittableRandom random, int length, long[] pattern, long bos) {
        long[] ids = new long[length];
        for (int t = 0; t < length; t++) {
            ids[t] = random.nextInt(TEXT_ID_LIMIT);
        }
        ids[0] = bos;
        // the prompt takes a random share; the response follows the gating pattern and ends the turn
        int gating = 1 + random.nextInt(length - pattern.length - 1);
        System.arraycopy(pattern, 0, ids, gating, pattern.length);
        ids[length - 1] = EOT_ID;
        return new EncodedConversation(ids, gating, 0);
    }
}
