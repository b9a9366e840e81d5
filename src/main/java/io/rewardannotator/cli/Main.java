package io.rewardannotator.cli;

import io.rewardannotator.app.RegistryOutageException;
import io.rewardannotator.app.StartupException;
import io.rewardannotator.model.BundleException;
import io.rewardannotator.model.DeviceUnavailableException;
import io.rewardannotator.scoring.ScorerFailedException;
import java.io.PrintWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.HelpCommand;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine;

/** Entry point: wires the subcommands and maps failures to documented exit codes. */
// scope INHERIT: every subcommand gets --help/-h and --version, which picocli answers before checking required options.
@Command(name = "reward-annotator", mixinStandardHelpOptions = true, scope = ScopeType.INHERIT,
        version = "reward-annotator 0.1.0",
        description = "Scores LLM responses with a distributional reward model (QRM).",
        subcommands = {DemoCommand.class, RunCommand.class, ReplayCommand.class, ScoreCommand.class,
            BenchCommand.class, StreamsBenchCommand.class, ConfigDocsCommand.class, HelpCommand.class},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:success",
            "1:unexpected error",
            "2:invalid command line or configuration",
            "3:invalid model bundle",
            "4:device not available",
            "5:the annotator failed while running (model or stream thread)",
            "6:Kafka unreachable, or topics missing",
            "7:the schema registry refused the output schema, or stayed unreachable longer than "
                + "schema.registry.outage.ms",
            "8:stopped by SIGTERM/SIGINT, but a stream thread outlived shutdown.timeout.ms (its uncommitted "
                + "records are processed again after a restart)"})
public final class Main {
    static final int EXIT_CONFIG = 2;
    static final int EXIT_BUNDLE = 3;
    static final int EXIT_DEVICE = 4;
    static final int EXIT_RUNTIME = 5;
    static final int EXIT_KAFKA = 6;
    static final int EXIT_REGISTRY = 7;
    static final int EXIT_SHUTDOWN_TIMEOUT = 8;

    private Main() {
    }

    public static void main(String[] args) {
        NativeLitter.removeOnExit();
        System.exit(run(args));
    }

    /** Runs a command line and returns its exit code (only {@link #main} exits). */
    static int run(String... args) {
        return run(new PrintWriter(System.out, true), new PrintWriter(System.err, true), args);
    }

    /** As {@link #run(String...)} with the command's own output and error streams (tests capture them). */
    static int run(PrintWriter out, PrintWriter err, String... args) {
        int code = new CommandLine(new Main())
                .setResourceBundle(new SettingDocs())
                .setDefaultValueProvider(SettingDocs.DEFAULTS)
                .setOut(out)
                .setErr(err)
                .setExecutionExceptionHandler(Main::handle)
                .execute(args);
        out.flush();
        err.flush();
        return code;
    }

    private static int handle(Exception e, CommandLine cmd, CommandLine.ParseResult parsed) {
        cmd.getErr().println("error: " + e.getMessage());
        if (e instanceof BundleException) {
            return EXIT_BUNDLE;
        }
        if (e instanceof DeviceUnavailableException) {
            return EXIT_DEVICE;
        }
        if (e instanceof ScorerFailedException) {
            return EXIT_RUNTIME;
        }
        if (e instanceof RegistryOutageException) {
            return EXIT_REGISTRY;
        }
        if (e instanceof StartupException startup) {
            return startup.kind() == StartupException.Cause.KAFKA ? EXIT_KAFKA : EXIT_REGISTRY;
        }
        if (e instanceof IllegalArgumentException) {
            return EXIT_CONFIG;
        }
        e.printStackTrace(cmd.getErr());
        return 1;
    }
}
