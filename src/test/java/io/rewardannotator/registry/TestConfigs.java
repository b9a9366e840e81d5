package io.rewardannotator.registry;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.util.HashMap;
import java.util.Map;

/** Serde configurations for tests. */
final class TestConfigs {

    private TestConfigs() {
    }

    /** {@code schema.registry.url=mock://<scope>} plus the given key/value pairs. */
    static Map<String, Object> mock(String scope, Object... keyValues) {
        Map<String, Object> configs = new HashMap<>();
        configs.put(RegistryConfig.URL_CONFIG, "mock://" + scope);
        for (int i = 0; i < keyValues.length; i += 2) {
            configs.put((String) keyValues[i], keyValues[i + 1]);
        }
        return configs;
    }

    /** A URL on which nothing listens (a port that was free a moment ago). */
    static String deadUrl() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return "http://127.0.0.1:" + socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
