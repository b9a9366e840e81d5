"""--tiny: a random small Llama with QRM-shaped heads, saved the way the real checkpoint is laid out.

The export path then runs unchanged on it (safetensors shards + index, config.json with QRM's keys,
`model.`-prefixed backbone, heads at the top level, the tokenizer files of models/tiny-qrm), which is what
makes it a self-test of the exporter.
"""

import json
import os
import shutil

import torch
from transformers import LlamaConfig, LlamaModel

from . import checkpoint, contract, synthetic

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))
TOKENIZER_SOURCE = os.path.join(REPO, "models", "tiny-qrm")
GATING_HIDDEN = 32
N_HIDDEN = 3


def config(hidden=64, layers=2, heads=4, kv_heads=2):
    return LlamaConfig(
        vocab_size=contract.PAD_ID + 1, hidden_size=hidden, intermediate_size=2 * hidden, num_hidden_layers=layers,
        num_attention_heads=heads, num_key_value_heads=kv_heads, head_dim=hidden // heads,
        max_position_embeddings=131072,
        rms_norm_eps=1e-5, rope_theta=500000.0,
        rope_scaling={"rope_type": "llama3", "factor": 8.0, "low_freq_factor": 1.0, "high_freq_factor": 4.0,
                      "original_max_position_embeddings": 8192},
        bos_token_id=contract.BOS_ID, eos_token_id=[128001, 128008, 128009], pad_token_id=contract.PAD_ID,
        tie_word_embeddings=False)


def make_checkpoint(directory, seed=20240917, **size):
    """Writes a QRM-shaped HF checkpoint into `directory` and returns it; `size`: config()'s arguments."""
    os.makedirs(directory, exist_ok=True)
    cfg = config(**size)
    torch.manual_seed(seed)
    backbone = LlamaModel(cfg)
    tensors = {checkpoint.BACKBONE_PREFIX + k: v.to(torch.bfloat16) for k, v in backbone.state_dict().items()}
    heads = synthetic.head_tensors(cfg.hidden_size, gating_hidden=GATING_HIDDEN, n_hidden=N_HIDDEN, seed=seed)
    tensors.update(heads)   # float32 heads beside the bfloat16 backbone: a layout real checkpoints have
    synthetic.save_sharded(tensors, directory, shards=2)
    cfg_dict = cfg.to_dict()
    cfg_dict.update({
        "architectures": ["LlamaForRewardModelWithGating"],
        "num_objectives": contract.NUM_ATTRIBUTES, "num_quantiles": contract.NUM_QUANTILES,
        "gating_temperature": contract.DEFAULT_GATING_TEMPERATURE, "gating_hidden_dim": GATING_HIDDEN,
        "gating_n_hidden": N_HIDDEN, "torch_dtype": "bfloat16",
    })
    with open(os.path.join(directory, "config.json"), "w", encoding="utf-8") as f:
        json.dump(cfg_dict, f, indent=2)
    for name in contract.TOKENIZER_FILES:
        shutil.copyfile(os.path.join(TOKENIZER_SOURCE, name), os.path.join(directory, name))
    return directory
