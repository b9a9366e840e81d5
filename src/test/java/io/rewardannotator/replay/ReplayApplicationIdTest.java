package io.rewardannotator.replay;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ReplayApplicationIdTest {
    private static final String DIGEST_A = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
    private static final String DIGEST_B = "0123456789acbdef0123456789abcdef0123456789abcdef0123456789abcdef";

    @Test
    void shouldJoinPrefixRevisionAndOutputTopic() {
        assertThat(ReplayApplicationId.derive("tiny-qrm-20240917-v1", DIGEST_A, "scored-responses-v2"))
                .isEqualTo("reward-annotator-replay-tiny-qrm-20240917-v1-0123456789ab-scored-responses-v2");
    }

    @Test
    void shouldKeepApartBundlesThatShareARevision() {
        assertThat(ReplayApplicationId.derive("rev-1", DIGEST_A, "out"))
                .isNotEqualTo(ReplayApplicationId.derive("rev-1", DIGEST_B, "out"));
    }

    @Test
    void shouldBeStableSoThatTheSameReplayResumes() {
        assertThat(ReplayApplicationId.derive("rev/1", DIGEST_A, "out"))
                .isEqualTo(ReplayApplicationId.derive("rev/1", DIGEST_A, "out"));
    }

    @Test
    void shouldReplaceCharactersTopicNamesDisallowAndKeepDistinctRevisionsApart() {
        String slash = ReplayApplicationId.derive("org/model@sha:abc 1", DIGEST_A, "out");
        String colon = ReplayApplicationId.derive("org:model@sha:abc 1", DIGEST_A, "out");

        assertThat(slash).matches("reward-annotator-replay-org-model-sha-abc-1-0123456789ab-out-[0-9a-f]{8}");
        assertThat(colon).startsWith("reward-annotator-replay-org-model-sha-abc-1-0123456789ab-out-").isNotEqualTo(slash);
    }

    @Test
    void shouldCutALongIdAndKeepItUnique() {
        String a = ReplayApplicationId.derive("r".repeat(300) + "a", DIGEST_A, "out");
        String b = ReplayApplicationId.derive("r".repeat(300) + "b", DIGEST_A, "out");

        assertThat(a).hasSize(ReplayApplicationId.MAX_LENGTH).matches("[A-Za-z0-9._-]+").isNotEqualTo(b);
    }
}
