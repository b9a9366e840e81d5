package io.rewardannotator.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.rewardannotator.cli.Main;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The shaded jar that {@code package} built (Failsafe runs after it): files that several libraries carry under one
 * name are merged, not kept from whichever library came first.
 */
class ShadedJarIntegrationTest {
    /** A library's file and the shaded jar's file its text is merged into. */
    private static final Map<String, String> MERGED_INTO = Map.of(
            "META-INF/NOTICE", "META-INF/NOTICE",
            "META-INF/NOTICE.txt", "META-INF/NOTICE",
            "NOTICE", "NOTICE",
            "META-INF/LICENSE", "META-INF/LICENSE",
            "META-INF/LICENSE.txt", "META-INF/LICENSE.txt",
            "LICENSE", "LICENSE");

    private static final Path SHADED = RepositoryFiles.path("target", "reward-annotator.jar");
    private static JarFile shaded;

    @BeforeAll
    static void openJar() throws IOException {
        shaded = new JarFile(SHADED.toFile());
    }

    @AfterAll
    static void closeJar() throws IOException {
        shaded.close();
    }

    @Test
    void shouldKeepTheNoticeAndLicenceOfEveryBundledLibrary() throws IOException {
        List<String> checked = new ArrayList<>();
        for (Path library : bundledLibraries()) {
            try (JarFile jar = new JarFile(library.toFile())) {
                for (var file : MERGED_INTO.entrySet()) {
                    Optional<String> text = text(jar, file.getKey());
                    if (text.isEmpty()) {
                        continue;
                    }
                    // the notice transformer drops repeated lines, so each line must be there, not the whole text
                    String merged = text(shaded, file.getValue()).orElse("");
                    assertThat(text.get().lines().map(String::strip).filter(line -> !line.isEmpty()))
                            .as("%s of %s in the shaded %s", file.getKey(), library.getFileName(), file.getValue())
                            .allSatisfy(line -> assertThat(merged).contains(line));
                    checked.add(library.getFileName() + "!" + file.getKey());
                }
            }
        }
        assertThat(checked).as("libraries' notices checked")
                .anyMatch(name -> name.startsWith("kafka-clients") && name.endsWith("!NOTICE"))
                .anyMatch(name -> name.startsWith("scala-library") && name.endsWith("!NOTICE"))
                .anyMatch(name -> name.startsWith("jackson-core") && name.endsWith("!META-INF/NOTICE"));
    }

    @Test
    void shouldCarryTheVersionFileOfTheBundledKafkaModules() throws IOException {
        Properties shadedVersion = properties(shaded).orElseThrow();

        List<String> modules = new ArrayList<>();
        for (Path library : bundledLibraries()) {
            try (JarFile jar = new JarFile(library.toFile())) {
                Optional<Properties> version = properties(jar);
                if (version.isPresent()) {
                    assertThat(shadedVersion).as("version of %s", library.getFileName()).isEqualTo(version.get());
                    modules.add(library.getFileName().toString());
                }
            }
        }
        assertThat(modules).anyMatch(name -> name.startsWith("kafka-clients"));
        assertThat(shadedVersion.getProperty("version")).isNotBlank();
    }

    @Test
    void shouldStartTheCliWithoutSignaturesOrModuleDescriptors() throws IOException {
        assertThat(shaded.getManifest().getMainAttributes().getValue("Main-Class")).isEqualTo(Main.class.getName());
        assertThat(shaded.stream().map(JarEntry::getName))
                .noneMatch(name -> name.matches("META-INF/[^/]+\\.(SF|DSA|RSA)"))
                .noneMatch(name -> name.endsWith("module-info.class"));
    }

    /** The jars on the test class path whose classes the shaded jar holds (test-only libraries are not in it). */
    private static List<Path> bundledLibraries() throws IOException {
        List<Path> bundled = new ArrayList<>();
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            // Failsafe puts the shaded jar itself on the class path
            if (!entry.endsWith(".jar") || Path.of(entry).toAbsolutePath().equals(SHADED.toAbsolutePath())) {
                continue;
            }
            try (JarFile jar = new JarFile(entry)) {
                Optional<String> someClass = jar.stream().map(JarEntry::getName)
                        .filter(name -> name.endsWith(".class") && !name.contains("module-info"))
                        .findFirst();
                if (someClass.isPresent() && shaded.getEntry(someClass.get()) != null) {
                    bundled.add(Path.of(entry));
                }
            }
        }
        return bundled;
    }

    /** The version file every Kafka module carries (the client reports it as its app-info). */
    private static Optional<Properties> properties(JarFile jar) throws IOException {
        Optional<String> text = text(jar, "kafka/kafka-version.properties");
        if (text.isEmpty()) {
            return Optional.empty();
        }
        Properties properties = new Properties();
        properties.load(new StringReader(text.get()));
        return Optional.of(properties);
    }

    private static Optional<String> text(JarFile jar, String name) throws IOException {
        JarEntry entry = jar.getJarEntry(name);
        if (entry == null) {
            return Optional.empty();
        }
        try (InputStream in = jar.getInputStream(entry)) {
            return Optional.of(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
    }
}
