package io.rewardannotator.model;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.rewardannotator.text.ChatTemplate;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * A model bundle directory whose manifest and files have been checked: the format, the fields, every listed
 * file's size and SHA-256, and the chat template. Every failure is a {@link BundleException} naming the file.
 */
public final class ModelBundle {
    public static final String MANIFEST = "reward-model.json";
    public static final String MODEL_FILE = "model.onnx";
    public static final String TOKENIZER_FILE = "tokenizer.json";

    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);

    private final Path directory;
    private final BundleManifest manifest;
    private final ChatTemplate chatTemplate;
    private final String digest;

    private ModelBundle(Path directory, BundleManifest manifest, ChatTemplate chatTemplate, String digest) {
        this.directory = directory;
        this.manifest = manifest;
        this.chatTemplate = chatTemplate;
        this.digest = digest;
    }

    /** Reads and checks the bundle in {@code directory}. */
    public static ModelBundle load(Path directory) {
        Path dir = directory.toAbsolutePath().normalize();
        if (!Files.isDirectory(dir)) {
            throw new BundleException("model bundle " + dir + " is not a directory");
        }
        Path manifestPath = dir.resolve(MANIFEST);
        if (!Files.isRegularFile(manifestPath)) {
            throw new BundleException(manifestPath + ": manifest missing; a bundle needs " + MANIFEST
                    + ", " + MODEL_FILE + " and " + TOKENIZER_FILE);
        }
        byte[] manifestBytes;
        BundleManifest manifest;
        try {
            manifestBytes = Files.readAllBytes(manifestPath);
            manifest = JSON.readValue(manifestBytes, BundleManifest.class);
        } catch (IOException e) {
            throw new BundleException(manifestPath + ": not a valid manifest: " + e.getMessage(), e);
        }
        ChatTemplate template = ManifestChecks.check(manifestPath, manifest);
        verifyFiles(dir, manifest.files());
        return new ModelBundle(dir, manifest, template, hex(sha256(manifestBytes)));
    }

    private static void verifyFiles(Path dir, Map<String, BundleManifest.FileEntry> files) {
        for (String required : List.of(MODEL_FILE, TOKENIZER_FILE)) {
            if (!files.containsKey(required)) {
                throw new BundleException(dir.resolve(MANIFEST) + ": 'files' does not list " + required);
            }
        }
        for (Map.Entry<String, BundleManifest.FileEntry> entry : files.entrySet()) {
            Path file = dir.resolve(entry.getKey()).normalize();
            if (!file.startsWith(dir)) {
                throw new BundleException(dir.resolve(MANIFEST) + ": file '" + entry.getKey()
                        + "' lies outside the bundle directory");
            }
            verifyFile(file, entry.getValue());
        }
    }

    private static void verifyFile(Path file, BundleManifest.FileEntry expected) {
        if (!Files.isRegularFile(file)) {
            throw new BundleException(file + ": listed in " + MANIFEST + " but missing");
        }
        if (!Files.isReadable(file)) {
            throw new BundleException(file + ": exists but cannot be read (" + access(file) + "); make the bundle's "
                    + "files readable by this user, e.g. chmod a+r " + file.getParent() + "/*");
        }
        try {
            long size = Files.size(file);
            if (expected.bytes() != null && size != expected.bytes()) {
                throw new BundleException(file + ": " + size + " bytes, the manifest says " + expected.bytes()
                        + " (incomplete copy or download?)");
            }
            String actual;
            try (InputStream in = Files.newInputStream(file)) {
                actual = hex(sha256(in));
            }
            if (!actual.equalsIgnoreCase(String.valueOf(expected.sha256()))) {
                throw new BundleException(file + ": SHA-256 " + actual + " does not match the manifest's "
                        + expected.sha256() + " (file changed or corrupted)");
            }
        } catch (IOException e) {
            throw new BundleException(file + ": cannot read (" + access(file) + "): " + e.getMessage(), e);
        }
    }

    /** What a permission problem needs to be fixed: "mode rw------- (owner alice), read as user bob". */
    static String access(Path file) {
        String reader = "read as user " + System.getProperty("user.name");
        try {
            PosixFileAttributes attributes = Files.readAttributes(file, PosixFileAttributes.class);
            return "mode " + PosixFilePermissions.toString(attributes.permissions()) + " (owner "
                    + attributes.owner().getName() + "), " + reader;
        } catch (IOException | UnsupportedOperationException e) {
            return reader;   // not a POSIX file system: the mode cannot be shown
        }
    }

    private static byte[] sha256(byte[] bytes) {
        return newSha256().digest(bytes);
    }

    private static byte[] sha256(InputStream in) throws IOException {
        MessageDigest digest = newSha256();
        byte[] buffer = new byte[1 << 16];
        for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
            digest.update(buffer, 0, n);
        }
        return digest.digest();
    }

    private static MessageDigest newSha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }

    private static String hex(byte[] bytes) {
        return HexFormat.of().formatHex(bytes);
    }

    public Path directory() {
        return directory;
    }

    public BundleManifest manifest() {
        return manifest;
    }

    public ChatTemplate chatTemplate() {
        return chatTemplate;
    }

    /** SHA-256 of the manifest, which pins every file's digest: one value that names this exact bundle. */
    public String digest() {
        return digest;
    }

    public Path modelFile() {
        return directory.resolve(MODEL_FILE);
    }

    public Path tokenizerFile() {
        return directory.resolve(TOKENIZER_FILE);
    }

    public int numQuantiles() {
        return manifest.quantileLevels().size();
    }

    public int numAttributes() {
        return manifest.attributes().size();
    }
}
