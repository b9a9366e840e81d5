package io.rewardannotator.model;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import java.util.Map;

/**
 * The bundle's {@code reward-model.json}, as the model contract (section 4) defines it. Validated by
 * {@link ModelBundle}, which knows the file name to put in messages.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record BundleManifest(
        @JsonProperty("format") String format,
        @JsonProperty("name") String name,
        @JsonProperty("revision") String revision,
        @JsonProperty("description") String description,
        @JsonProperty("chat_template") String chatTemplate,
        @JsonProperty("quantile_levels") List<Double> quantileLevels,
        @JsonProperty("attributes") List<String> attributes,
        @JsonProperty("pad_token_id") Long padTokenId,
        @JsonProperty("bos_token_id") Long bosTokenId,
        @JsonProperty("gating_pattern") List<Long> gatingPattern,
        @JsonProperty("max_tokens") Integer maxTokens,
        @JsonProperty("files") Map<String, FileEntry> files) {

    /** The only manifest format this scorer reads. */
    public static final String FORMAT = "qrm-onnx/1";

    /** One file of the bundle with its expected digest and size. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record FileEntry(@JsonProperty("sha256") String sha256, @JsonProperty("bytes") Long bytes) {
    }
}
