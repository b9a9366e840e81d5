package io.rewardannotator.devkit;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The process's resident-memory high-water mark, for benchmarks: Java heap, native arenas and ONNX Runtime. */
public final class PeakMemory {
    private static final Path STATUS = Path.of("/proc/self/status");

    private PeakMemory() {
    }

    /** {@code VmHWM} from {@code /proc/self/status} in bytes; 0 where the file does not exist (not Linux). */
    public static long residentHighWaterMark() {
        try {
            for (String line : Files.readAllLines(STATUS)) {
                if (line.startsWith("VmHWM:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
                }
            }
        } catch (IOException | NumberFormatException e) {
            return 0;
        }
        return 0;
    }
}
