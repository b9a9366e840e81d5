package io.rewardannotator.text;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The chat formats against strings that Jinja2 rendered from the real templates
 * ({@code tools/golden/render_chat_goldens.py}).
 */
class ChatTemplateGoldenTest {
    private static final String GOLDEN = "/golden/chat-templates.json";

    static Stream<Arguments> goldenCases() throws IOException {
        JsonNode cases;
        try (InputStream in = ChatTemplateGoldenTest.class.getResourceAsStream(GOLDEN)) {
            assertThat(in).as("test resource %s", GOLDEN).isNotNull();
            cases = new ObjectMapper().readTree(in);
        }
        List<Arguments> arguments = new ArrayList<>();
        for (JsonNode golden : cases) {
            String caseName = golden.get("name").asText() + " [" + golden.get("template").asText() + "]";
            arguments.add(Arguments.of(Named.of(caseName, golden)));
        }
        assertThat(arguments).as("golden cases").hasSize(86);
        return arguments.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("goldenCases")
    void shouldRenderExactlyWhatJinjaRendersWhenGivenGoldenConversation(JsonNode golden)
            throws InputRejectedException {
        // given
        ChatTemplate template = ChatTemplate.forName(golden.get("template").asText());
        List<ChatMessage> messages = new ArrayList<>();
        for (JsonNode message : golden.get("messages")) {
            messages.add(new ChatMessage(ChatRole.parse(message.get("role").asText()),
                    message.get("content").asText()));
        }

        // when
        String rendered = template.render(messages);

        // then
        assertThat(rendered).as("case %s [%s]", golden.get("name").asText(), golden.get("template").asText())
                .isEqualTo(golden.get("rendered").asText());
    }

    @Test
    void shouldRefuseUnknownTemplateNameListingSupportedOnesWhenManifestNamesAnother() {
        // given
        String unknown = "chatml";

        // when / then
        assertThatThrownBy(() -> ChatTemplate.forName(unknown))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'chatml'")
                .hasMessageContaining("llama-3,")
                .hasMessageContaining("llama-3.1");
    }

    @Test
    void shouldListEveryImplementedTemplateWhenRefusingUnknownName() {
        // given
        List<String> implemented = Arrays.stream(ChatTemplate.values()).map(ChatTemplate::manifestName).toList();

        // when / then
        assertThatThrownBy(() -> ChatTemplate.forName("llama-2"))
                .isInstanceOf(IllegalArgumentException.class)
                .message()
                .contains(implemented);
    }

    @Test
    void shouldFindEachTemplateWhenGivenItsManifestName() {
        assertThat(ChatTemplate.forName("llama-3")).isSameAs(ChatTemplate.LLAMA_3);
        assertThat(ChatTemplate.forName("llama-3.1")).isSameAs(ChatTemplate.LLAMA_3_1);
    }

    @Test
    void shouldRenderTemplateSyntaxLiterallyWhenContentContainsIt() {
        // given
        String code = "{{ bos_token }}{% for m in messages %}{{ m.content }}{% endfor %}{# c #}";
        List<ChatMessage> messages = List.of(ChatMessage.user(code),
                ChatMessage.assistant("{{ raise_exception('x') }}"));

        // when
        String rendered = ChatTemplate.LLAMA_3.render(messages);

        // then
        assertThat(rendered).isEqualTo("<|start_header_id|>user<|end_header_id|>\n\n"
                + "{{ bos_token }}{% for m in messages %}{{ m.content }}{% endfor %}{# c #}<|eot_id|>"
                + "<|start_header_id|>assistant<|end_header_id|>\n\n{{ raise_exception('x') }}<|eot_id|>");
    }

    @Test
    void shouldPutLeadingSystemMessageIntoDatedSystemBlockWhenTemplateIsLlama31() {
        // given
        List<ChatMessage> messages = List.of(ChatMessage.system("  Be brief. "), ChatMessage.user("Hi"),
                ChatMessage.assistant("Hello"));

        // when
        String rendered = ChatTemplate.LLAMA_3_1.render(messages);

        // then
        assertThat(rendered).isEqualTo("<|start_header_id|>system<|end_header_id|>\n\n"
                + "Cutting Knowledge Date: December 2023\nToday Date: 26 Jul 2024\n\nBe brief.<|eot_id|>"
                + "<|start_header_id|>user<|end_header_id|>\n\nHi<|eot_id|>"
                + "<|start_header_id|>assistant<|end_header_id|>\n\nHello<|eot_id|>");
    }
}
