package io.rewardannotator.cli;

import io.rewardannotator.app.AnnotatorConfig;
import io.rewardannotator.app.ConfigSources;
import io.rewardannotator.app.Replay;
import io.rewardannotator.app.StartupChecks;
import io.rewardannotator.model.BundleManifest;
import io.rewardannotator.model.ModelBundle;
import io.rewardannotator.replay.ReplayAdmin;
import io.rewardannotator.replay.ReplayApplicationId;
import io.rewardannotator.replay.ReplayPlan;
import io.rewardannotator.replay.ReplayPlanner;
import io.rewardannotator.replay.ReplayRange;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * Re-scores a bounded slice of an input topic with a given model bundle, as a Kafka Streams application of its own,
 * and exits when the slice is done. Wiring only: {@link ReplayPlanner} decides the offsets, {@link Replay} runs
 * them, {@link ReplayProgress} shows them.
 */
@Command(name = "replay", sortOptions = false,
        description = {"Re-score a bounded slice of a topic with a model, then exit.",
            "Runs as its own Kafka Streams application (application.id from the model revision, the bundle "
                + "digest and the output topic), so the online annotator's offsets are never touched; the same command run again resumes."})
final class ReplayCommand implements Callable<Integer> {
    static final Duration ADMIN_TIMEOUT = Duration.ofSeconds(30);
    static final String REPLAY_ADMIN_CLIENT_ID = "reward-annotator-replay-admin";
    static final Duration POLL = Duration.ofMillis(500);

    @Spec
    CommandSpec spec;

    @Option(names = "--from", required = true, paramLabel = "TIME|OFFSETS",
            description = "Start: an ISO-8601 instant (2024-05-01T00:00:00Z), epoch milliseconds, or offsets per "
                    + "partition (0:100,1:250,2:0; partitions not listed are not replayed).")
    String from;

    @Option(names = "--to", paramLabel = "TIME",
            description = "End, exclusive: an ISO-8601 instant or epoch milliseconds. Default: the end of each "
                    + "partition when the replay starts.")
    String to;

    @Option(names = "--input", required = true, paramLabel = "TOPIC", description = "Topic to re-score.")
    String input;

    @Option(names = "--output", required = true, paramLabel = "TOPIC", description = "Topic the scored events go to.")
    String output;

    @Option(names = "--group-output", paramLabel = "TOPIC",
            description = "Topic the replayed slice's ScoredGroup events go to (responses sharing a prompt_id); "
                    + "default: the --output topic's name with -groups appended. Only with group.enabled=true (in the "
                    + "configuration or --set), as for the online annotator.")
    String groupOutput;

    @Option(names = "--model", required = true, paramLabel = "DIR", description = "Model bundle to score with.")
    String model;

    @Option(names = {"-c", "--config"}, paramLabel = "FILE", description = "Properties file (lowest precedence).")
    Path configFile;

    @Option(names = "--set", paramLabel = "KEY=VALUE",
            description = "Any setting (over the file and the environment); repeatable. application.id, "
                    + "input.topics and output.topic come from the replay's own flags.")
    Map<String, String> settings = new LinkedHashMap<>();

    @Option(names = "--bootstrap-servers", paramLabel = "HOST:PORT", description = "Sets bootstrap.servers.")
    String bootstrapServers;

    @Option(names = "--dry-run", description = "Print the partitions, offsets and record counts, then exit.")
    boolean dryRun;

    @Override
    public Integer call() throws InterruptedException {
        ReplayRange range = ReplayRange.parse(from, to);
        ModelBundle bundle = ModelBundle.load(config(null).modelDir());
        BundleManifest manifest = bundle.manifest();
        String applicationId = ReplayApplicationId.derive(manifest.revision(), bundle.digest(), output);
        AnnotatorConfig config = config(applicationId);
        StartupChecks.kafka(config);
        PrintWriter out = spec.commandLine().getOut();
        try (ReplayAdmin admin = ReplayAdmin.open(config.adminClientProperties(REPLAY_ADMIN_CLIENT_ID), ADMIN_TIMEOUT)) {
            ReplayPlan plan = new ReplayPlanner(admin).plan(input, range, applicationId);
            out.printf("re-scoring %s (%s) into %s with %s %s%n", input, range, output, manifest.name(),
                    manifest.revision());
            plan.print(out);
            if (dryRun) {
                out.println("dry run: nothing was read, written or committed");
                return 0;
            }
            if (plan.isEmpty() && !plan.resumed()) {
                out.println("nothing to replay");
                return 0;
            }
            if (plan.isEmpty()) {
                out.println("nothing left to read; starting to forward what an earlier run may have buffered");
            }
            return run(config, bundle, plan, admin, out);
        }
    }

    private int run(AnnotatorConfig config, ModelBundle bundle, ReplayPlan plan, ReplayAdmin admin,
                    PrintWriter out) throws InterruptedException {
        ReplayProgress progress = ReplayProgress.forConsole(plan.records(), System.err);
        StartupChecks.registry(config);
        Replay replay = Replay.start(config, bundle, plan, admin, progress,
                Duration.ofMillis(config.getLong(AnnotatorConfig.STARTUP_TIMEOUT_MS)));
        Thread hook = new Thread(replay::close, "replay-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        boolean complete = false;
        boolean clean;
        try {
            complete = replay.awaitCompletion(POLL, progress::update);
        } finally {
            clean = replay.finish();
            removeHook(hook);
        }
        progress.finish();
        progress.summary(out, complete, bundle.manifest().name() + " " + bundle.manifest().revision());
        if (!clean) {
            throw new IllegalStateException("Kafka Streams did not close within shutdown.timeout.ms: the last "
                    + "outputs may be uncommitted; run the same command again to finish them");
        }
        return complete ? 0 : 1;
    }

    /** The configuration from the file, the environment and the flags; the replay's own flags win. */
    private AnnotatorConfig config(String applicationId) {
        Map<String, String> flags = new LinkedHashMap<>();
        if (bootstrapServers != null) {
            flags.put(AnnotatorConfig.BOOTSTRAP_SERVERS, bootstrapServers);
        }
        flags.putAll(settings);
        flags.put(AnnotatorConfig.MODEL_DIR, model);
        flags.put(AnnotatorConfig.INPUT_TOPICS, input);
        flags.put(AnnotatorConfig.OUTPUT_TOPIC, output);
        flags.put(AnnotatorConfig.GROUP_TOPIC, groupOutput != null ? groupOutput : output + "-groups");
        // a replay writes no reward statistics (see Annotator), so it needs no stats topic
        flags.put(AnnotatorConfig.STATS_ENABLED, "false");
        if (applicationId != null) {
            flags.put(AnnotatorConfig.APPLICATION_ID, applicationId);
        }
        return ConfigSources.load(configFile, System.getenv(), flags);
    }

    private static void removeHook(Thread hook) {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            // the JVM is exiting and the hook has run: nothing to remove
        }
    }
}
