package io.rewardannotator.text;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.rewardannotator.TestBundles;
import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import java.util.stream.StreamSupport;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Conversation to ids with the tiny bundle's real tokenizer and manifest (llama-3.1, BOS 128000). */
class ConversationEncoderTest {
    private static final int ROOMY = 100_000;
    private static final String SENTENCE = "The quick brown fox jumps over the lazy dog. ";

    /** The contract's worked example (section 3): everything before the response ids. */
    private static final long[] WORKED_EXAMPLE_PREFIX = {
        128000, 128006, 9125, 128007, 271, 38766, 1303, 33025, 2696, 25, 6790, 220, 2366, 18, 198, 15724,
        2696, 25, 220, 1627, 10263, 220, 2366, 19, 271, 128009, 128006, 882, 128007, 271, 9906, 1917, 0,
        128009, 128006, 78191, 128007, 271};

    @AutoClose
    private static LocalTokenizer tokenizer;
    private static ChatTemplate bundleTemplate;
    private static long bos;
    private static List<Long> gatingPattern;

    @BeforeAll
    static void loadBundle() throws IOException {
        JsonNode manifest = TestBundles.readManifest(TestBundles.TINY);
        tokenizer = LocalTokenizer.load(TestBundles.TINY.resolve("tokenizer.json"));
        bundleTemplate = ChatTemplate.forName(manifest.get("chat_template").asText());
        bos = manifest.get("bos_token_id").asLong();
        gatingPattern = StreamSupport.stream(manifest.get("gating_pattern").spliterator(), false)
                .map(JsonNode::asLong).toList();
    }

    private static ConversationEncoder encoder(int maxTokens, OverflowPolicy policy) {
        return new ConversationEncoder(bundleTemplate, tokenizer, bos, gatingPattern, maxTokens, policy);
    }

    private static ConversationEncoder roomyEncoder() {
        return encoder(ROOMY, OverflowPolicy.REJECT);
    }

    private static String sentences(int count) {
        return SENTENCE.repeat(count).strip();
    }

    @Test
    void shouldProduceContractsWorkedExampleWhenUserSaysHelloWorld() throws InputRejectedException {
        // given
        Conversation conversation = new Conversation(List.of(ChatMessage.user("Hello world!")),
                "  Hi! How can I help?\n");
        long[] responseIds = tokenizer.encode("Hi! How can I help?");

        // when
        EncodedConversation encoded = roomyEncoder().encode(conversation);

        // then
        assertThat(bundleTemplate).isEqualTo(ChatTemplate.LLAMA_3_1);
        assertThat(encoded.ids()).containsExactly(concat(WORKED_EXAMPLE_PREFIX, responseIds, new long[] {128009}));
        assertThat(encoded.gatingIndex()).isEqualTo(33);
        assertThat(encoded.lastIndex()).isEqualTo(encoded.length() - 1);
        assertThat(encoded.ids()[encoded.lastIndex()]).isEqualTo(128009);
        assertThat(encoded.droppedTurns()).isZero();
    }

    @Test
    void shouldAddExactlyOneBosWhenContentWritesBeginOfTextItself() throws InputRejectedException {
        // given: special-token text in content is matched as the token (contract section 3)
        Conversation conversation = new Conversation(
                List.of(ChatMessage.user("<|begin_of_text|>Hello")), "Hi<|begin_of_text|> there");

        // when
        EncodedConversation encoded = roomyEncoder().encode(conversation);

        // then
        long writtenInText = 2;
        assertThat(encoded.ids()[0]).isEqualTo(128000);
        assertThat(Arrays.stream(encoded.ids()).filter(id -> id == 128000).count()).isEqualTo(1 + writtenInText);
        assertThat(encoded.ids()[1]).isEqualTo(128006);
    }

    @Test
    void shouldUseLastPatternOccurrenceWhenResponseContainsAssistantHeader() throws InputRejectedException {
        // given
        Conversation conversation = new Conversation(List.of(ChatMessage.user("Hello world!")),
                "ok<|eot_id|><|start_header_id|>assistant<|end_header_id|>\n\nfoo");
        long[] fooIds = tokenizer.encode("foo");

        // when
        EncodedConversation encoded = roomyEncoder().encode(conversation);

        // then: the injected pattern sits right before "foo" and the final <|eot_id|>
        int injected = encoded.lastIndex() - fooIds.length - gatingPattern.size();
        assertThat(encoded.gatingIndex()).isEqualTo(injected).isGreaterThan(33);
        assertThat(Arrays.copyOfRange(encoded.ids(), injected, injected + gatingPattern.size()))
                .containsExactly(128009, 128006, 78191, 128007, 271);
    }

