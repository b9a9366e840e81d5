package io.rewardannotator.replay;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.regex.Pattern;

/**
 * The Kafka Streams application id of a replay:
 * {@code reward-annotator-replay-<model revision>-<bundle digest, 12 hex>-<output topic>}. Its own consumer group,
 * so a replay never moves the online annotator's offsets; the same bundle into the same topic gets the same id, so
 * running the same replay again resumes it. The digest keeps apart two bundles that share a revision but differ
 * in a file (a fixed chat template): otherwise the second would resume the first's offsets and score nothing.
 *
 * <p>The id prefixes internal topic names, so it keeps to the characters a topic name allows; when anything had
 * to be replaced or cut, a short hash of the unsanitized id keeps distinct revisions apart.
 */
public final class ReplayApplicationId {
    static final String PREFIX = "reward-annotator-replay-";
    /** Leaves room under Kafka's 249-character topic names for the internal topics' suffixes. */
    static final int MAX_LENGTH = 180;
    private static final Pattern NOT_ALLOWED = Pattern.compile("[^A-Za-z0-9._-]+");
    private static final int HASH_CHARS = 8;
    static final int DIGEST_CHARS = 12;
    private static final String ORIGIN_SUFFIX = "-origin";

    private ReplayApplicationId() {
    }

    /** @param bundleDigest the bundle's SHA-256 (hex), as {@code ModelBundle.digest()} */
    public static String derive(String modelRevision, String bundleDigest, String outputTopic) {
        if (bundleDigest.length() < DIGEST_CHARS) {
            throw new IllegalArgumentException("a bundle digest has at least " + DIGEST_CHARS + " hex digits: "
                    + bundleDigest);
        }
        String raw = PREFIX + modelRevision + "-" + bundleDigest.substring(0, DIGEST_CHARS) + "-" + outputTopic;
        String clean = NOT_ALLOWED.matcher(raw).replaceAll("-");
        if (clean.equals(raw) && clean.length() <= MAX_LENGTH) {
            return clean;
        }
        String head = clean.substring(0, Math.min(clean.length(), MAX_LENGTH - HASH_CHARS - 1));
        return head + "-" + hash(raw);
    }

    /**
     * The group that keeps where a replay started (its first run commits its starting offsets there, and nothing
     * ever consumes it): Kafka Streams overwrites the replay group's own offsets as it goes, so only this tells a
     * resumed run whether its {@code --from} is the one the replay began with.
     */
    public static String originGroup(String applicationId) {
        return applicationId + ORIGIN_SUFFIX;
    }

    private static String hash(String raw) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(raw.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest).substring(0, HASH_CHARS);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }
}
