package io.rewardannotator.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.rewardannotator.TestBundles;
import io.rewardannotator.app.AnnotatorConfig;
import io.rewardannotator.app.ChildJvm;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ScoreCommandTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    private List<JsonNode> score(List<String> lines, String... extra) throws IOException {
        return score(String.join("\n", lines).concat("\n").getBytes(StandardCharsets.UTF_8), extra);
    }

    private List<JsonNode> score(byte[] input, String... extra) throws IOException {
        CliRun run = run(input, extra);
        assertThat(run.exitCode()).as(run.err()).isZero();
        return output();
    }

    private CliRun run(byte[] input, String... extra) throws IOException {
        Path in = Files.write(tmp.resolve("in.jsonl"), input);
        List<String> args = new ArrayList<>(List.of("score", "--model", TestBundles.TINY.toString(),
                "--input", in.toString(), "--output", tmp.resolve("out.jsonl").toString()));
        args.addAll(List.of(extra));
        return CliRun.of(args.toArray(String[]::new));
    }

    private List<JsonNode> output() throws IOException {
        Path output = tmp.resolve("out.jsonl");
        List<JsonNode> out = new ArrayList<>();
        for (String line : Files.readAllLines(output, StandardCharsets.UTF_8)) {
            out.add(JSON.readTree(line));
        }
        return out;
    }

    private static String record(String id, String user, String response) {
        return JSON.createObjectNode().put("id", id).put("response", response)
                .set("prompt", JSON.createArrayNode().add(JSON.createObjectNode().put("role", "user")
                        .put("content", user))).toString();
    }

    @Test
    void shouldWriteOneLinePerInputInInputOrder() throws IOException {
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            lines.add(record("r" + i, "question " + i + " " + "x ".repeat(i % 50), "answer " + "y ".repeat(i % 70)));
        }

        List<JsonNode> out = score(lines);

        assertThat(out).hasSize(300);
        for (int i = 0; i < 300; i++) {
            assertThat(out.get(i).get("id").asText()).isEqualTo("r" + i);
            assertThat(out.get(i).has("score")).isTrue();
        }
    }

    @Test
    void shouldWriteTheFullRewardDistribution() throws IOException {
        JsonNode r = score(List.of(record("hello", "Hello world!", "Hi there."))).get(0);

        // contract's worked example: 38 ids up to the assistant header, "Hi there." is 3 ids, then <|eot_id|>
        assertThat(r.get("num_tokens").asInt()).isEqualTo(38 + 3 + 1);
        assertThat(r.get("quantiles")).hasSize(19);
        assertThat(r.get("quantile_levels").get(0).asDouble()).isEqualTo(0.05);
        assertThat(r.get("quantile_levels").get(18).asDouble()).isEqualTo(0.95);
        assertThat(r.get("attributes").get(10).asText()).isEqualTo("beavertails-is_safe");
        assertThat(r.get("attribute_scores")).hasSize(19);
        assertThat(r.get("gating_weights")).hasSize(19);
        double mean = 0;
        for (JsonNode q : r.get("quantiles")) {
            mean += q.asDouble() / 19;
        }
        assertThat(r.get("score").asDouble()).isCloseTo(mean, within(1e-4));
        JsonNode stats = r.get("stats");
        assertThat(stats.get("cvar_alpha").asDouble()).isEqualTo(0.1);
        assertThat(stats.get("spread").asDouble()).isPositive();
        assertThat(stats.get("cvar").asDouble()).isLessThan(mean);
        assertThat(stats.get("crossings").asInt()).isBetween(0, 18);
    }

    @Test
    void shouldReportBadLinesWithReasonAndGoOn() throws IOException {
        List<JsonNode> out = score(List.of(
                record("good-1", "hi", "hello"),
                "{not json",
                "{\"id\": \"no-user\", \"prompt\": [{\"role\": \"system\", \"content\": \"x\"}], \"response\": \"y\"}",
                "{\"id\": \"robot\", \"prompt\": [{\"role\": \"robot\", \"content\": \"x\"}], \"response\": \"y\"}",
                "{\"id\": \"number\", \"prompt\": [{\"role\": \"user\", \"content\": 5}], \"response\": \"y\"}",
                "{\"id\": \"no-response\", \"prompt\": [{\"role\": \"user\", \"content\": \"x\"}]}",
                "{\"id\": \"empty\", \"prompt\": [], \"response\": \"y\"}",
                record("good-2", "hi again", "hello again")));

        assertThat(out).hasSize(8);
        assertThat(out.get(0).has("score")).isTrue();
        assertThat(reason(out.get(1))).isEqualTo("MALFORMED_INPUT");
        assertThat(out.get(1).get("error").get("message").asText()).startsWith("line 2: not valid JSON at column 2:");
        assertThat(reason(out.get(2))).isEqualTo("PROMPT_NOT_ENDING_WITH_USER");
        assertThat(reason(out.get(3))).isEqualTo("INVALID_ROLE");
        assertThat(reason(out.get(4))).isEqualTo("MALFORMED_INPUT");
        assertThat(out.get(4).get("id").asText()).isEqualTo("number");
        assertThat(reason(out.get(5))).isEqualTo("MALFORMED_INPUT");
        assertThat(reason(out.get(6))).isEqualTo("EMPTY_PROMPT");
        assertThat(out.get(7).get("id").asText()).isEqualTo("good-2");
        assertThat(out.get(7).has("score")).isTrue();
    }

    @Test
    void shouldRejectOverlongInputUnlessAskedToDropOldTurns() throws IOException {
        String longHistory = JSON.createObjectNode().put("id", "long").put("response", "short answer")
                .set("prompt", JSON.createArrayNode()
                        .add(JSON.createObjectNode().put("role", "user").put("content", "old ".repeat(5000)))
                        .add(JSON.createObjectNode().put("role", "assistant").put("content", "old answer"))
                        .add(JSON.createObjectNode().put("role", "user").put("content", "new question")))
                .toString();

        JsonNode rejected = score(List.of(longHistory)).get(0);
        JsonNode shortened = score(List.of(longHistory), "--drop-oldest-turns").get(0);

        assertThat(reason(rejected)).isEqualTo("TOO_LONG");
        assertThat(shortened.get("dropped_turns").asInt()).isEqualTo(2);
        assertThat(shortened.get("num_tokens").asInt()).isLessThan(100);
    }

    @Test
    void shouldExitWithBundleCodeWhenModelDirectoryIsInvalid() {
        CliRun run = CliRun.of("score", "--model", tmp.resolve("missing").toString(), "--input", "-");

        assertThat(run.exitCode()).isEqualTo(Main.EXIT_BUNDLE);
        assertThat(run.err()).contains("is not a directory");
    }

    @Test
    void shouldExitWithDeviceCodeWhenCudaIsNotAvailable() throws IOException {
        Path input = Files.writeString(tmp.resolve("in.jsonl"), record("a", "b", "c"));

        CliRun run = CliRun.of("score", "--model", TestBundles.TINY.toString(), "--device", "cuda:0",
                "--input", input.toString(), "--output", tmp.resolve("out.jsonl").toString());

        assertThat(run.exitCode()).isEqualTo(Main.EXIT_DEVICE);
        assertThat(run.err()).contains("cuda:0 is not available");
    }

    @Test
    void shouldExitWithConfigCodeAndNameTheFlagAndItsKeyWhenOptionIsInvalid() {
        CliRun run = CliRun.of("score", "--model", TestBundles.TINY.toString(), "--batch-tokens", "-1");

        assertThat(run.exitCode()).isEqualTo(Main.EXIT_CONFIG);
        assertThat(run.err()).contains("--batch-tokens").contains("batch.max.tokens")
                .contains("Value must be at least 0");
    }

    @Test
    void shouldRefuseAMisspeltSettingOfRunBeforeConnecting() {
        CliRun run = CliRun.of("run", "--bootstrap-servers", "localhost:1", "--model", "/no/such/bundle",
                "--set", "batch.max.tokns=5");

        assertThat(run.exitCode()).isEqualTo(Main.EXIT_CONFIG);
        assertThat(run.err()).contains("unknown setting 'batch.max.tokns'").contains("'batch.max.tokens'");
    }

    @Test
    void shouldValidateFlagsBeforeLoadingTheModel() {
        CliRun run = CliRun.of("score", "--model", "/no/such/bundle", "--cvar-alpha", "1.5");

        assertThat(run.exitCode()).isEqualTo(Main.EXIT_CONFIG);
        assertThat(run.err()).contains("--cvar-alpha").contains("cvar.alpha");
    }

    @Test
    void shouldTakeEachFlagsDefaultFromItsSettingsDeclaration() {
        CliRun run = CliRun.of("score", "--help");

        assertThat(run.out()).contains("Sets batch.max.tokens.").contains("(default: "
                + AnnotatorConfig.DEFINITION.configKeys().get(AnnotatorConfig.BATCH_MAX_TOKENS).defaultValue + ")");
    }

    @Test
    void shouldRejectALineThatIsNotUtf8AndScoreTheLinesAroundIt() throws IOException {
        byte[] bad = record("latin-1", "caf\u00e9", "ok").getBytes(StandardCharsets.ISO_8859_1);
        ByteArrayOutputStream input = new ByteArrayOutputStream();
        input.writeBytes((record("before", "hi", "hello") + "\n").getBytes(StandardCharsets.UTF_8));
        input.writeBytes(bad);
        input.writeBytes(("\n" + record("after", "hi", "hello") + "\n").getBytes(StandardCharsets.UTF_8));

        List<JsonNode> out = score(input.toByteArray());

        assertThat(out).hasSize(3);
        assertThat(out.get(0).get("id").asText()).isEqualTo("before");
        assertThat(out.get(0).has("score")).isTrue();
        assertThat(reason(out.get(1))).isEqualTo("MALFORMED_INPUT");
        assertThat(out.get(1).get("error").get("message").asText()).isEqualTo("line 2: not valid UTF-8 at byte "
                + (new String(bad, StandardCharsets.ISO_8859_1).indexOf('\u00e9') + 1));
        assertThat(out.get(2).get("id").asText()).isEqualTo("after");
        assertThat(out.get(2).has("score")).isTrue();
    }

    @Test
    void shouldAnswerABlankLineWithAnErrorLineSoOutputLinesMatchInputLines() throws IOException {
        List<JsonNode> out = score(List.of(record("a", "hi", "hello"), "", "   ", record("b", "hi", "hello")));

        assertThat(out).hasSize(4);
        assertThat(out.get(0).get("id").asText()).isEqualTo("a");
        assertThat(out.get(1).get("error").get("message").asText()).isEqualTo("line 2: blank line");
        assertThat(reason(out.get(2))).isEqualTo("MALFORMED_INPUT");
        assertThat(out.get(3).get("id").asText()).isEqualTo("b");
    }

    @Test
    void shouldRejectANumericId() throws IOException {
        JsonNode out = score(List.of("{\"id\": 5, \"prompt\": [{\"role\": \"user\", \"content\": \"x\"}], "
                + "\"response\": \"y\"}")).get(0);

        assertThat(reason(out)).isEqualTo("MALFORMED_INPUT");
        assertThat(out.get("error").get("message").asText()).isEqualTo("line 1: 'id' must be a string");
    }

    @Test
    void shouldGiveTheLineAndColumnOfAJsonErrorWithoutTheParsersInternals() throws IOException {
        JsonNode out = score(List.of("{\"id\": \"cut\", \"prompt\": [")).get(0);

        String message = out.get("error").get("message").asText();
        assertThat(message).startsWith("line 1: not valid JSON at column ").contains("column 25")
                .doesNotContain("Source").doesNotContain("StreamReadFeature").doesNotContain("REDACTED");
    }

    @Test
    void shouldExitWithUsageCodeAndOneLineWhenTheInputFileIsMissing() {
        CliRun run = CliRun.of("score", "--model", TestBundles.TINY.toString(),
                "--input", tmp.resolve("missing.jsonl").toString());

        assertThat(run.exitCode()).isEqualTo(Main.EXIT_CONFIG);
        assertThat(run.err().strip()).isEqualTo("error: --input " + tmp.resolve("missing.jsonl") + ": no such file");
    }

    @Test
    void shouldDrawTheProgressBarOnStderrAndEndItsLine() throws IOException {
        CliRun run = run((record("a", "hi", "hello") + "\n").getBytes(StandardCharsets.UTF_8), "--progress");

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.err()).contains("100%").contains("1 records").endsWith(System.lineSeparator());
        assertThat(output()).hasSize(1);
    }

    @Test
    void shouldStopWithOneLineAndNonZeroExitWhenStdoutIsFull() throws Exception {
        Path input = Files.write(tmp.resolve("in.jsonl"), List.of(record("a", "hi", "hello")));
        Path err = tmp.resolve("err.txt");
        Process score = new ProcessBuilder(ChildJvm.command("score", "--model", TestBundles.TINY.toString(),
                "--input", input.toString())).redirectOutput(new File("/dev/full")).redirectError(err.toFile()).start();

        assertThat(score.waitFor(2, TimeUnit.MINUTES)).isTrue();

        assertThat(score.exitValue()).isNotZero();
        assertThat(Files.readAllLines(err)).filteredOn(line -> line.startsWith("error:"))
                .containsExactly("error: cannot write to stdout (No space left on device); stopped");
        assertThat(Files.readString(err)).doesNotContain("\tat ");
    }

    @Test
    void shouldStopWhenTheReaderClosesThePipe() throws Exception {
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < 5_000; i++) {
            lines.add(record("r" + i, "question " + i, "answer"));
        }
        Path input = Files.write(tmp.resolve("in.jsonl"), lines);
        Path err = tmp.resolve("err.txt");
        Process score = new ProcessBuilder(ChildJvm.command("score", "--model", TestBundles.TINY.toString(),
                "--input", input.toString())).redirectError(err.toFile()).start();

        // as `| head -1` does: read one line, then close the pipe
        try (BufferedReader stdout = new BufferedReader(new InputStreamReader(score.getInputStream(),
                StandardCharsets.UTF_8))) {
            assertThat(stdout.readLine()).contains("\"id\":\"r0\"");
        }
        assertThat(score.waitFor(2, TimeUnit.MINUTES)).isTrue();

        assertThat(score.exitValue()).isNotZero();
        assertThat(Files.readAllLines(err)).filteredOn(line -> line.startsWith("error:"))
                .containsExactly("error: cannot write to stdout (Broken pipe); stopped");
    }

    @Test
    void shouldLeaveNoTelemetryLogOfTheNativeRuntimeInTmp() throws Exception {
        Path input = Files.write(tmp.resolve("in.jsonl"), List.of(record("a", "hi", "hello")));
        Process score = new ProcessBuilder(ChildJvm.command("score", "--model", TestBundles.TINY.toString(),
                "--input", input.toString(), "--output", tmp.resolve("out.jsonl").toString()))
                .redirectErrorStream(true).redirectOutput(tmp.resolve("log.txt").toFile()).start();

        assertThat(score.waitFor(2, TimeUnit.MINUTES)).isTrue();

        assertThat(score.exitValue()).as(Files.readString(tmp.resolve("log.txt"))).isZero();
        assertThat(Path.of("/tmp", "mat-debug-" + score.pid() + ".log")).doesNotExist();
    }

    private static String reason(JsonNode line) {
        return line.get("error").get("reason").asText();
    }
}