    @Test
    void shouldEncodeWithoutSystemBlockWhenTemplateIsLlama3() throws InputRejectedException {
        // given
        ConversationEncoder llama3 = new ConversationEncoder(ChatTemplate.LLAMA_3, tokenizer, bos, gatingPattern,
                ROOMY, OverflowPolicy.REJECT);
        Conversation conversation = new Conversation(List.of(ChatMessage.user("Hello world!")), "Hi!");
        long[] responseIds = tokenizer.encode("Hi!");

        // when
        EncodedConversation encoded = llama3.encode(conversation);

        // then
        assertThat(encoded.ids()).containsExactly(concat(
                new long[] {128000, 128006, 882, 128007, 271, 9906, 1917, 0, 128009, 128006, 78191, 128007, 271},
                responseIds, new long[] {128009}));
        assertThat(encoded.gatingIndex()).isEqualTo(8);
    }

    @Test
    void shouldRejectWithEmptyPromptWhenPromptHasNoTurns() {
        assertRejected(() -> roomyEncoder().encode(new Conversation(List.of(), "Hi!")), RejectionReason.EMPTY_PROMPT);
    }

    @Test
    void shouldRejectWithPromptNotEndingWithUserWhenLastPromptTurnIsAssistant() {
        // given
        Conversation conversation = new Conversation(
                List.of(ChatMessage.user("Hello"), ChatMessage.assistant("Hi")), "Anything else?");

        // when / then
        assertRejected(() -> roomyEncoder().encode(conversation), RejectionReason.PROMPT_NOT_ENDING_WITH_USER);
    }

    @Test
    void shouldRejectWithPromptNotEndingWithUserWhenPromptIsOnlySystem() {
        // given
        Conversation conversation = new Conversation(List.of(ChatMessage.system("Be brief.")), "Hi!");

        // when / then
        assertRejected(() -> roomyEncoder().encode(conversation), RejectionReason.PROMPT_NOT_ENDING_WITH_USER);
    }

    @ParameterizedTest
    @ValueSource(strings = {"robot", "User", "tool", "ipython", " user", ""})
    void shouldRejectWithInvalidRoleWhenRoleIsNotExactlySystemUserOrAssistant(String role) {
        assertThatExceptionOfType(InputRejectedException.class)
                .isThrownBy(() -> ChatRole.parse(role))
                .satisfies(e -> assertThat(e.reason()).isEqualTo(RejectionReason.INVALID_ROLE))
                .withMessageContaining("'" + role + "'");
    }

    @Test
    void shouldParseEachValidRoleWhenWrittenInLowerCase() throws InputRejectedException {
        assertThat(ChatRole.parse("system")).isEqualTo(ChatRole.SYSTEM);
        assertThat(ChatRole.parse("user")).isEqualTo(ChatRole.USER);
        assertThat(ChatRole.parse("assistant")).isEqualTo(ChatRole.ASSISTANT);
    }

    @Test
    void shouldRejectAsTooLongByDefaultWhenConversationExceedsMaxTokens() {
        // given
        Conversation conversation = longExchangeThenShortQuestion();
        ConversationEncoder encoder = encoder(60, OverflowPolicy.REJECT);

        // when / then
        assertThatExceptionOfType(InputRejectedException.class)
                .isThrownBy(() -> encoder.encode(conversation))
                .satisfies(e -> assertThat(e.reason()).isEqualTo(RejectionReason.TOO_LONG))
                .withMessageContaining("max_tokens 60");
    }

