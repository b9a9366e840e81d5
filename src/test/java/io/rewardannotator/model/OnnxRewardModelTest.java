package io.rewardannotator.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.onnxruntime.OrtException;
import com.fasterxml.jackson.databind.JsonNode;
import io.rewardannotator.TestBundles;
import io.rewardannotator.text.EncodedConversation;
import io.rewardannotator.text.PaddedBatch;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Java + ONNX Runtime against torch's outputs for the same ids (torch ran each case alone, unpadded). */
class OnnxRewardModelTest {
    private static final double TOLERANCE = 1e-4;
    private static final long PAD = 128256;

    private static ModelBundle bundle;
    private static OnnxRewardModel model;
    private static List<JsonNode> cases;

    @TempDir
    Path tmp;

    @BeforeAll
    static void open() {
        bundle = ModelBundle.load(TestBundles.TINY);
        model = OnnxRewardModel.open(bundle, SessionSettings.cpuDefaults());
        cases = new ArrayList<>();
        TestBundles.reference().get("cases").forEach(cases::add);
    }

    @AfterAll
    static void close() {
        model.close();
    }

    @Test
    void shouldMatchTorchWhenEachCaseRunsAlone() throws OrtException {
        for (JsonNode c : cases) {
            assertMatches(c, model.run(PaddedBatch.of(List.of(encoded(c)), PAD)), 0);
        }
    }

    @Test
    void shouldMatchTorchWhenAllCasesShareOnePaddedBatch() throws OrtException {
        RawRewards raw = model.run(PaddedBatch.of(cases.stream().map(OnnxRewardModelTest::encoded).toList(), PAD));

        for (int row = 0; row < cases.size(); row++) {
            assertMatches(cases.get(row), raw, row);
        }
    }

    @Test
    void shouldMatchTorchInShuffledBatchesOfFive() throws OrtException {
        List<JsonNode> shuffled = new ArrayList<>(cases);
        Collections.shuffle(shuffled, new Random(7));
        for (int start = 0; start < shuffled.size(); start += 5) {
            List<JsonNode> slice = shuffled.subList(start, Math.min(shuffled.size(), start + 5));
            RawRewards raw = model.run(PaddedBatch.of(slice.stream().map(OnnxRewardModelTest::encoded).toList(), PAD));
            for (int row = 0; row < slice.size(); row++) {
                assertMatches(slice.get(row), raw, row);
            }
        }
    }

    @Test
    void shouldListExpectedAndActualWhenGraphBreaksContract() throws IOException {
        Path copy = TestBundles.copyOfTiny(tmp);
        TestBundles.replaceFile(copy, "model.onnx", Path.of("src/test/resources/onnx/wrong-contract.onnx"));
        ModelBundle wrong = ModelBundle.load(copy);

        assertThatThrownBy(() -> OnnxRewardModel.open(wrong, SessionSettings.cpuDefaults()))
                .isInstanceOf(BundleException.class)
                .hasMessageContaining("model.onnx")
                .hasMessageContaining("input 'input_ids' is missing")
                .hasMessageContaining("input 'gating_token_index' is missing")
                .hasMessageContaining("unexpected input 'ids'")
                .hasMessageContaining("output 'reward_quantiles' is missing")
                .hasMessageContaining("Expected inputs");
    }

    @Test
    void shouldSayHowToGetCudaWhenCpuBuildIsAskedForCuda() {
        SessionSettings cuda = new SessionSettings(Device.parse("cuda:0"), 0, 0);

        assertThatThrownBy(() -> OnnxRewardModel.open(bundle, cuda))
                .isInstanceOf(DeviceUnavailableException.class)
                .hasMessageContaining("device cuda:0 is not available")
                .hasMessageContaining("-Pgpu")
                .hasMessageContaining("--device cpu");
    }

    @Test
    void shouldRefuseToRunAfterCloseAndCloseTwiceSafely() {
        OnnxRewardModel second = OnnxRewardModel.open(bundle, SessionSettings.cpuDefaults());
        second.close();
        second.close();

        assertThatThrownBy(() -> second.run(PaddedBatch.of(List.of(encoded(cases.get(0))), PAD)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("closed");
    }

    static EncodedConversation encoded(JsonNode c) {
        long[] ids = new long[c.get("input_ids").size()];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = c.get("input_ids").get(i).asLong();
        }
        assertThat(c.get("last_token_index").asInt()).isEqualTo(ids.length - 1);
        return new EncodedConversation(ids, c.get("gating_token_index").asInt(), 0);
    }

    private static void assertMatches(JsonNode expected, RawRewards raw, int row) {
        String name = expected.get("name").asText();
        assertThat((double) raw.score()[row]).as(name + " score").isCloseTo(expected.get("score").asDouble(),
                within(TOLERANCE));
        assertRow(name + " reward_quantiles", expected.get("reward_quantiles"), raw.quantiles(), row, TOLERANCE);
        assertRow(name + " rewards", expected.get("rewards"), raw.rewards(), row, TOLERANCE);
        assertRow(name + " gating_output", expected.get("gating_output"), raw.gating(), row, TOLERANCE);
    }

    static void assertRow(String what, JsonNode expected, float[] actual, int row, double tolerance) {
        int width = expected.size();
        for (int i = 0; i < width; i++) {
            assertThat((double) actual[row * width + i]).as(what + "[" + i + "]")
                    .isCloseTo(expected.get(i).asDouble(), within(tolerance));
        }
    }
}
