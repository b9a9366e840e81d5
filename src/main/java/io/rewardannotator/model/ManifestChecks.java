package io.rewardannotator.model;

import io.rewardannotator.text.ChatTemplate;
import java.nio.file.Path;
import java.util.List;

/** Field-by-field validation of a manifest; messages name the manifest file and the field. */
final class ManifestChecks {
    private ManifestChecks() {
    }

    /** Checks every field and returns the chat template it names. */
    static ChatTemplate check(Path manifestPath, BundleManifest m) {
        String where = manifestPath + ": ";
        if (!BundleManifest.FORMAT.equals(m.format())) {
            throw new BundleException(where + "format is '" + m.format() + "', this scorer reads '"
                    + BundleManifest.FORMAT + "'");
        }
        require(where, "name", m.name() != null && !m.name().isBlank());
        require(where, "revision", m.revision() != null && !m.revision().isBlank());
        require(where, "pad_token_id", m.padTokenId() != null && m.padTokenId() >= 0);
        require(where, "bos_token_id", m.bosTokenId() != null && m.bosTokenId() >= 0);
        require(where, "max_tokens", m.maxTokens() != null && m.maxTokens() > 1);
        require(where, "gating_pattern", m.gatingPattern() != null && !m.gatingPattern().isEmpty());
        require(where, "files", m.files() != null && !m.files().isEmpty());
        checkLevels(where, m.quantileLevels());
        require(where, "attributes", m.attributes() != null && !m.attributes().isEmpty()
                && m.attributes().stream().allMatch(a -> a != null && !a.isBlank()));
        if (m.chatTemplate() == null) {
            throw new BundleException(where + "chat_template is missing");
        }
        try {
            return ChatTemplate.forName(m.chatTemplate());
        } catch (IllegalArgumentException e) {
            throw new BundleException(where + e.getMessage(), e);
        }
    }

    private static void checkLevels(String where, List<Double> levels) {
        require(where, "quantile_levels", levels != null && !levels.isEmpty());
        double previous = 0.0;
        for (Double level : levels) {
            if (level == null || level <= previous || level >= 1.0) {
                throw new BundleException(where + "quantile_levels must be strictly increasing values in (0, 1), got "
                        + levels);
            }
            previous = level;
        }
    }

    private static void require(String where, String field, boolean ok) {
        if (!ok) {
            throw new BundleException(where + field + " is missing or invalid");
        }
    }
}
