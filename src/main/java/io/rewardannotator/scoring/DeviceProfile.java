package io.rewardannotator.scoring;

import io.rewardannotator.model.Device;
import java.util.Objects;

/**
 * What the planner assumes about a kind of device: its default token budget, its cost model, and how many
 * bytes one attention cell (one row's score for one query and one key, over all heads) takes.
 *
 * @param batchTokens       default padded tokens per run
 * @param batchMemoryBytes  default memory budget of one run's attention scores
 * @param cost              the run cost model
 * @param bytesPerCell      memory per attention cell: heads x 4 bytes (float32 scores) x the copies alive at
 *                          once (scores, softmax); 32 heads x 4 x 2 for QRM-Llama3.1-8B's unfused graph, an
 *                          over-estimate (so a safe bound) for a model with fewer heads
 */
public record DeviceProfile(int batchTokens, long batchMemoryBytes, BatchCostModel cost, long bytesPerCell) {
    /**
     * CPU: a run's fixed cost is negligible next to its tokens, so padding never pays: only rows of equal length
     * share a run (and a group's rows their prompt, through the model's prompt cache). Measured on the 512-wide
     * benchmark model (docs/benchmarks.md): with an overhead of 64 tokens the planner padded rows together and
     * scored up to 10% fewer tokens/s than one row per run on distinct conversations (within noise in some runs),
     * and 15-20% fewer on GRPO groups.
     */
    public static final DeviceProfile CPU = new DeviceProfile(4_096, 1L << 30, new BatchCostModel(0, 27_000), 256);
    /**
     * CUDA: a run's fixed cost (kernel launches, a GPU idle between runs) is worth hundreds of tokens, so the
     * planner pads readily; the budget is the one the 8B model was sized for on a 24 GB+ GPU.
     */
    public static final DeviceProfile CUDA = new DeviceProfile(16_384, 8L << 30, new BatchCostModel(512, 27_000), 256);

    public DeviceProfile {
        if (batchTokens < 1 || batchMemoryBytes < 1 || bytesPerCell < 1) {
            throw new IllegalArgumentException("profile limits must be >= 1");
        }
        Objects.requireNonNull(cost, "cost");
    }

    public static DeviceProfile of(Device device) {
        return device.kind() == Device.Kind.CPU ? CPU : CUDA;
    }

    /** Attention cells ({@code rows x length^2}) that fit in {@code memoryBytes}. */
    public long attentionCells(long memoryBytes) {
        return Math.max(1, memoryBytes / bytesPerCell);
    }
}
