package io.rewardannotator.devkit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;

/** The tiny test bundle packed in the jar, copied out to a directory so it loads like any bundle. */
public final class BundledModel {
    private static final String ROOT = "/bundled-models/tiny-qrm/";
    private static final String MANIFEST = "reward-model.json";

    private BundledModel() {
    }

    /** Copies the bundle's manifest and every file it lists into {@code target}; returns {@code target}. */
    public static Path extractTo(Path target) {
        try {
            Files.createDirectories(target);
            List<String> names = new ArrayList<>(List.of(MANIFEST));
            JsonNode manifest;
            try (InputStream in = open(MANIFEST)) {
                manifest = new ObjectMapper().readTree(in);
            }
            manifest.get("files").fieldNames().forEachRemaining(names::add);
            for (String name : names) {
                try (InputStream in = open(name)) {
                    Files.copy(in, target.resolve(name), StandardCopyOption.REPLACE_EXISTING);
                }
            }
            return target;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot extract the bundled tiny model to " + target, e);
        }
    }

    private static InputStream open(String name) {
        InputStream in = BundledModel.class.getResourceAsStream(ROOT + name);
        if (in == null) {
            throw new IllegalStateException("the bundled tiny model lacks " + name + ": was the jar built by Maven?");
        }
        return in;
    }
}
