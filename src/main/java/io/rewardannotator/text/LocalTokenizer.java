package io.rewardannotator.text;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * A Hugging Face {@code tokenizer.json} loaded from a local file (never by hub name: nothing is downloaded).
 *
 * <p>Encodes without special tokens: the caller adds the single BOS. Added tokens written in the text (for
 * example {@code <|eot_id|>}) still match as whole tokens, as they do in the Hugging Face scoring path.
 * Thread-safe; the native handle is released by {@link #close()}, which may be called twice.
 */
public final class LocalTokenizer implements AutoCloseable {
    private final HuggingFaceTokenizer tokenizer;
    private volatile boolean closed;

    private LocalTokenizer(HuggingFaceTokenizer tokenizer) {
        this.tokenizer = tokenizer;
    }

    /** Loads {@code tokenizer.json}; no truncation, no padding, no special tokens added. */
    public static LocalTokenizer load(Path tokenizerJson) {
        if (!Files.isRegularFile(tokenizerJson)) {
            throw new IllegalArgumentException("tokenizer file not found: " + tokenizerJson);
        }
        try {
            return new LocalTokenizer(HuggingFaceTokenizer.newInstance(tokenizerJson, Map.of(
                    "addSpecialTokens", "false",
                    "truncation", "false",
                    "padding", "false",
                    "modelMaxLength", String.valueOf(Integer.MAX_VALUE))));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read tokenizer " + tokenizerJson, e);
        }
    }

    /** The token ids of {@code text}, with no BOS or EOS added. */
    public long[] encode(String text) {
        return tokenizer.encode(text, false, false).getIds();
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            tokenizer.close();
        }
    }
}
