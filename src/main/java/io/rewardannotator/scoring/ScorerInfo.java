package io.rewardannotator.scoring;

import java.util.List;
import java.util.Objects;

/**
 * Which model scores, so that every output can say what produced it.
 *
 * @param name           model name from the bundle manifest
 * @param revision       checkpoint or export revision
 * @param bundleDigest   SHA-256 of the bundle manifest (which pins every file's digest)
 * @param device         {@code cpu} or {@code cuda:N}
 * @param quantileLevels the levels of {@link RewardResult#quantiles()}
 * @param attributes     the names of {@link RewardResult#attributeScores()}, in head order
 */
public record ScorerInfo(String name, String revision, String bundleDigest, String device,
                         List<Double> quantileLevels, List<String> attributes) {
    public ScorerInfo {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(revision, "revision");
        Objects.requireNonNull(bundleDigest, "bundleDigest");
        Objects.requireNonNull(device, "device");
        quantileLevels = List.copyOf(quantileLevels);
        attributes = List.copyOf(attributes);
    }

    double[] levelArray() {
        return quantileLevels.stream().mapToDouble(Double::doubleValue).toArray();
    }
}
