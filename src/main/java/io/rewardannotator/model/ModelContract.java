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

    static final String PAST_KEY = "past_key.";
    static final String PAST_VALUE = "past_value.";
    static final String PRESENT_KEY = "present_key.";
    static final String PRESENT_VALUE = "present_value.";

    /**
     * Throws a {@link BundleException} listing every mismatch. Returns the graph's past inputs (tools/export's
     * kv_cache.py), or null for a graph with only the contract's four inputs.
     */
    static PastLayout check(String modelFile, OrtSession session, int numQuantiles, int numAttributes)
            throws OrtException {
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
        PastLayout past = pastLayout(session.getInputInfo(), problems);
        if (past != null) {
            Expected cache = new Expected(past.type(), DYNAMIC, past.kvHeads(), DYNAMIC, past.headDim());
            for (int i = 0; i < past.pastNames().size(); i++) {
                inputs.put(past.pastNames().get(i), cache);
                outputs.put(past.presentNames().get(i), cache);
            }
        }
        compare("input", inputs, session.getInputInfo(), problems);
        compare("output", outputs, session.getOutputInfo(), problems);
        if (!problems.isEmpty()) {
            throw new BundleException(modelFile + ": the graph does not match the qrm-onnx/1 contract: "
                    + String.join("; ", problems) + ". Expected inputs " + inputs + ", outputs " + outputs
                    + "; the graph has inputs " + describe(session.getInputInfo()) + ", outputs "
                    + describe(session.getOutputInfo()));
        }
        return past;
    }

    /** The layout of past_key.0, past_value.0, ... past_value.{n-1}, read from past_key.0; null when absent. */
    private static PastLayout pastLayout(Map<String, NodeInfo> inputs, List<String> problems) {
        long layers = inputs.keySet().stream().filter(n -> n.startsWith(PAST_KEY)).count();
        NodeInfo first = inputs.get(PAST_KEY + 0);
        if (layers == 0) {
            return null;
        }
        if (first == null || !(first.getInfo() instanceof TensorInfo info) || info.getShape().length != 4
                || info.getShape()[1] <= 0 || info.getShape()[3] <= 0
                || (info.type != OnnxJavaType.FLOAT && info.type != OnnxJavaType.FLOAT16)) {
            problems.add("past inputs need " + PAST_KEY + "0 as float or float16 [?, kv heads, ?, head dim], got "
                    + (first == null ? "none" : first.getInfo()));
            return null;
        }
        List<String> past = new ArrayList<>();
        List<String> present = new ArrayList<>();
        for (int i = 0; i < layers; i++) {
            past.addAll(List.of(PAST_KEY + i, PAST_VALUE + i));
            present.addAll(List.of(PRESENT_KEY + i, PRESENT_VALUE + i));
        }
        return new PastLayout(List.copyOf(past), List.copyOf(present), info.getShape()[1], info.getShape()[3],
                info.type);
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
