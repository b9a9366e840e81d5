package io.rewardannotator.model;

import java.util.Objects;

/**
 * How the ONNX Runtime session runs.
 *
 * <p>Defaults (0 = automatic), chosen for a host shared with other work (measured in docs/benchmarks.md): on a
 * CPU, one model run per core at a time, each on one thread. Independent runs never wait for each other,
 * whereas threads inside one operator meet at a barrier after every operator and wait for the slowest, which
 * on a busy host is the one the scheduler left out; spinning while waiting is off for the same reason. On a
 * GPU, one run at a time (the device is the bottleneck; ONNX Runtime's own threads feed it).
 *
 * @param device         {@code cpu} or a CUDA device
 * @param intraOpThreads threads inside one operator; 0 = cores / concurrent runs on a CPU, ONNX Runtime's
 *                       choice on a GPU
 * @param interOpThreads threads across independent operators; 0 = 1 (operators run in sequence)
 * @param concurrentRuns model runs at once; 0 = the cores available to the JVM on a CPU, 1 on a GPU
 * @param promptCacheBytes keys and values of recent prompts kept for a group's later runs (graphs with past
 *                         inputs); 0 = none
 */
public record SessionSettings(Device device, int intraOpThreads, int interOpThreads, int concurrentRuns,
                              long promptCacheBytes) {
    /** 256 MiB: about 2,000 prompt tokens of the 8B model in float16 (128 KB of keys and values a token). */
    public static final long DEFAULT_PROMPT_CACHE_BYTES = 256L << 20;

    public SessionSettings {
        Objects.requireNonNull(device, "device");
        if (intraOpThreads < 0) {
            throw new IllegalArgumentException("intra-op threads must be >= 0 (0 = automatic), got " + intraOpThreads);
        }
        if (interOpThreads < 0) {
            throw new IllegalArgumentException("inter-op threads must be >= 0 (0 = automatic), got " + interOpThreads);
        }
        if (concurrentRuns < 0) {
            throw new IllegalArgumentException("concurrent runs must be >= 0 (0 = automatic), got " + concurrentRuns);
        }
        if (promptCacheBytes < 0) {
            throw new IllegalArgumentException("the prompt cache must be >= 0 bytes, got " + promptCacheBytes);
        }
    }

    /** Concurrent runs chosen automatically, the default prompt cache. */
    public SessionSettings(Device device, int intraOpThreads, int interOpThreads) {
        this(device, intraOpThreads, interOpThreads, 0, DEFAULT_PROMPT_CACHE_BYTES);
    }

    public static SessionSettings cpuDefaults() {
        return new SessionSettings(Device.CPU, 0, 0);
    }

    /** Model runs at once, automatic resolved. */
    public int resolvedConcurrentRuns() {
        if (concurrentRuns > 0) {
            return concurrentRuns;
        }
        return device.kind() == Device.Kind.CPU ? Runtime.getRuntime().availableProcessors() : 1;
    }

    /** Threads per operator, automatic resolved; 0 leaves the choice to ONNX Runtime (GPU). */
    public int resolvedIntraOpThreads() {
        if (intraOpThreads > 0 || device.kind() != Device.Kind.CPU) {
            return intraOpThreads;
        }
        return Math.max(1, Runtime.getRuntime().availableProcessors() / resolvedConcurrentRuns());
    }

    /** Threads across operators, automatic resolved. */
    public int resolvedInterOpThreads() {
        return interOpThreads > 0 ? interOpThreads : 1;
    }
}
