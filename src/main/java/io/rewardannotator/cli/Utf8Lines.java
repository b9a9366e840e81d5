package io.rewardannotator.cli;

import java.io.BufferedInputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The lines of a UTF-8 stream, decoded one at a time so that a line that is not valid UTF-8 spoils only
 * itself: a {@code BufferedReader} would throw on the first bad byte and lose the rest of the input.
 * Lines end at {@code \n}; a {@code \r} before it is dropped.
 */
final class Utf8Lines implements Closeable {
    /**
     * One line without its terminator.
     *
     * @param text     the decoded line, or {@code null} when it is not valid UTF-8
     * @param bytes    the bytes it took in the input, terminator included
     * @param badByte  where {@code text} is null: the 1-based position in the line of the first invalid byte
     */
    record Line(String text, int bytes, int badByte) {
    }

    private final InputStream in;
    private final CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);
    private byte[] buffer = new byte[8192];

    Utf8Lines(InputStream in) {
        this.in = new BufferedInputStream(in, 1 << 16);
    }

    /** The next line, or {@code null} at the end of the input. */
    Line next() throws IOException {
        int length = 0;
        int b;
        while ((b = in.read()) != -1 && b != '\n') {
            if (length == buffer.length) {
                buffer = Arrays.copyOf(buffer, 2 * length);
            }
            buffer[length++] = (byte) b;
        }
        if (b == -1 && length == 0) {
            return null;
        }
        int consumed = length + (b == '\n' ? 1 : 0);
        if (length > 0 && buffer[length - 1] == '\r') {
            length--;
        }
        ByteBuffer bytes = ByteBuffer.wrap(buffer, 0, length);
        CharBuffer chars = CharBuffer.allocate(length); // UTF-8 never decodes to more chars than bytes
        decoder.reset();
        CoderResult result = decoder.decode(bytes, chars, true);
        if (result.isError()) {
            return new Line(null, consumed, bytes.position() + 1);
        }
        decoder.flush(chars);
        return new Line(chars.flip().toString(), consumed, 0);
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
