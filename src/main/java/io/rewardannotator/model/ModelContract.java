package io.rewardannotator.model;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The graph's inputs and outputs (model contract, section 4), checked once when the session is created so that
 * a wrong export fails at start-up with a list of what the graph has and what was expected.
 */
final class ModelContract {
    static final String INPUT_IDS = "input_ids";
    static final String ATTENTION_MASK = "attention_mask";
    static final String LAST_TOKEN_INDEX = "last_token_index";
    static final String GATING_TOKEN_INDEX = "gating_token_index";
    static final String SCORE = "score";
    static final String REWARD_QUANTILES = "reward_quantiles";
    static final String REWARDS = "rewards";
    static final String GATING_OUTPUT = "gating_output";

    private static final long DYNAMIC = -1;

    private ModelContract() {
    }

    /** Throws a {@link BundleException} listing every mismatch. */
    static void check(String modelFile, OrtSession session, int numQuantiles, int numAttributes) throws OrtException {
        Map<String, Expected> inputs = new LinkedHashMap<>();
        inputs.put(INPUT_IDS, new Expected(OnnxJavaType.INT64, DYNAMIC, DYNAMIC));
        inputs.put(ATTENTION_MASK, new Expected(OnnxJavaType.INT64, DYNAMIC, DYNAMIC));
        inputs.put(LAST_TOKEN_INDEX, new Expected(OnnxJavaType.INT64, DYNAMIC));
        inputs.put(GATING_TOKEN_INDEX, new Expected(OnnxJavaType.INT64, DYNAMIC));
        Map<String, Expected> outputs = new LinkedHashMap<>();
        outputs.put(SCORE, new Expected(OnnxJavaType.FLOAT, DYNAMIC, 1));
        outputs.put(REWARD_QUANTILES, new Expected(OnnxJavaType.FLOAT, DYNAMIC, numQuantiles));
        outputs.put(REWARDS, new Expected(OnnxJavaType.FLOAT, DYNAMIC, numAttributes));
        outputs.put(GATING_OUTPUT, new Expected(OnnxJavaType.FLOAT, DYNAMIC, numAttributes));

        List<String> problems = new ArrayList<>();
        compare("input", inputs, session.getInputInfo(), problems);
        compare("output", outputs, session.getOutputInfo(), problems);
        if (!problems.isEmpty()) {
            throw new BundleException(modelFile + ": the graph does not match the qrm-onnx/1 contract: "
                    + String.join("; ", problems) + ". Expected inputs " + inputs + ", outputs " + outputs
                    + "; the graph has inputs " + describe(session.getInputInfo()) + ", outputs "
                    + describe(session.getOutputInfo()));
        }
    }

    private static void compare(String kind, Map<String, Expected> expected, Map<String, NodeInfo> actual,
                                List<String> problems) {
        for (Map.Entry<String, Expected> e : expected.entrySet()) {
            NodeInfo node = actual.get(e.getKey());
            if (node == null) {
                problems.add(kind + " '" + e.getKey() + "' is missing");
            } else if (!(node.getInfo() instanceof TensorInfo tensor) || !e.getValue().accepts(tensor)) {
                problems.add(kind + " '" + e.getKey() + "' is " + node.getInfo() + ", expected " + e.getValue());
            }
        }
        for (String name : actual.keySet()) {
            if (!expected.containsKey(name) && kind.equals("input")) {
                problems.add("unexpected input '" + name + "'");
            }
        }
    }

    private static String describe(Map<String, NodeInfo> nodes) {
        Map<String, String> out = new LinkedHashMap<>();
        nodes.forEach((name, node) -> out.put(name, String.valueOf(node.getInfo())));
        return out.toString();
    }

    /** A tensor type and shape; {@code -1} is a dimension that must be dynamic (batch, sequence). */
    private record Expected(OnnxJavaType type, long... shape) {
        boolean accepts(TensorInfo tensor) {
            long[] actual = tensor.getShape();
            if (tensor.type != type || actual.length != shape.length) {
                return false;
            }
            for (int i = 0; i < shape.length; i++) {
                boolean ok = shape[i] == DYNAMIC ? actual[i] < 0 : actual[i] == shape[i] || actual[i] < 0;
                if (!ok) {
                    return false;
                }
            }
            return true;
        }

        @Override
        public String toString() {
            return type + Arrays.toString(shape).replace("-1", "?");
        }
    }
}
