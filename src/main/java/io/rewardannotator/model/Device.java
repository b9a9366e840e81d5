package io.rewardannotator.model;

/**
 * Where the model runs: {@code cpu}, or {@code cuda:N} for the N-th CUDA device ({@code cuda} means
 * {@code cuda:0}).
 */
public record Device(Kind kind, int index) {
    /** Execution provider family. */
    public enum Kind { CPU, CUDA }

    public static final Device CPU = new Device(Kind.CPU, 0);

    public Device {
        if (index < 0) {
            throw new IllegalArgumentException("device index must be >= 0, got " + index);
        }
    }

    /** Parses {@code cpu}, {@code cuda} or {@code cuda:N}; the message says what is accepted. */
    public static Device parse(String text) {
        String s = text.trim().toLowerCase(java.util.Locale.ROOT);
        if (s.equals("cpu")) {
            return CPU;
        }
        if (s.equals("cuda")) {
            return new Device(Kind.CUDA, 0);
        }
        if (s.startsWith("cuda:")) {
            try {
                return new Device(Kind.CUDA, Integer.parseInt(s.substring(5)));
            } catch (NumberFormatException e) {
                // fall through to the message below
            }
        }
        throw new IllegalArgumentException("device '" + text + "' is not valid: use cpu, cuda or cuda:N");
    }

    @Override
    public String toString() {
        return kind == Kind.CPU ? "cpu" : "cuda:" + index;
    }
}
