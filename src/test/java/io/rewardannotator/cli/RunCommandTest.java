package io.rewardannotator.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.rewardannotator.TestBundles;
import org.junit.jupiter.api.Test;

/** What {@code run} refuses before it contacts anything. */
class RunCommandTest {
    @Test
    void shouldRequireTheSchemaRegistryUrl() {
        CliRun run = CliRun.of("run", "--bootstrap-servers", "127.0.0.1:1", "--model", TestBundles.TINY.toString());

        assertThat(run.exitCode()).isEqualTo(Main.EXIT_CONFIG);
        assertThat(run.err()).contains("schema.registry.url");
    }

    @Test
    void shouldRefuseTheInMemoryRegistryUnlessAllowedForTests() {
        CliRun run = CliRun.of("run", "--bootstrap-servers", "127.0.0.1:1", "--model", TestBundles.TINY.toString(),
                "--set", "schema.registry.url=mock://somewhere");

        assertThat(run.exitCode()).isEqualTo(Main.EXIT_CONFIG);
        assertThat(run.err()).contains("schema.registry.url=mock://somewhere").contains("--allow-mock-registry");
    }

    @Test
    void shouldGoOnToTheBrokersWithTheInMemoryRegistryWhenAllowed() {
        CliRun run = CliRun.of("run", "--bootstrap-servers", "127.0.0.1:1", "--model", TestBundles.TINY.toString(),
                "--set", "schema.registry.url=mock://allowed", "--set", "startup.timeout.ms=500",
                "--allow-mock-registry");

        assertThat(run.exitCode()).as(run.err()).isEqualTo(Main.EXIT_KAFKA);
    }
}
