package io.rewardannotator.text;

/**
 * Python string semantics that the chat templates rely on.
 *
 * <p>Jinja's {@code trim} filter is Python's {@code str.strip()}, which removes every character for which
 * {@code str.isspace()} is true. That set differs from Java's {@link String#strip()}: Python also strips
 * U+001C..U+001F, U+0085, NBSP (U+00A0), U+2007 and U+202F, which Java does not treat as white space.
 */
final class PythonStrings {
    private PythonStrings() {
    }

    /** Python's {@code str.strip()} with no argument. */
    static String strip(String s) {
        int start = 0;
        int end = s.length();
        while (start < end && isSpace(s.charAt(start))) {
            start++;
        }
        while (end > start && isSpace(s.charAt(end - 1))) {
            end--;
        }
        return s.substring(start, end);
    }

    /** Python's {@code str.isspace()} for one character (all such characters are in the BMP). */
    static boolean isSpace(char c) {
        return switch (c) {
            case '\t', '\n', '\u000B', '\f', '\r', '\u001C', '\u001D', '\u001E', '\u001F', ' ', '\u0085', '\u00A0',
                 '\u1680', '\u2028', '\u2029', '\u202F', '\u205F', '\u3000' -> true;
            default -> c >= '\u2000' && c <= '\u200A';
        };
    }
}
