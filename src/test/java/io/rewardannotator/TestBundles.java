package io.rewardannotator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.stream.Stream;

/** The committed tiny QRM bundle and its torch reference outputs, and editable copies of the bundle. */
public final class TestBundles {
    /** The tiny bundle committed at {@code models/tiny-qrm} (tests run in the project root). */
    public static final Path TINY = Path.of("models", "tiny-qrm").toAbsolutePath();
    public static final Path TINY_REFERENCE = Path.of("src", "test", "resources", "reference",
            "tiny-qrm-reference.json");
    public static final ObjectMapper JSON = new ObjectMapper();

    private TestBundles() {
    }

    /** The torch reference file: {@code {"cases": [{"input_ids", "score", "reward_quantiles", ...}]}}. */
    public static JsonNode reference() {
        try {
            return JSON.readTree(TINY_REFERENCE.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * A copy of the tiny bundle in {@code dir}: the manifest and small files copied (so a test may edit them in
     * place), the large ones hard-linked where the file system allows (a test replaces those, never edits them).
     */
    public static Path copyOfTiny(Path dir) throws IOException {
        Path copy = Files.createDirectories(dir.resolve("bundle"));
        try (Stream<Path> files = Files.list(TINY)) {
            for (Path file : (Iterable<Path>) files::iterator) {
                Path target = copy.resolve(file.getFileName());
                if (Files.size(file) > 100_000) {
                    linkOrCopy(file, target);
                } else {
                    Files.copy(file, target);
                }
            }
        }
        return copy;
    }

    private static void linkOrCopy(Path file, Path target) throws IOException {
        try {
            Files.createLink(target, file);
        } catch (IOException | UnsupportedOperationException e) {
            Files.copy(file, target);
        }
    }

    public static ObjectNode readManifest(Path bundle) throws IOException {
        return (ObjectNode) JSON.readTree(bundle.resolve("reward-model.json").toFile());
    }

    public static void writeManifest(Path bundle, JsonNode manifest) throws IOException {
        JSON.writerWithDefaultPrettyPrinter().writeValue(bundle.resolve("reward-model.json").toFile(), manifest);
    }

    /** Replaces {@code name} in a bundle copy and records its real digest and size in the manifest. */
    public static void replaceFile(Path bundle, String name, Path replacement) throws IOException {
        Path target = bundle.resolve(name);
        Files.deleteIfExists(target);
        Files.copy(replacement, target);
        ObjectNode manifest = readManifest(bundle);
        ObjectNode entry = ((ObjectNode) manifest.get("files")).putObject(name);
        entry.put("sha256", sha256Hex(Files.readAllBytes(target)));
        entry.put("bytes", Files.size(target));
        writeManifest(bundle, manifest);
    }

    public static String sha256Hex(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
