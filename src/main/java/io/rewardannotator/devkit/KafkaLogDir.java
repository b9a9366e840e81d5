package io.rewardannotator.devkit;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Stream;
import kafka.tools.StorageTool;
import org.apache.kafka.common.Uuid;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The embedded broker's log directory: created, formatted as {@code kafka-storage format} does, deleted. */
final class KafkaLogDir {
    private static final Logger log = LoggerFactory.getLogger(KafkaLogDir.class);

    private KafkaLogDir() {
    }

    static Path createTemporary() {
        try {
            return Files.createTempDirectory("embedded-kafka-");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a temporary log directory", e);
        }
    }

    static Path create(Path dir) {
        try {
            return Files.createDirectories(dir.toAbsolutePath());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the log directory " + dir, e);
        }
    }

    /**
     * Formats {@code dir} for a broker with these properties, through {@link StorageTool} as the
     * {@code kafka-storage.sh format} script does; a directory formatted earlier is kept as it is.
     */
    static void format(Path dir, Map<String, String> brokerProperties) {
        Path propsFile = null;
        try {
            propsFile = Files.createTempFile("embedded-kafka-", ".properties");
            Properties props = new Properties();
            props.putAll(brokerProperties);
            try (OutputStream out = Files.newOutputStream(propsFile)) {
                props.store(out, "embedded Kafka broker");
            }
            ByteArrayOutputStream output = new ByteArrayOutputStream();
            int exit;
            try (PrintStream print = new PrintStream(output, true, StandardCharsets.UTF_8)) {
                exit = StorageTool.execute(new String[] {"format", "-t", clusterId(dir), "-c", propsFile.toString(),
                    "--ignore-formatted"}, print);
            }
            if (exit != 0) {
                throw new IOException("kafka-storage format exited with " + exit + ": "
                        + output.toString(StandardCharsets.UTF_8).strip());
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot format the log directory " + dir, e);
        } finally {
            if (propsFile != null) {
                delete(propsFile);
            }
        }
    }

    /**
     * The cluster id of a directory formatted earlier, else a new one: {@code --ignore-formatted} still rejects a
     * directory whose {@code meta.properties} names another cluster.
     */
    private static String clusterId(Path dir) throws IOException {
        Path meta = dir.resolve("meta.properties");
        if (Files.isRegularFile(meta)) {
            Properties props = new Properties();
            try (InputStream in = Files.newInputStream(meta)) {
                props.load(in);
            }
            String id = props.getProperty("cluster.id", "");
            if (!id.isBlank()) {
                return id;
            }
        }
        return Uuid.randomUuid().toString();
    }

    /** Deletes a file or a directory tree; logs what it could not delete. */
    static void delete(Path path) {
        if (!Files.exists(path)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(path)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            log.warn("Could not delete {}", path, e);
        }
    }
}
