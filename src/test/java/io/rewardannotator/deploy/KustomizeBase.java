package io.rewardannotator.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/** A Kustomize base directory read as data: its kustomization, the manifests it lists, its generated ConfigMaps. */
record KustomizeBase(Path dir, JsonNode kustomization, List<JsonNode> manifests) {
    static final String KUSTOMIZATION = "kustomization.yaml";

    static KustomizeBase load(Path dir) {
        JsonNode kustomization = RepositoryFiles.yaml(dir.resolve(KUSTOMIZATION));
        List<JsonNode> manifests = new ArrayList<>();
        kustomization.path("resources")
                .forEach(r -> manifests.addAll(RepositoryFiles.yamlDocuments(dir.resolve(r.asText()))));
        return new KustomizeBase(dir, kustomization, List.copyOf(manifests));
    }

    List<String> listedResources() {
        List<String> out = new ArrayList<>();
        kustomization.path("resources").forEach(r -> out.add(r.asText()));
        return out;
    }

    /** The YAML files in the directory other than the kustomization itself. */
    List<String> yamlFiles() {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(f -> f.getFileName().toString()).filter(n -> n.endsWith(".yaml") || n.endsWith(".yml"))
                    .filter(n -> !n.equals(KUSTOMIZATION)).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The one manifest of a kind. */
    JsonNode one(String kind) {
        List<JsonNode> found = manifests.stream().filter(m -> m.path("kind").asText().equals(kind)).toList();
        if (found.size() != 1) {
            throw new AssertionError("expected one " + kind + " in " + dir + ", found " + found.size());
        }
        return found.get(0);
    }

    /** The data of a configMapGenerator entry (env files, then literals), or an empty map if there is none. */
    Map<String, String> generatedConfigMap(String name) {
        Map<String, String> data = new LinkedHashMap<>();
        for (JsonNode generator : kustomization.path("configMapGenerator")) {
            if (generator.path("name").asText().equals(name)) {
                generator.path("envs").forEach(f -> data.putAll(RepositoryFiles.envFile(dir.resolve(f.asText()))));
                generator.path("literals").forEach(l -> {
                    String[] keyValue = l.asText().split("=", 2);
                    data.put(keyValue[0], keyValue[1]);
                });
            }
        }
        return data;
    }
}
