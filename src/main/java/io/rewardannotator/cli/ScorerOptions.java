package io.rewardannotator.cli;

import io.rewardannotator.model.Device;
import io.rewardannotator.model.SessionSettings;
import io.rewardannotator.scoring.DeviceProfile;
import io.rewardannotator.scoring.ScoringConfig;
import io.rewardannotator.text.OverflowPolicy;
import java.nio.file.Path;
import java.time.Duration;
import picocli.CommandLine.Option;

/** The model and scoring options every scoring command shares. */
final class ScorerOptions {
    @Option(names = "--model", required = true, paramLabel = "DIR",
            description = "Model bundle directory (reward-model.json, model.onnx, tokenizer.json).")
    Path model;

    @Option(names = "--device", defaultValue = "cpu", paramLabel = "cpu|cuda:N",
            description = "Where the model runs (default: ${DEFAULT-VALUE}). cuda needs the GPU build.")
    String device;

    @Option(names = "--intra-op-threads", defaultValue = "0", paramLabel = "N",
            description = "ONNX Runtime threads per operator; 0 = cores / concurrent runs on cpu "
                    + "(default: ${DEFAULT-VALUE}).")
    int intraOpThreads;

    @Option(names = "--inter-op-threads", defaultValue = "0", paramLabel = "N",
            description = "ONNX Runtime threads across operators; 0 = 1 (default: ${DEFAULT-VALUE}).")
    int interOpThreads;

    @Option(names = "--concurrent-runs", defaultValue = "0", paramLabel = "N",
            description = "Model runs at once; 0 = one per core on cpu, 1 on cuda (default: ${DEFAULT-VALUE}).")
    int concurrentRuns;

    @Option(names = "--batch-tokens", paramLabel = "N",
            description = "Padded tokens per model run; lower it on GPU out-of-memory (default: 4096 on cpu, "
                    + "16384 on cuda).")
    Integer batchTokens;

    @Option(names = "--batch-memory-mb", paramLabel = "MB",
            description = "Memory budget of one run's attention scores; lower it when long inputs exhaust memory "
                    + "(default: 1024 on cpu, 8192 on cuda).")
    Long batchMemoryMb;

    @Option(names = "--min-length-ratio", defaultValue = "" + ScoringConfig.DEFAULT_MIN_LENGTH_RATIO,
            paramLabel = "R", description = "Shortest / longest input in one batch: caps padding "
                    + "(default: ${DEFAULT-VALUE}).")
    double minLengthRatio;

    @Option(names = "--max-batch-size", defaultValue = "" + ScoringConfig.DEFAULT_BATCH_SIZE, paramLabel = "N",
            description = "Rows per model run (default: ${DEFAULT-VALUE}).")
    int maxBatchSize;

    @Option(names = "--linger-ms", defaultValue = "" + ScoringConfig.DEFAULT_LINGER_MS, paramLabel = "MS",
            description = "How long a request may wait for others to fill a batch (default: ${DEFAULT-VALUE}).")
    long lingerMs;

    @Option(names = "--queue-capacity", defaultValue = "" + ScoringConfig.DEFAULT_QUEUE_CAPACITY, paramLabel = "N",
            description = "Requests that may wait for the model (default: ${DEFAULT-VALUE}).")
    int queueCapacity;

    @Option(names = "--cvar-alpha", defaultValue = "" + ScoringConfig.DEFAULT_CVAR_ALPHA, paramLabel = "A",
            description = "Tail level of the CVaR statistic (default: ${DEFAULT-VALUE}).")
    double cvarAlpha;

    @Option(names = "--drop-oldest-turns",
            description = "Shorten over-long prompts by dropping their oldest turns instead of rejecting them.")
    boolean dropOldestTurns;

    SessionSettings sessionSettings() {
        return new SessionSettings(Device.parse(device), intraOpThreads, interOpThreads, concurrentRuns);
    }

    /** The options, with the device's defaults for those not given. */
    ScoringConfig scoringConfig() {
        DeviceProfile profile = DeviceProfile.of(Device.parse(device));
        return new ScoringConfig(batchTokens != null ? batchTokens : profile.batchTokens(), maxBatchSize,
                Duration.ofMillis(lingerMs), queueCapacity, cvarAlpha,
                dropOldestTurns ? OverflowPolicy.DROP_OLDEST_TURNS : OverflowPolicy.REJECT, minLengthRatio,
                batchMemoryMb != null ? batchMemoryMb << 20 : profile.batchMemoryBytes());
    }
}
