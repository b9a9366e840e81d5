package io.rewardannotator.event;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaCompatibility.SchemaCompatibilityType;
import org.apache.avro.SchemaCompatibility.SchemaPairCompatibility;

/** The recorded versions of one event schema, under {@code src/test/resources/schema-history/<name>/}. */
record SchemaHistory(String name, Schema current, List<Path> versions) {

    static SchemaHistory of(String name, Schema current) {
        URL dir = SchemaHistory.class.getResource("/schema-history/" + name);
        if (dir == null) {
            throw new IllegalStateException("No schema-history/" + name + " directory on the test classpath");
        }
        try (Stream<Path> files = Files.list(Path.of(dir.toURI()))) {
            List<Path> versions = files.filter(f -> f.getFileName().toString().matches("v\\d+\\.avsc"))
                    .sorted(Comparator.comparingInt(SchemaHistory::versionNumber))
                    .toList();
            return new SchemaHistory(name, current, versions);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    static Schema parse(Path file) {
        try {
            return new Schema.Parser().parse(file.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static int versionNumber(Path file) {
        String fileName = file.getFileName().toString();
        return Integer.parseInt(fileName.substring(1, fileName.length() - ".avsc".length()));
    }

    /** Why {@code reader} cannot read data written with {@code writer}, the check this history relies on. */
    static Optional<String> backwardIncompatibility(Schema reader, Schema writer) {
        SchemaPairCompatibility result = SchemaCompatibility.checkReaderWriterCompatibility(reader, writer);
        if (result.getType() == SchemaCompatibilityType.COMPATIBLE) {
            return Optional.empty();
        }
        return Optional.of(result.getResult().getIncompatibilities().toString());
    }

    @Override
    public String toString() {
        return name;
    }
}
