package io.rewardannotator.model;

import ai.onnxruntime.OnnxJavaType;
import java.util.List;

/**
 * A graph's past keys and values: per layer a key and a value input {@code [batch, kvHeads, past, headDim]}, and
 * the matching present outputs over past + new positions, which a later run can take as its past.
 *
 * @param pastNames    past_key.0, past_value.0, ... in layer order
 * @param presentNames present_key.0, present_value.0, ... in the same order
 */
record PastLayout(List<String> pastNames, List<String> presentNames, long kvHeads, long headDim, OnnxJavaType type) {
    long[] shape(int batch, long positions) {
        return new long[] {batch, kvHeads, positions, headDim};
    }
}
