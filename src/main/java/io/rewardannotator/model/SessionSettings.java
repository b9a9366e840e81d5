package io.rewardannotator.model;

import java.util.Objects;

/**
 * How the ONNX Runtime session runs.
 *
 * @param device         {@code cpu} or a CUDA device
 * @param intraOpThreads threads inside one operator; 0 lets ONNX Runtime choose (all cores). Lower it when the
 *                       scorer shares its cores with stream threads and they starve
 * @param interOpThreads threads across independent operators; 0 lets ONNX Runtime choose
 */
public record SessionSettings(Device device, int intraOpThreads, int interOpThreads) {
    public SessionSettings {
        Objects.requireNonNull(device, "device");
        if (intraOpThreads < 0) {
            throw new IllegalArgumentException("intra-op threads must be >= 0 (0 = automatic), got " + intraOpThreads);
        }
        if (interOpThreads < 0) {
            throw new IllegalArgumentException("inter-op threads must be >= 0 (0 = automatic), got " + interOpThreads);
        }
    }

    public static SessionSettings cpuDefaults() {
        return new SessionSettings(Device.CPU, 0, 0);
    }
}
