package io.rewardannotator.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ai.onnxruntime.OrtException;
import com.fasterxml.jackson.databind.JsonNode;
import io.rewardannotator.TestBundles;
import io.rewardannotator.text.EncodedConversation;
import io.rewardannotator.text.PaddedBatch;
import io.rewardannotator.text.PromptKey;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The bundles {@code tools/export/export_qrm.py --tiny} wrote (real transformers LlamaModel, default export:
 * fused graph, weights in model.onnx.data), scored by ONNX Runtime Java and compared with the PyTorch reference the
 * exporter wrote, within the tolerances the exporter held its own ONNX Runtime check to.
 *
 * <p>.ci/run exports them first into {@code $TINY_EXPORT_DIR/<backbone dtype>/} ({@code bundle/},
 * {@code reference.json}) and sets {@code TINY_EXPORT_DIR}, so there a missing export fails. Without the variable the
 * test looks in {@code target/tiny-export} and is skipped when nothing is there (a build without Python).
 */
class TinyExportTest {
    private static final String DIR_VARIABLE = "TINY_EXPORT_DIR";
    private static final String SHARED = "shared-prompt-";

    @ParameterizedTest
    @ValueSource(strings = {"float16", "float32"})
    void shouldScoreTheExportedTinyBundleAsPyTorchDid(String backboneDtype) throws IOException, OrtException {
        Export export = Export.load(backboneDtype);
        List<JsonNode> cases = export.cases(name -> true);

        assertThat(new String(Files.readAllBytes(export.bundle().modelFile()), StandardCharsets.ISO_8859_1))
                .as("the default export is the fused graph").contains("MultiHeadAttention", "RotaryEmbedding");
        try (OnnxRewardModel model = export.open()) {
            for (JsonNode c : cases) {
                export.assertMatch(List.of(c), model.run(export.batch(List.of(c))));
            }
            export.assertMatch(cases, model.run(export.batch(cases)));
        }
    }

    /** A GRPO group: the reference's shared-prompt cases, one prompt with three responses, beside another row. */
    @ParameterizedTest
    @ValueSource(strings = {"float16", "float32"})
    void shouldScoreRowsThatShareAPromptAsPyTorchScoredThemWholeWithThePromptComputedOnce(String backboneDtype)
            throws IOException, OrtException {
        Export export = Export.load(backboneDtype);
        List<JsonNode> rows = export.cases(name -> name.startsWith(SHARED) || name.equals("multi-turn"));
        int promptLength = export.cases(name -> name.startsWith(SHARED)).get(0).get("gating_token_index").asInt();

        try (OnnxRewardModel model = export.open()) {
            RawRewards raw = model.run(export.batch(rows));

            assertThat(model.sharedPromptMinimum()).as("the export has past inputs").isPresent();
            export.assertMatch(rows, raw);
            assertThat(raw.sharedPromptTokens()).as("the prompt's ids computed once for the three responses")
                    .isEqualTo(2L * promptLength);
            RawRewards again = model.run(export.batch(rows));
            assertThat(again.sharedPromptTokens()).as("the prompt's keys and values taken from the cache")
                    .isEqualTo(3L * promptLength);
            export.assertMatch(rows, again);
        }
    }

    /** A group split over batches of one row each (the CPU planner's way), its prompt announced beforehand. */
    @ParameterizedTest
    @ValueSource(strings = {"float16", "float32"})
    void shouldComputeAnAnnouncedPromptOnceForRowsThatRunInSeparateBatches(String backboneDtype)
            throws IOException, OrtException {
        Export export = Export.load(backboneDtype);
        List<JsonNode> group = export.cases(name -> name.startsWith(SHARED));
        int promptLength = group.get(0).get("gating_token_index").asInt();

        try (OnnxRewardModel model = export.open()) {
            model.expectSharedPrompt(PromptKey.of(encoded(group.get(0))));
            List<Long> shared = new ArrayList<>();
            for (JsonNode c : group) {
                RawRewards raw = model.run(export.batch(List.of(c)));
                export.assertMatch(List.of(c), raw);
                shared.add(raw.sharedPromptTokens());
            }

            assertThat(shared).as("the first row runs the prompt apart; the others take it from the cache")
                    .containsExactly(0L, (long) promptLength, (long) promptLength);
        }
    }

    /** One exported bundle and the PyTorch reference the exporter wrote beside it. */
    private record Export(ModelBundle bundle, JsonNode reference) {
        /** Skips (outside CI) when nothing was exported. */
        static Export load(String backboneDtype) throws IOException {
            String dir = System.getenv(DIR_VARIABLE);
            Path export = Path.of(dir != null ? dir : "target/tiny-export").toAbsolutePath().resolve(backboneDtype);
            assumeTrue(dir != null || Files.isDirectory(export), "no tiny export at " + export
                    + ": run tools/export/export_qrm.py --tiny as .ci/run does to score one");
            return new Export(ModelBundle.load(export.resolve("bundle")),
                    TestBundles.JSON.readTree(export.resolve("reference.json").toFile()));
        }

        List<JsonNode> cases(Predicate<String> name) {
            List<JsonNode> out = new ArrayList<>();
            reference.get("cases").forEach(c -> {
                if (name.test(c.get("name").asText())) {
                    out.add(c);
                }
            });
            return out;
        }

        OnnxRewardModel open() {
            return OnnxRewardModel.open(bundle, SessionSettings.cpuDefaults());
        }

        PaddedBatch batch(List<JsonNode> cases) {
            return PaddedBatch.of(cases.stream().map(TinyExportTest::encoded).toList(), bundle.manifest().padTokenId());
        }

        /** Row i of {@code raw} is {@code cases[i]}, within the tolerances the exporter held ONNX Runtime to. */
        void assertMatch(List<JsonNode> cases, RawRewards raw) {
            for (int row = 0; row < cases.size(); row++) {
                assertMatches(reference, cases.get(row), raw, row);
            }
        }
    }

    private static EncodedConversation encoded(JsonNode c) {
        return OnnxRewardModelTest.encoded(c);
    }

    private static void assertMatches(JsonNode reference, JsonNode expected, RawRewards raw, int row) {
        JsonNode tolerance = reference.get("tolerances");
        String name = expected.get("name").asText();
        assertThat((double) raw.score()[row]).as(name + " score")
                .isCloseTo(expected.get("score").asDouble(), within(tolerance.get("score").asDouble()));
        OnnxRewardModelTest.assertRow(name + " reward_quantiles", expected.get("reward_quantiles"), raw.quantiles(),
                row, tolerance.get("reward_quantiles").asDouble());
        OnnxRewardModelTest.assertRow(name + " rewards", expected.get("rewards"), raw.rewards(), row,
                tolerance.get("rewards").asDouble());
        OnnxRewardModelTest.assertRow(name + " gating_output", expected.get("gating_output"), raw.gating(), row,
                tolerance.get("gating_output").asDouble());
    }
}
