"""The parts that need Hugging Face transformers: the LlamaModel backbone and the checkpoint's tokenizer.

The backbone is transformers' own LlamaModel built from the checkpoint's config.json; the checkpoint's
trust_remote_code modeling file is never imported or run.
"""

import copy

import torch
import torch.nn as nn
from transformers import AutoTokenizer, LlamaConfig, LlamaModel

from . import contract, kv_cache


def load_config(checkpoint_dir):
    """LlamaConfig with eager attention and no transformers cache (build_backbone replaces both)."""
    config = LlamaConfig.from_pretrained(checkpoint_dir, attn_implementation="eager")
    config.use_cache = False
    return config


def expected_backbone_names(config):
    """LlamaModel's state_dict names, from a model built on the meta device (no memory, no weights)."""
    with torch.device("meta"):
        return list(LlamaModel(config).state_dict().keys())


class Backbone(nn.Module):
    """LlamaModel as RewardGraph wants it: (input_ids [B, S], attention_mask [B, P+S], past keys and values)
    -> (last hidden states [B, S, H], presents).

    past: per layer a key then a value [B, KV, P, D] (kv_cache.py); none means a past of length 0. presents: the
    same per layer over all P+S positions, so the run's keys and values can be the past of a later one.
    """

    def __init__(self, llama):
        super().__init__()
        self.llama = llama
        config = llama.config
        self.num_layers = config.num_hidden_layers
        self.kv_heads = config.num_key_value_heads
        self.head_dim = getattr(config, "head_dim", None) or config.hidden_size // config.num_attention_heads

    def forward(self, input_ids, attention_mask, *past):
        new_tokens = input_ids.shape[1]
        if not past:
            empty = torch.zeros((input_ids.shape[0], self.kv_heads, 0, self.head_dim),
                                dtype=self.llama.embed_tokens.weight.dtype, device=input_ids.device)
            past = (empty,) * (2 * self.num_layers)
        # the positions of the new tokens follow the past's. [B, S] rather than [1, S]: ONNX Runtime's fused
        # RotaryEmbedding (--optimize) wants one row of positions per batch row
        first = attention_mask.shape[1] - new_tokens
        positions = (torch.arange(new_tokens, device=input_ids.device) + first).unsqueeze(0).expand_as(input_ids)
        bias = kv_cache.causal_bias(attention_mask, new_tokens, self.llama.embed_tokens.weight.dtype)
        with kv_cache.forward_with(list(zip(past[0::2], past[1::2])), bias) as presents:
            out = self.llama(input_ids=input_ids, position_ids=positions, use_cache=False, return_dict=False)
        return out[0], [t for layer in presents for t in layer]


def activation_modules(backbone):
    """{label: module} of a Backbone whose activations are checked against float16's range."""
    llama = backbone.llama
    groups = [("embed_tokens", llama.embed_tokens)]
    groups += [("layers.%d" % i, layer) for i, layer in enumerate(llama.layers)]
    return dict(groups + [("norm", llama.norm)])


def build_backbone(config, tensors, name_map, dtype, device, fused_attention=False):
    """LlamaModel in `dtype` on `device`, every weight taken from the checkpoint (strict: nothing left random).

    Attention takes past keys and values (kv_cache.py); fused_attention: as one MultiHeadAttention node in the
    ONNX export (ort_attention.py), otherwise eager attention's plain ops.
    """
    kv_cache.register()
    config = copy.deepcopy(config)
    config._attn_implementation = kv_cache.FUSED if fused_attention else kv_cache.EAGER
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
