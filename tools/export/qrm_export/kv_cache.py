"""Past keys and values as graph inputs and outputs, so that a prompt shared by several responses is run once.

A GRPO group is one prompt with several responses. Every token of the prompt has the same keys and values in
each member (attention is causal), so the scorer runs the prompt once, takes its keys and values (the graph's
`present_key.N`/`present_value.N` outputs) and feeds them as `past_key.N`/`past_value.N` to a batch of the
members' remaining tokens. An ordinary row is fed a past of length 0.

transformers' own cache is not traced: the attention implementations registered here (one wrapping eager
attention, one wrapping the fused op of ort_attention.py) prepend the layer's past to its keys and values and
attend with a mask built from the whole (past + new) attention mask, which is exactly what running the
full sequence does.
"""

import contextlib
import threading

import torch
from transformers import AttentionInterface
from transformers.masking_utils import AttentionMaskInterface, eager_mask
from transformers.models.llama.modeling_llama import eager_attention_forward

EAGER = "qrm_past_eager"
FUSED = "qrm_past_fused"


class _Forward(threading.local):
    """The past of the forward pass in progress (per layer), its mask, and the presents it collects."""
    layers = None
    bias = None
    presents = None


_CURRENT = _Forward()


@contextlib.contextmanager
def forward_with(past_layers, bias):
    """Within it, layer i attends over past_layers[i] (key, value) [B, KV, P, D] then the new tokens, with the
    additive mask `bias` [B, 1, S, P+S]; yields the list that receives each layer's (key, value) [B, KV, P+S, D]."""
    _CURRENT.layers, _CURRENT.bias = past_layers, bias
    _CURRENT.presents = [None] * len(past_layers)
    try:
        yield _CURRENT.presents
    finally:
        _CURRENT.layers = _CURRENT.bias = _CURRENT.presents = None


def causal_bias(attention_mask, new_tokens, dtype):
    """attention_mask [B, P+S] (1 = real) -> the additive mask [B, 1, S, P+S] of the last S positions: a query
    sees the real keys at or before its own position (eager_mask's values: 0 or the dtype's minimum)."""
    total = attention_mask.shape[1]
    keys = torch.arange(total, device=attention_mask.device)
    queries = keys[total - new_tokens:]
    allowed = (keys.unsqueeze(0) <= queries.unsqueeze(1)).unsqueeze(0).unsqueeze(0) \
        & attention_mask.bool().unsqueeze(1).unsqueeze(2)
    zero = torch.zeros((), dtype=dtype, device=attention_mask.device)
    return torch.where(allowed, zero, torch.finfo(dtype).min)


def _with_past(inner):
    def attention(module, query, key, value, attention_mask, scaling, dropout=0.0, **kwargs):
        if _CURRENT.layers is None:
            raise RuntimeError("%s runs only inside kv_cache.forward_with" % type(module).__name__)
        past_key, past_value = _CURRENT.layers[module.layer_idx]
        key = torch.cat([past_key.to(key.dtype), key], dim=2)
        value = torch.cat([past_value.to(value.dtype), value], dim=2)
        _CURRENT.presents[module.layer_idx] = (key, value)
        return inner(module, query, key, value, _CURRENT.bias.to(query.dtype), scaling=scaling, dropout=dropout,
                     **kwargs)
    return attention


def register():
    """Registers EAGER and FUSED with transformers (idempotent)."""
    from . import ort_attention

    for name, inner in ((EAGER, eager_attention_forward), (FUSED, ort_attention.attention)):
        AttentionInterface.register(name, _with_past(inner))
        AttentionMaskInterface.register(name, eager_mask)   # unused (the bias above replaces it), but looked up
