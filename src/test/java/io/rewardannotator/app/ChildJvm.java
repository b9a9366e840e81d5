package io.rewardannotator.app;

import io.rewardannotator.cli.Main;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The annotator's {@code Main} in a separate JVM, as an operator runs it: killable with real signals, with its
 * exit code and its log (kept under target/child-jvm so a failed run can be read afterwards).
 */
public final class ChildJvm implements AutoCloseable {
    private final Process process;
    private final Path log;

    private ChildJvm(Process process, Path log) {
        this.process = process;
        this.log = log;
    }

    public static ChildJvm start(String name, Map<String, String> environment, String... args) throws IOException {
        Path log = Files.createDirectories(Path.of("target", "child-jvm")).resolve(name + ".log");
        ProcessBuilder builder = new ProcessBuilder(command(args)).redirectErrorStream(true)
                .redirectOutput(log.toFile());
        builder.environment().putAll(environment);
        return new ChildJvm(builder.start(), log);
    }

    /** The command line that runs {@code Main} with these arguments, for a test that wires its own streams. */
    public static List<String> command(String... args) {
        List<String> command = new ArrayList<>(List.of(Paths.get(System.getProperty("java.home"), "bin", "java")
                .toString(), "-Xmx768m",
                // the product's logging (INFO), not the tests' (WARN): the child's log explains a failed run
                "-Dlogback.configurationFile=src/main/resources/logback.xml",
                "-cp", System.getProperty("java.class.path"), Main.class.getName()));
        command.addAll(List.of(args));
        return command;
    }

    public Process process() {
        return process;
    }

    public String output() throws IOException {
        return Files.readString(log);
    }

    /** Kills the child if it still runs (a test that failed half way), so that it outlives no test. */
    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            process.destroyForcibly().waitFor();
        }
    }

    /** The last lines of the child's output, for assertion messages. */
    public String tail() throws IOException {
        List<String> lines = Files.readAllLines(log);
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
    }
}
