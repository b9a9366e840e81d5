package io.rewardannotator.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * ONNX Runtime's Linux build carries Microsoft's telemetry SDK, which creates an empty
 * {@code /tmp/mat-debug-<pid>.log} when the runtime's environment is created, whether telemetry is on or not
 * ({@code OrtEnvironment.setTelemetry(false)} comes too late and no setting moves it). The process removes it
 * on the way out, so running the annotator leaves nothing behind.
 */
final class NativeLitter {
    private NativeLitter() {
    }

    /** Registers a shutdown hook that removes this process's empty telemetry log, if one was created. */
    static void removeOnExit() {
        Path log = Path.of("/tmp", "mat-debug-" + ProcessHandle.current().pid() + ".log");
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                if (Files.isRegularFile(log) && Files.size(log) == 0) {
                    Files.delete(log);
                }
            } catch (IOException e) {
                // litter, not a failure: the exit code and output stand as they are
            }
        }, "remove-native-litter"));
    }
}
