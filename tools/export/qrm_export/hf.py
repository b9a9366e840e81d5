"""The parts that need Hugging Face transformers: the LlamaModel backbone and the checkpoint's tokenizer.

The backbone is transformers' own LlamaModel built from the checkpoint's config.json; the checkpoint's
trust_remote_code modeling file is never imported or run.
"""

import copy

import torch
import torch.nn as nn
from transformers import AutoTokenizer, LlamaConfig, LlamaModel

from . import contract


def load_config(checkpoint_dir):
    """LlamaConfig with eager attention (it traces to plain ONNX ops) and no KV cache."""
    config = LlamaConfig.from_pretrained(checkpoint_dir, attn_implementation="eager")
    config.use_cache = False
    return config


def expected_backbone_names(config):
    """LlamaModel's state_dict names, from a model built on the meta device (no memory, no weights)."""
    with torch.device("meta"):
        return list(LlamaModel(config).state_dict().keys())


class Backbone(nn.Module):
    """LlamaModel as RewardGraph wants it: (input_ids, attention_mask) -> last hidden states [B, L, H]."""

    def __init__(self, llama):
        super().__init__()
        self.llama = llama

    def forward(self, input_ids, attention_mask):
        # HF's default positions (0..L-1 in every row), but [B, L] rather than [1, L]: ONNX Runtime's fused
        # RotaryEmbedding (--optimize) wants one row of positions per batch row
        positions = torch.arange(input_ids.shape[1], device=input_ids.device).unsqueeze(0).expand_as(input_ids)
        out = self.llama(input_ids=input_ids, attention_mask=attention_mask, position_ids=positions,
                         use_cache=False, return_dict=False)
        return out[0]


def activation_modules(backbone):
    """{label: module} of a Backbone whose activations are checked against float16's range."""
    llama = backbone.llama
    groups = [("embed_tokens", llama.embed_tokens)]
    groups += [("layers.%d" % i, layer) for i, layer in enumerate(llama.layers)]
    return dict(groups + [("norm", llama.norm)])


def build_backbone(config, tensors, name_map, dtype, device, fused_attention=False):
    """LlamaModel in `dtype` on `device`, every weight taken from the checkpoint (strict: nothing left random).

    fused_attention: attention as one MultiHeadAttention node in the ONNX export (qrm_export/ort_attention.py).
    """
    if fused_attention:
        from . import ort_attention

        config = copy.deepcopy(config)
        config._attn_implementation = ort_attention.ATTENTION
    previous = torch.get_default_dtype()
    torch.set_default_dtype(dtype)     # so the 8B model is not first allocated in float32
    try:
        with torch.device(device):
            llama = LlamaModel(config)
    finally:
        torch.set_default_dtype(previous)
    state = {bare: tensors[name].to(dtype) for name, bare in name_map.backbone.items()}
    result = llama.load_state_dict(state, strict=False)
    if result.missing_keys or result.unexpected_keys:
        raise ValueError("LlamaModel did not take the checkpoint's weights: missing %s, unexpected %s"
                         % (result.missing_keys[:10], result.unexpected_keys[:10]))
    return Backbone(llama.eval())


def load_tokenizer(checkpoint_dir):
    return AutoTokenizer.from_pretrained(checkpoint_dir)


def encode(tokenizer, messages, bos_free_template):
    """Token ids as the scorer makes them: render BOS-free, tokenize adding the one BOS (contract section 3)."""
    text = tokenizer.apply_chat_template(messages, tokenize=False, add_generation_prompt=False,
                                         chat_template=bos_free_template)
    ids = tokenizer(text, add_special_tokens=True)["input_ids"]
    if not ids or ids[0] != contract.BOS_ID or ids.count(contract.BOS_ID) != 1:
        raise ValueError("expected exactly one BOS %d at position 0, got %s..." % (contract.BOS_ID, ids[:8]))
    return ids
