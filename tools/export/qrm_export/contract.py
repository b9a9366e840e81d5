"""The facts of docs/model-contract.md (sections 1, 2 and 4) that the exporter writes or checks."""

FORMAT = "qrm-onnx/1"
DEFAULT_NAME = "QRM-Llama3.1-8B"
DEFAULT_MAX_TOKENS = 4096

MANIFEST_FILE = "reward-model.json"
MODEL_FILE = "model.onnx"
DATA_FILE = "model.onnx.data"
TOKENIZER_FILES = ("tokenizer.json", "tokenizer_config.json")

NUM_ATTRIBUTES = 19
NUM_QUANTILES = 19
ATTRIBUTES = (
    "helpsteer-helpfulness", "helpsteer-correctness", "helpsteer-coherence", "helpsteer-complexity",
    "helpsteer-verbosity", "ultrafeedback-overall_score", "ultrafeedback-instruction_following",
    "ultrafeedback-truthfulness", "ultrafeedback-honesty", "ultrafeedback-helpfulness",
    "beavertails-is_safe", "prometheus-score", "argilla-overall_quality", "argilla-judge_lm",
    "code-complexity", "code-style", "code-explanation", "code-instruction-following",
    "code-readability",
)
assert len(ATTRIBUTES) == NUM_ATTRIBUTES

PAD_ID = 128256
BOS_ID = 128000
# <|eot_id|><|start_header_id|>assistant<|end_header_id|>\n\n: the gating token is the pattern's first id
GATING_PATTERN = (128009, 128006, 78191, 128007, 271)

# The checkpoint's config says 5; QRM's code default (10) is not what this checkpoint was trained with.
DEFAULT_GATING_TEMPERATURE = 5.0
BATCH_NORM_EPS = 1e-5

INPUT_NAMES = ("input_ids", "attention_mask", "last_token_index", "gating_token_index")
OUTPUT_NAMES = ("score", "reward_quantiles", "rewards", "gating_output")
# Past keys and values (qrm_export/kv_cache.py): after the four inputs, a key then a value per layer
# [batch, kv_heads, past_length, head_dim]; after the four outputs, the same over past_length + length positions.
# attention_mask then covers the past and the new tokens; the two indices are positions among the new tokens.
PAST_KEY, PAST_VALUE = "past_key.%d", "past_value.%d"
PRESENT_KEY, PRESENT_VALUE = "present_key.%d", "present_value.%d"


def past_names(num_layers):
    return [name % i for i in range(num_layers) for name in (PAST_KEY, PAST_VALUE)]


def present_names(num_layers):
    return [name % i for i in range(num_layers) for name in (PRESENT_KEY, PRESENT_VALUE)]


# name -> (ONNX element type, shape); strings are symbolic dimensions
EXPECTED_IO = {
    "input_ids": ("INT64", ["batch", "length"]),
    "attention_mask": ("INT64", ["batch", "length"]),
    "last_token_index": ("INT64", ["batch"]),
    "gating_token_index": ("INT64", ["batch"]),
    "score": ("FLOAT", ["batch", 1]),
    "reward_quantiles": ("FLOAT", ["batch", NUM_QUANTILES]),
    "rewards": ("FLOAT", ["batch", NUM_ATTRIBUTES]),
    "gating_output": ("FLOAT", ["batch", NUM_ATTRIBUTES]),
}


def quantile_levels(num_quantiles=NUM_QUANTILES):
    """tau_i = i / (Q + 1): 0.05, 0.1, ..., 0.95 for Q = 19."""
    return [round(i / (num_quantiles + 1), 6) for i in range(1, num_quantiles + 1)]