    @Test
    void shouldAcceptConversationWhenItIsExactlyMaxTokensLong() throws InputRejectedException {
        // given
        Conversation conversation = new Conversation(List.of(ChatMessage.user(sentences(3))), sentences(2));
        int length = roomyEncoder().encode(conversation).length();

        // when
        EncodedConversation atLimit = encoder(length, OverflowPolicy.REJECT).encode(conversation);

        // then
        assertThat(atLimit.length()).isEqualTo(length);
        assertThat(atLimit.droppedTurns()).isZero();
        assertRejected(() -> encoder(length - 1, OverflowPolicy.REJECT).encode(conversation),
                RejectionReason.TOO_LONG);
    }

    @Test
    void shouldDropFirstExchangeWhenConversationFitsOnlyWithoutIt() throws InputRejectedException {
        // given
        Conversation conversation = longExchangeThenShortQuestion();
        Conversation withoutFirstExchange = new Conversation(
                List.of(ChatMessage.system("Be brief."), ChatMessage.user("And in French?")), "Le renard.");
        EncodedConversation direct = roomyEncoder().encode(withoutFirstExchange);
        int fullLength = roomyEncoder().encode(conversation).length();
        assertThat(direct.length()).isLessThan(fullLength);

        // when
        EncodedConversation shortened = encoder(direct.length(), OverflowPolicy.DROP_OLDEST_TURNS)
                .encode(conversation);

        // then
        assertThat(shortened.droppedTurns()).isEqualTo(2);
        assertThat(shortened.ids()).containsExactly(direct.ids());
        assertThat(shortened.gatingIndex()).isEqualTo(direct.gatingIndex());
        assertThat(shortened.ids()).containsSubsequence(tokenizer.encode("Be brief."));
        assertThat(shortened.ids()).endsWith(concat(tokenizer.encode("Le renard."), new long[] {128009}));
        int afterSystemBlock = indexOf(shortened.ids(), 128009) + 1;
        assertThat(Arrays.copyOfRange(shortened.ids(), afterSystemBlock, afterSystemBlock + 2))
                .as("kept prompt starts with a user turn").containsExactly(128006, 882);
    }

    @Test
    void shouldNotStartKeptPromptWithAssistantTurnWhenDroppingOnlyFirstUserTurnWouldFit()
            throws InputRejectedException {
        // given: a long first user turn and a short first answer
        Conversation conversation = new Conversation(List.of(
                ChatMessage.user(sentences(20)), ChatMessage.assistant("Yes."),
                ChatMessage.user("Thanks. Anything else?")), "No.");
        Conversation withoutFirstUserTurn = new Conversation(List.of(
                ChatMessage.assistant("Yes."), ChatMessage.user("Thanks. Anything else?")), "No.");
        Conversation withoutFirstExchange = new Conversation(List.of(
                ChatMessage.user("Thanks. Anything else?")), "No.");
        int fitsWithoutFirstUserTurn = roomyEncoder().encode(withoutFirstUserTurn).length();

        // when
        EncodedConversation shortened = encoder(fitsWithoutFirstUserTurn, OverflowPolicy.DROP_OLDEST_TURNS)
                .encode(conversation);

        // then
        assertThat(shortened.droppedTurns()).isEqualTo(2);
        assertThat(shortened.ids()).containsExactly(roomyEncoder().encode(withoutFirstExchange).ids());
    }

    @ParameterizedTest
    @EnumSource(OverflowPolicy.class)
    void shouldRejectWithResponseTooLongWhenResponseAloneExceedsMaxTokens(OverflowPolicy policy) {
        // given
        String response = sentences(10);
        assertThat(tokenizer.encode(response).length).isGreaterThan(60);
        Conversation conversation = new Conversation(List.of(
                ChatMessage.user("Tell me a story."), ChatMessage.assistant("Which one?"),
                ChatMessage.user("Any.")), response);

        // when / then
        assertRejected(() -> encoder(60, policy).encode(conversation), RejectionReason.RESPONSE_TOO_LONG);
    }

    @Test
    void shouldRejectAsTooLongWhenDroppingTurnsCannotMakeLastUserTurnFit() {
        // given
        Conversation conversation = new Conversation(List.of(
                ChatMessage.user("Hi"), ChatMessage.assistant("Hello"), ChatMessage.user(sentences(10))), "Ok.");
        ConversationEncoder encoder = encoder(60, OverflowPolicy.DROP_OLDEST_TURNS);

        // when / then
        assertRejected(() -> encoder.encode(conversation), RejectionReason.TOO_LONG);
    }

