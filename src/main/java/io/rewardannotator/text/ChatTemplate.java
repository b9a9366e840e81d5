package io.rewardannotator.text;

import java.util.List;

/**
 * The chat formats of Llama-3 reward models, written as code so that message text can never act as template
 * code. Each renders exactly what Hugging Face's {@code apply_chat_template(tokenize=False,
 * add_generation_prompt=False)} renders from the model's BOS-free template; the single BOS is added at
 * tokenization. Golden strings rendered by Jinja2 keep this honest.
 */
public enum ChatTemplate {
    /** {@code <|start_header_id|>role<|end_header_id|>\n\ncontent<|eot_id|>} per message. */
    LLAMA_3("llama-3") {
        @Override
        public String render(List<ChatMessage> messages) {
            StringBuilder out = new StringBuilder();
            for (ChatMessage message : messages) {
                appendTurn(out, message.role().wireName(), message.content());
            }
            return out.toString();
        }
    },
    /**
     * As {@link #LLAMA_3}, always preceded by the Llama-3.1 system block with its fixed knowledge and "today"
     * dates; a leading system message is moved into that block, a later one stays a turn of its own.
     */
    LLAMA_3_1("llama-3.1") {
        private static final String SYSTEM_PREAMBLE =
                "Cutting Knowledge Date: December 2023\nToday Date: 26 Jul 2024\n\n";

        @Override
        public String render(List<ChatMessage> messages) {
            List<ChatMessage> turns = messages;
            String system = "";
            if (!messages.isEmpty() && messages.get(0).role() == ChatRole.SYSTEM) {
                system = messages.get(0).content();
                turns = messages.subList(1, messages.size());
            }
            StringBuilder out = new StringBuilder();
            out.append(START_HEADER).append("system").append(END_HEADER)
                    .append(SYSTEM_PREAMBLE).append(PythonStrings.strip(system)).append(EOT);
            for (ChatMessage message : turns) {
                appendTurn(out, message.role().wireName(), message.content());
            }
            return out.toString();
        }
    };

    private static final String START_HEADER = "<|start_header_id|>";
    private static final String END_HEADER = "<|end_header_id|>\n\n";
    private static final String EOT = "<|eot_id|>";

    private final String manifestName;

    ChatTemplate(String manifestName) {
        this.manifestName = manifestName;
    }

    /** Renders the whole conversation, without BOS and without a generation prompt. */
    public abstract String render(List<ChatMessage> messages);

    /** The name a bundle manifest uses for this template ({@code chat_template}). */
    public String manifestName() {
        return manifestName;
    }

    /**
     * The template a manifest names.
     *
     * @throws IllegalArgumentException for a name this scorer does not implement, listing those it does
     */
    public static ChatTemplate forName(String name) {
        for (ChatTemplate template : values()) {
            if (template.manifestName.equals(name)) {
                return template;
            }
        }
        throw new IllegalArgumentException("chat template '" + name + "' is not implemented; supported: llama-3, llama-3.1");
    }

    private static void appendTurn(StringBuilder out, String role, String content) {
        out.append(START_HEADER).append(role).append(END_HEADER).append(PythonStrings.strip(content)).append(EOT);
    }
}
