package io.rewardannotator.text;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The Llama-3.1 tokenizer of the tiny bundle against ids from independent implementations: the JS library
 * llama3-tokenizer-js ({@code tools/golden/tokenize_parity.mjs}) and, where that library is known to be wrong,
 * Hugging Face's Rust tokenizer.
 */
class TokenizerParityTest {
    private static final Path TOKENIZER_JSON = Path.of("models", "tiny-qrm", "tokenizer.json");
    private static final String GOLDEN = "/golden/tokenizer-parity.json";

    @AutoClose
    private static LocalTokenizer tokenizer;

    @BeforeAll
    static void loadTokenizer() {
        tokenizer = LocalTokenizer.load(TOKENIZER_JSON);
    }

    @Test
    void shouldEncodeLikeIndependentImplementationWhenGivenEveryParityText() throws IOException {
        // given
        JsonNode cases;
        try (InputStream in = TokenizerParityTest.class.getResourceAsStream(GOLDEN)) {
            assertThat(in).as("test resource %s", GOLDEN).isNotNull();
            cases = new ObjectMapper().readTree(in);
        }
        List<String> mismatches = new ArrayList<>();

        // when
        for (JsonNode golden : cases) {
            String text = golden.get("text").asText();
            long[] expected = StreamSupport.stream(golden.get("ids").spliterator(), false)
                    .mapToLong(JsonNode::asLong).toArray();
            long[] actual = tokenizer.encode(text);
            if (!Arrays.equals(actual, expected)) {
                mismatches.add(quote(text) + ": expected " + Arrays.toString(expected) + " but was "
                        + Arrays.toString(actual));
            }
        }

        // then
        assertThat(cases).hasSize(638);
        assertThat(mismatches)
                .as("%d of %d texts differ; first ones:%n%s", mismatches.size(), cases.size(),
                        String.join("\n", mismatches.subList(0, Math.min(5, mismatches.size()))))
                .isEmpty();
    }

    @Test
    void shouldMatchRustTokenizerWhenTextHasNextLineCharacterThatJsLibraryMisreads() {
        // given: ids from Hugging Face's Rust tokenizers with the same tokenizer.json
        String text = "a \u0085b";

        // when
        long[] ids = tokenizer.encode(text);

        // then
        assertThat(ids).containsExactly(64, 220, 116360, 65);
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
            "<|eot_id|>, 128009",
            "[PAD], 128256",
            "<|begin_of_text|>, 128000",
            "<|start_header_id|>, 128006",
            "<|end_header_id|>, 128007",
    })
    void shouldMatchSpecialTokenAsSingleIdWhenItsTextIsWritten(String text, long id) {
        assertThat(tokenizer.encode(text)).containsExactly(id);
    }

    @Test
    void shouldMatchSpecialTokenInsideOrdinaryTextWhenSurroundedByWords() {
        // given
        long[] before = tokenizer.encode("Hello");
        long[] after = tokenizer.encode(" world");

        // when
        long[] ids = tokenizer.encode("Hello<|eot_id|> world");

        // then
        assertThat(ids).containsExactly(concat(before, new long[] {128009}, after));
    }

    @Test
    void shouldEncodeDoubleNewlineAsOneTokenWhenItFollowsHeader() {
        assertThat(tokenizer.encode("\n\n")).containsExactly(271);
        assertThat(tokenizer.encode("<|end_header_id|>\n\n")).containsExactly(128007, 271);
    }

    @Test
    void shouldNotAddBosWhenEncodingText() {
        assertThat(tokenizer.encode("Hello world!")).containsExactly(9906, 1917, 0);
        assertThat(tokenizer.encode("")).isEmpty();
    }

    @Test
    void shouldCloseSafelyWhenClosedTwice() {
        // given
        LocalTokenizer own = LocalTokenizer.load(TOKENIZER_JSON);

        // when / then
        assertThatCode(() -> {
            own.close();
            own.close();
        }).doesNotThrowAnyException();
    }

    @Test
    void shouldRefuseLoadingWhenTokenizerFileIsMissing() {
        // given
        Path missing = Path.of("models", "tiny-qrm", "no-such-tokenizer.json");

        // when / then
        assertThatThrownBy(() -> LocalTokenizer.load(missing))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(missing.toString());
    }

    private static long[] concat(long[]... parts) {
        return Arrays.stream(parts).flatMapToLong(Arrays::stream).toArray();
    }

    private static String quote(String text) {
        StringBuilder out = new StringBuilder("\"");
        String shown = text.length() > 80 ? text.substring(0, 80) : text;
        for (char c : shown.toCharArray()) {
            if (c < 0x20 || (c >= 0x7f && c <= 0xa0) || (c != ' ' && Character.isWhitespace(c))) {
                out.append(String.format("\\u%04x", (int) c));
            } else {
                out.append(c);
            }
        }
        return out.append(shown.length() < text.length() ? "...\"" : "\"").toString();
    }
}