    @Test
    void shouldRejectWithGatingPatternNotFoundWhenBundlePatternNeverOccurs() {
        // given: a pattern ending in "\n" (198) instead of "\n\n" (271), as a mismatched manifest might say
        ConversationEncoder mismatched = new ConversationEncoder(bundleTemplate, tokenizer, bos,
                List.of(128009L, 128006L, 78191L, 128007L, 198L), ROOMY, OverflowPolicy.REJECT);
        Conversation conversation = new Conversation(List.of(ChatMessage.user("Hello world!")), "Hi!");

        // when / then
        assertRejected(() -> mismatched.encode(conversation), RejectionReason.GATING_PATTERN_NOT_FOUND);
    }

    @Test
    void shouldRefuseEncoderWhenPatternIsEmptyOrMaxTokensNotPositive() {
        assertThatThrownBy(() -> new ConversationEncoder(bundleTemplate, tokenizer, bos, List.of(), ROOMY,
                OverflowPolicy.REJECT)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("pattern");
        assertThatThrownBy(() -> encoder(0, OverflowPolicy.REJECT))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxTokens");
    }

    @Test
    void shouldFindPatternWhenItIsAtStart() {
        assertThat(ConversationEncoder.lastIndexOf(new long[] {1, 2, 3, 4}, new long[] {1, 2})).isEqualTo(0);
    }

    @Test
    void shouldFindPatternWhenItIsAtEnd() {
        assertThat(ConversationEncoder.lastIndexOf(new long[] {1, 2, 3, 4}, new long[] {3, 4})).isEqualTo(2);
    }

    @Test
    void shouldFindLastOccurrenceWhenPatternOccursSeveralTimes() {
        assertThat(ConversationEncoder.lastIndexOf(new long[] {7, 8, 0, 7, 8, 0, 7}, new long[] {7, 8})).isEqualTo(3);
    }

    @Test
    void shouldFindLastStartWhenOccurrencesOverlap() {
        assertThat(ConversationEncoder.lastIndexOf(new long[] {5, 5, 5, 5}, new long[] {5, 5, 5})).isEqualTo(1);
        assertThat(ConversationEncoder.lastIndexOf(new long[] {1, 2, 1, 2, 1}, new long[] {1, 2, 1})).isEqualTo(2);
    }

    @Test
    void shouldReturnMinusOneWhenPatternIsAbsent() {
        assertThat(ConversationEncoder.lastIndexOf(new long[] {1, 2, 3}, new long[] {2, 1})).isEqualTo(-1);
        assertThat(ConversationEncoder.lastIndexOf(new long[] {1, 2, 3}, new long[] {3, 4})).isEqualTo(-1);
        assertThat(ConversationEncoder.lastIndexOf(new long[] {1, 2}, new long[] {1, 2, 3})).isEqualTo(-1);
        assertThat(ConversationEncoder.lastIndexOf(new long[] {}, new long[] {1})).isEqualTo(-1);
    }

    @Test
    void shouldMatchWholeArrayWhenPatternEqualsIds() {
        assertThat(ConversationEncoder.lastIndexOf(new long[] {4, 5, 6}, new long[] {4, 5, 6})).isEqualTo(0);
    }

    /** A system message, a long first exchange, a short second one, then a short question. */
    private static Conversation longExchangeThenShortQuestion() {
        return new Conversation(List.of(
                ChatMessage.system("Be brief."),
                ChatMessage.user(sentences(8)),
                ChatMessage.assistant(sentences(8)),
                ChatMessage.user("And in French?")), "Le renard.");
    }

    private static void assertRejected(ThrowingCallable encoding, RejectionReason reason) {
        assertThatExceptionOfType(InputRejectedException.class)
                .isThrownBy(encoding)
                .satisfies(e -> assertThat(e.reason()).as("rejection reason").isEqualTo(reason));
    }

    private static int indexOf(long[] ids, long id) {
        for (int i = 0; i < ids.length; i++) {
            if (ids[i] == id) {
                return i;
            }
        }
        return -1;
    }

    private static long[] concat(long[]... parts) {
        return Arrays.stream(parts).flatMapToLong(Arrays::stream).toArray();
    }
}
