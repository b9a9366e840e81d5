package io.rewardannotator.replay;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ReplayApplicationIdTest {
    @Test
    void shouldJoinPrefixRevisionAndOutputTopic() {
        assertThat(ReplayApplicationId.derive("tiny-qrm-20240917-v1", "scored-responses-v2"))
                .isEqualTo("reward-annotator-replay-tiny-qrm-20240917-v1-scored-responses-v2");
    }

    @Test
    void shouldBeStableSoThatTheSameReplayResumes() {
        assertThat(ReplayApplicationId.derive("rev/1", "out")).isEqualTo(ReplayApplicationId.derive("rev/1", "out"));
    }

    @Test
    void shouldReplaceCharactersTopicNamesDisallowAndKeepDistinctRevisionsApart() {
        String slash = ReplayApplicationId.derive("org/model@sha:abc 1", "out");
        String colon = ReplayApplicationId.derive("org:model@sha:abc 1", "out");

        assertThat(slash).matches("reward-annotator-replay-org-model-sha-abc-1-out-[0-9a-f]{8}");
        assertThat(colon).startsWith("reward-annotator-replay-org-model-sha-abc-1-out-").isNotEqualTo(slash);
    }

    @Test
    void shouldCutALongIdAndKeepItUnique() {
        String a = ReplayApplicationId.derive("r".repeat(300) + "a", "out");
        String b = ReplayApplicationId.derive("r".repeat(300) + "b", "out");

        assertThat(a).hasSize(ReplayApplicationId.MAX_LENGTH).matches("[A-Za-z0-9._-]+").isNotEqualTo(b);
    }
}
