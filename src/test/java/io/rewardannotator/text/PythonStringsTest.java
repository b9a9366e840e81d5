package io.rewardannotator.text;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class PythonStringsTest {
    /** Every character for which CPython's {@code str.isspace()} is true (none lies outside the BMP). */
    private static final String PYTHON_WHITESPACE = "\t\n\u000B\u000C\r\u001C\u001D\u001E\u001F \u0085\u00A0\u1680"
            + "\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200A"
            + "\u2028\u2029\u202F\u205F\u3000";

    /** Invisible or formerly-whitespace characters that {@code str.strip()} keeps. */
    private static final String KEPT = "\u200B\uFEFF\u180E";

    static Stream<Arguments> pythonWhitespace() {
        return PYTHON_WHITESPACE.chars().mapToObj(PythonStringsTest::named);
    }

    static Stream<Arguments> kept() {
        return KEPT.chars().mapToObj(PythonStringsTest::named);
    }

    private static Arguments named(int c) {
        return Arguments.of(Named.of(String.format("U+%04X", c), String.valueOf((char) c)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("pythonWhitespace")
    void shouldStripCharacterWhenPythonIsspaceAcceptsIt(String whitespace) {
        // given
        String text = whitespace + whitespace + "a b" + whitespace;

        // when
        String stripped = PythonStrings.strip(text);

        // then
        assertThat(stripped).as("U+%04X", (int) whitespace.charAt(0)).isEqualTo("a b");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("kept")
    void shouldKeepCharacterWhenPythonIsspaceRejectsIt(String notWhitespace) {
        // given
        String text = notWhitespace + "a" + notWhitespace;

        // when
        String stripped = PythonStrings.strip(text);

        // then
        assertThat(stripped).as("U+%04X", (int) notWhitespace.charAt(0)).isEqualTo(text);
    }

    @Test
    void shouldTreatExactlyPythonsWhitespaceAsSpaceWhenCheckingEveryBmpCharacter() {
        // given
        List<String> disagreements = new ArrayList<>();

        // when
        IntStream.rangeClosed(Character.MIN_VALUE, Character.MAX_VALUE).forEach(c -> {
            boolean expected = PYTHON_WHITESPACE.indexOf(c) >= 0;
            if (PythonStrings.isSpace((char) c) != expected) {
                disagreements.add(String.format("U+%04X (expected %s)", c, expected));
            }
        });

        // then
        assertThat(disagreements).isEmpty();
    }

    @Test
    void shouldKeepInteriorWhitespaceWhenStripping() {
        // given
        String text = "\u3000 line one\n\n\u00A0line\ttwo \u2028";

        // when
        String stripped = PythonStrings.strip(text);

        // then
        assertThat(stripped).isEqualTo("line one\n\n\u00A0line\ttwo");
    }

    @Test
    void shouldReturnEmptyStringWhenTextIsAllWhitespace() {
        assertThat(PythonStrings.strip(PYTHON_WHITESPACE)).isEmpty();
        assertThat(PythonStrings.strip("")).isEmpty();
    }

    @Test
    void shouldStripWhatJavaStripKeepsWhenCharacterIsNbspOrNextLine() {
        // given: Java's String.strip() keeps these, Python's str.strip() does not
        String text = "\u00A0\u0085\u202F\u2007x\u001C";

        // when
        String stripped = PythonStrings.strip(text);

        // then
        assertThat(text.strip()).isNotEqualTo("x");
        assertThat(stripped).isEqualTo("x");
    }
}
