package io.rewardannotator.streams.stats;

import io.rewardannotator.event.Policy;
import io.rewardannotator.streams.DataSerde;
import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * A policy version, the unit reward statistics are kept for: the key of the stats repartition topic and of the
 * window store. Its binary form keeps name and version apart, so that {@code a/b}+{@code c} and
 * {@code a}+{@code b/c} stay two policies even though their {@link #recordKey()}s look alike.
 */
public record PolicyKey(String name, String version) {
    static final DataSerde<PolicyKey> SERDE = new DataSerde<>(1, PolicyKey::write, PolicyKey::read);

    public PolicyKey {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(version, "version");
    }

    public static PolicyKey of(Policy policy) {
        return new PolicyKey(policy.getName(), policy.getVersion());
    }

    Policy toPolicy() {
        return new Policy(name, version);
    }

    /** The key of a {@code RewardStats} event: {@code name/version}, UTF-8. */
    byte[] recordKey() {
        return (name + "/" + version).getBytes(StandardCharsets.UTF_8);
    }

    private static void write(PolicyKey key, DataOutput out) throws IOException {
        DataSerde.writeString(out, key.name);
        DataSerde.writeString(out, key.version);
    }

    private static PolicyKey read(DataInput in) throws IOException {
        return new PolicyKey(DataSerde.readString(in), DataSerde.readString(in));
    }
}
