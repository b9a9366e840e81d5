"""Fused attention for the exported graph: LlamaModel's attention as one ONNX Runtime MultiHeadAttention node.

ONNX Runtime's transformer optimizer matches none of its attention patterns on the TorchScript export of
transformers 5's eager attention (repeat_kv, additive 4-d mask), so the fusion is made at the source instead:
an attention function (`attention`, registered with transformers by kv_cache.py) whose work is one custom op,
exported as com.microsoft.MultiHeadAttention with the same additive mask as `attention_bias` (so padding and causality are
exactly eager's). In PyTorch the op computes eager attention; the parity check compares the exported graph
with the plain eager PyTorch reference.
"""

import torch
from torch.onnx._internal.torchscript_exporter import symbolic_helper

_OPSET = 17


@torch.library.custom_op("qrm_export::multihead_attention", mutates_args=())
def multihead_attention(query: torch.Tensor, key: torch.Tensor, value: torch.Tensor, bias: torch.Tensor,
                        num_heads: int, scale: float) -> torch.Tensor:
    """query/key/value [B, S|L, N*D], bias [B, 1, S, L] additive -> [B, S, N*D], as eager attention computes it."""
    b, s, width = query.shape
    d = width // num_heads
    q = query.view(b, s, num_heads, d).transpose(1, 2)                          # [B, N, S, D]
    k = key.view(b, -1, num_heads, d).transpose(1, 2)                           # [B, N, L, D]
    v = value.view(b, -1, num_heads, d).transpose(1, 2)
    weights = torch.softmax(torch.matmul(q, k.transpose(2, 3)) * scale + bias, dim=-1, dtype=torch.float32)
    return torch.matmul(weights.to(query.dtype), v).transpose(1, 2).reshape(b, s, width).contiguous()


@multihead_attention.register_fake
def _(query, key, value, bias, num_heads, scale):
    return torch.empty_like(query)


def _symbolic(g, query, key, value, bias, num_heads, scale):
    absent = symbolic_helper._optional_input_placeholder_tensor(g)   # the op's bias and key_padding_mask
    out = g.op("com.microsoft::MultiHeadAttention", query, key, value, absent, absent, bias,
               num_heads_i=symbolic_helper._maybe_get_const(num_heads, "i"),
               scale_f=symbolic_helper._maybe_get_const(scale, "f"))
    out.setType(query.type())
    return out


def attention(module, query, key, value, attention_mask, scaling, dropout=0.0, **kwargs):
    """transformers' attention interface: query [B, N, S, D], key/value [B, KV, L, D] -> ([B, S, N, D], None)."""
    b, n, s, d = query.shape
    kv, length = key.shape[1], key.shape[2]

    def packed(t, heads):   # [B, heads, T, D] -> [B, T, heads*D]
        return t.transpose(1, 2).reshape(b, t.shape[2], heads * d)

    def repeated(t):        # GQA: each KV head serves n // kv query heads, as repeat_kv does
        return t[:, :, None].expand(b, kv, n // kv, length, d).reshape(b, n, length, d)

    out = torch.ops.qrm_export.multihead_attention(packed(query, n), packed(repeated(key), n),
                                                   packed(repeated(value), n), attention_mask.to(query.dtype),
                                                   n, float(scaling))
    return out.view(b, s, n, d), None


torch.onnx.register_custom_op_symbolic("qrm_export::multihead_attention", _symbolic, _OPSET)
