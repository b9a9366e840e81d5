"""ONNX Runtime's transformer optimizer on the exported graph (export_qrm.py --optimize, the default).

It runs on the graph exported with attention already fused (qrm_export/ort_attention.py: one MultiHeadAttention
node per layer; the optimizer's own attention fusions match nothing in transformers 5's eager attention). What
it fuses there (measured on --tiny, tools/export/README.md): RMSNorm -> SimplifiedLayerNormalization /
SkipSimplifiedLayerNormalization (residual add folded in; float32 graphs only: the casts around transformers'
float32 RMSNorm hide the pattern in a float16 graph), and rotary embeddings -> RotaryEmbedding with
precomputed cos/sin caches.
"""

import collections

import numpy as np
import onnx
from onnx import numpy_helper



def optimize(model_path, out_path, *, num_heads, hidden_size, float16, use_gpu):
    """Writes the fused graph to out_path (weights in out_path + ".data"); returns {fused op: count}."""
    from onnxruntime.transformers import optimizer

    fused = optimizer.optimize_model(model_path, model_type="gpt2", num_heads=num_heads, hidden_size=hidden_size,
                                     opt_level=0, use_gpu=use_gpu)
    if float16:
        _rotary_caches_to_float16(fused.model)
    counts = collections.Counter(n.op_type for n in fused.model.graph.node)
    fused.save_model_to_file(out_path, use_external_data_format=True, all_tensors_to_one_file=True)  # + ".data"
    return {op: counts[op] for op in ("SimplifiedLayerNormalization", "SkipSimplifiedLayerNormalization",
                                      "RotaryEmbedding", "MultiHeadAttention", "GroupQueryAttention")}


def _rotary_caches_to_float16(model):
    """The optimizer builds the cos/sin caches in float32; RotaryEmbedding wants its input's type (float16 here)."""
    caches = {name for n in model.graph.node if n.op_type == "RotaryEmbedding" for name in n.input[2:4]}
    for init in model.graph.initializer:
        if init.name in caches and init.data_type == onnx.TensorProto.FLOAT:
            init.CopyFrom(numpy_helper.from_array(numpy_helper.to_array(init).astype(np.float16), init.name))

