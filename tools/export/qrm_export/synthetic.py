"""Random QRM-shaped head tensors and a safetensors writer: for --tiny and the unit tests.

Head tensor names follow QRM's layout as the tiny bundle models it (make_tiny_bundle.py): the gating
network is one ModuleList `gating.layers` of [Linear, ReLU, BatchNorm1d] x n + [Linear], so Linear
weights sit at indices 0, 3, 6, ..., BatchNorm parameters at 2, 5, 8, ..., the final Linear last.
`slots` gives the other layouts a checkpoint may have: BatchNorm before the ReLU slot, or no ReLU slot.
"""

import collections
import json
import struct

import torch

from . import checkpoint, contract

_NAMES_BY_DTYPE = {v: k for k, v in checkpoint.DTYPES.items()}


# ModuleList index of (Linear, BatchNorm1d) within a block, and the block's length
SLOTS = {"linear,relu,batchnorm": (0, 2, 3), "linear,batchnorm,relu": (0, 1, 3), "no relu slot": (0, 1, 2)}


def head_tensors(hidden, gating_hidden=32, n_hidden=3, num_attributes=contract.NUM_ATTRIBUTES,
                 num_quantiles=contract.NUM_QUANTILES, logit_scale=1.7, seed=7, transform_noise=0.15,
                 slots="linear,relu,batchnorm"):
    """{checkpoint name: float32 tensor} for QRM's heads, seeded, with outputs that vary clearly with the input."""
    g = torch.Generator().manual_seed(seed)

    def normal(shape, std, mean=0.0):
        return torch.randn(*shape, generator=g) * std + mean

    def uniform(shape, lo, hi):
        return torch.rand(*shape, generator=g) * (hi - lo) + lo

    t = collections.OrderedDict()
    t[checkpoint.REGRESSION] = normal((num_attributes * num_quantiles, hidden), 2.0 / hidden ** 0.5)
    width = hidden
    linear_at, bn_at, step = SLOTS[slots]
    for i in range(n_hidden):
        base = "gating.layers.%d" % (step * i + linear_at)
        bn = "gating.layers.%d" % (step * i + bn_at)
        t[base + ".weight"] = normal((gating_hidden, width), 1.0 / width ** 0.5)
        t[bn + ".weight"] = uniform((gating_hidden,), 0.5, 1.5)
        t[bn + ".bias"] = normal((gating_hidden,), 0.2)
        t[bn + ".running_mean"] = uniform((gating_hidden,), 0.1, 0.6)
        t[bn + ".running_var"] = uniform((gating_hidden,), 0.3, 1.5)
        t[bn + ".num_batches_tracked"] = torch.tensor(1000, dtype=torch.int64)
        width = gating_hidden
    final = "gating.layers.%d" % (step * n_hidden)
    t[final + ".weight"] = normal((num_attributes, width), 6.0 / width ** 0.5)
    t[final + ".bias"] = normal((num_attributes,), 0.5)
    t["gating.logit_scale"] = torch.tensor([logit_scale])
    t[checkpoint.TRANSFORM] = torch.eye(num_attributes) + normal((num_attributes, num_attributes), transform_noise)
    return t


def save_safetensors(tensors, path, metadata=None):
    """Writes {name: tensor} in the safetensors format (header padded to 8 bytes, as the reference writer does)."""
    header, chunks, offset = collections.OrderedDict(), [], 0
    if metadata:
        header["__metadata__"] = dict(metadata)
    for name, tensor in tensors.items():
        data = _raw_bytes(tensor)
        header[name] = {"dtype": _NAMES_BY_DTYPE[tensor.dtype], "shape": list(tensor.shape),
                        "data_offsets": [offset, offset + len(data)]}
        chunks.append(data)
        offset += len(data)
    encoded = json.dumps(header, separators=(",", ":")).encode("utf-8")
    encoded += b" " * (-len(encoded) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(encoded)))
        f.write(encoded)
        for chunk in chunks:
            f.write(chunk)


def _raw_bytes(tensor):
    t = tensor.detach().contiguous().cpu()
    if t.dtype == torch.bfloat16:   # numpy has no bfloat16: same bits as int16
        t = t.view(torch.int16)
    return t.numpy().tobytes()


def save_sharded(tensors, directory, shards=2):
    """model-0000i-of-0000n.safetensors files plus model.safetensors.index.json, as HF writes them."""
    names = list(tensors)
    per_shard = -(-len(names) // shards)
    weight_map = collections.OrderedDict()
    for i in range(shards):
        shard = "model-%05d-of-%05d.safetensors" % (i + 1, shards)
        part = names[i * per_shard:(i + 1) * per_shard]
        save_safetensors(collections.OrderedDict((n, tensors[n]) for n in part), "%s/%s" % (directory, shard),
                         metadata={"format": "pt"})
        weight_map.update((n, shard) for n in part)
    total = sum(t.numel() * t.element_size() for t in tensors.values())
    with open("%s/%s" % (directory, checkpoint.INDEX_FILE), "w", encoding="utf-8") as f:
        json.dump({"metadata": {"total_size": total}, "weight_map": weight_map}, f, indent=2)
