package io.rewardannotator.scoring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.onnxruntime.OrtException;
import io.rewardannotator.TestBundles;
import io.rewardannotator.model.DeviceUnavailableException;
import io.rewardannotator.model.ModelBundle;
import io.rewardannotator.model.OnnxRewardModel;
import io.rewardannotator.model.RawRewards;
import io.rewardannotator.model.SessionSettings;
import io.rewardannotator.text.ConversationEncoder;
import io.rewardannotator.text.EncodedConversation;
import io.rewardannotator.text.LocalTokenizer;
import io.rewardannotator.text.OverflowPolicy;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The start-up check: the model must score one short conversation before the scorer takes any request. */
class ReferenceInputTest {
    private static ModelBundle bundle;
    private static LocalTokenizer tokenizer;
    private static ConversationEncoder encoder;
    private static long pad;

    @BeforeAll
    static void setUp() {
        bundle = ModelBundle.load(TestBundles.TINY);
        tokenizer = LocalTokenizer.load(bundle.tokenizerFile());
        var m = bundle.manifest();
        encoder = new ConversationEncoder(bundle.chatTemplate(), tokenizer, m.bosTokenId(), m.gatingPattern(),
                m.maxTokens(), OverflowPolicy.REJECT);
        pad = m.padTokenId();
    }

    @AfterAll
    static void tearDown() {
        tokenizer.close();
    }

    @Test
    void shouldReturnTheEncodedReferenceWhenTheModelScoresIt() throws Exception {
        try (OnnxRewardModel model = OnnxRewardModel.open(bundle, SessionSettings.cpuDefaults())) {
            EncodedConversation reference = ReferenceInput.checked(encoder, model::run, pad, "cpu");

            assertThat(reference.ids()).isEqualTo(encoder.encode(ReferenceInput.CONVERSATION).ids());
        }
    }

    @Test
    void shouldRefuseToStartWhenTheModelFailsOnTheReference() {
        BatchInference broken = batch -> {
            throw new OrtException("CUDA error: no kernel image is available for execution on the device");
        };

        assertThatThrownBy(() -> ReferenceInput.checked(encoder, broken, pad, "cuda:0"))
                .isInstanceOf(DeviceUnavailableException.class)
                .hasMessageContaining("cuda:0")
                .hasMessageContaining("no kernel image");
    }

    @Test
    void shouldRefuseToStartWhenTheModelScoresTheReferenceAsNotANumber() {
        int q = bundle.manifest().quantileLevels().size();
        int k = bundle.manifest().attributes().size();
        BatchInference overflowing = batch -> new RawRewards(1, q, k, new float[] {Float.NaN}, new float[q],
                new float[k], new float[k]);

        assertThatThrownBy(() -> ReferenceInput.checked(encoder, overflowing, pad, "cuda:0"))
                .isInstanceOf(DeviceUnavailableException.class)
                .hasMessageContaining("NaN");
    }
}
