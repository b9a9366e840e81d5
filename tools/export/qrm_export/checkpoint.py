"""Reading a Hugging Face safetensors checkpoint, and sorting its tensor names into backbone and heads.

The QRM checkpoint stores the Llama backbone under `model.` (model.embed_tokens.weight,
model.layers.N..., model.norm.weight) and its heads at the top level (regression_layer.weight,
gating.*, reward_transform_matrix). Every name must land somewhere: an unknown name means the checkpoint
is not the model we think it is, and that is reported, never skipped silently.

Safetensors files are read here with the standard library and torch (the format is an 8-byte
little-endian header length, a JSON header with dtype/shape/offsets per tensor, then raw bytes), so the
whole loading path is testable without the safetensors package.
"""

import collections
import json
import mmap
import os
import struct

import torch

INDEX_FILE = "model.safetensors.index.json"
SINGLE_FILE = "model.safetensors"
BACKBONE_PREFIX = "model."
REGRESSION = "regression_layer.weight"
TRANSFORM = "reward_transform_matrix"
GATING_PREFIX = "gating."

DTYPES = {
    "F64": torch.float64, "F32": torch.float32, "F16": torch.float16, "BF16": torch.bfloat16,
    "I64": torch.int64, "I32": torch.int32, "I16": torch.int16, "I8": torch.int8, "U8": torch.uint8,
    "BOOL": torch.bool,
}

NameMap = collections.namedtuple("NameMap", "backbone heads ignored")


class CheckpointError(ValueError):
    """The checkpoint directory is not a QRM-Llama checkpoint this exporter understands."""


def read_header(path):
    """The JSON header of a safetensors file: {name: {"dtype", "shape", "data_offsets"}} (metadata removed)."""
    with open(path, "rb") as f:
        raw = f.read(8)
        if len(raw) != 8:
            raise CheckpointError("%s: too short for a safetensors file" % path)
        (n,) = struct.unpack("<Q", raw)
        if n > os.path.getsize(path) - 8 or n > 100 * 1024 * 1024:
            raise CheckpointError("%s: header length %d is impossible: not a safetensors file" % (path, n))
        try:
            header = json.loads(f.read(n).decode("utf-8"))
        except (UnicodeDecodeError, ValueError) as e:
            raise CheckpointError("%s: unreadable safetensors header: %s" % (path, e))
    header.pop("__metadata__", None)
    return header, 8 + n


def tensor_files(checkpoint_dir):
    """{tensor name: shard file name}, from the index json, or from the single model.safetensors."""
    index_path = os.path.join(checkpoint_dir, INDEX_FILE)
    if os.path.isfile(index_path):
        with open(index_path, "r", encoding="utf-8") as f:
            index = json.load(f)
        weight_map = index.get("weight_map")
        if not isinstance(weight_map, dict) or not weight_map:
            raise CheckpointError("%s has no weight_map" % index_path)
        missing = sorted({s for s in weight_map.values() if not os.path.isfile(os.path.join(checkpoint_dir, s))})
        if missing:
            raise CheckpointError("%s names shards that are not in %s: %s (incomplete download?)"
                                  % (INDEX_FILE, checkpoint_dir, missing))
        return dict(weight_map)
    single = os.path.join(checkpoint_dir, SINGLE_FILE)
    if os.path.isfile(single):
        header, _ = read_header(single)
        return {name: SINGLE_FILE for name in header}
    others = sorted(n for n in os.listdir(checkpoint_dir) if n.endswith((".bin", ".pt", ".pth")))
    raise CheckpointError("%s has neither %s nor %s%s" % (
        checkpoint_dir, INDEX_FILE, SINGLE_FILE,
        "; found %s: convert the checkpoint to safetensors first" % others if others else ""))


def is_head(name):
    return name in (REGRESSION, TRANSFORM) or name.startswith(GATING_PREFIX)


def is_ignorable(name):
    """Tensors a checkpoint may carry that the bundle does not need."""
    return (name == "lm_head.weight" or name.endswith(".rotary_emb.inv_freq")
            or name.endswith(".num_batches_tracked"))


def map_names(names, expected_backbone):
    """Sorts checkpoint tensor names. `expected_backbone`: LlamaModel's own state_dict names.

    Returns NameMap(backbone={checkpoint name: backbone name}, heads=[names], ignored=[names]);
    raises CheckpointError listing every unknown or missing name.
    """
    expected = set(expected_backbone)
    backbone, heads, ignored, unknown = {}, [], [], []
    for name in sorted(names):
        bare = name[len(BACKBONE_PREFIX):] if name.startswith(BACKBONE_PREFIX) else None
        if bare is not None and bare in expected:
            backbone[name] = bare
        elif name in expected:
            backbone[name] = name
        elif is_head(name):
            heads.append(name)
        elif is_ignorable(name) or (bare is not None and is_ignorable(bare)):
            ignored.append(name)
        else:
            unknown.append(name)
    problems = []
    duplicated = sorted(b for b, n in collections.Counter(backbone.values()).items() if n > 1)
    if duplicated:
        problems.append("backbone tensors stored twice (with and without the '%s' prefix): %s"
                        % (BACKBONE_PREFIX, _shorten(duplicated)))
    missing_backbone = sorted(expected - set(backbone.values()))
    if missing_backbone:
        problems.append("missing backbone tensors (LlamaModel expects them, looked for '%s<name>'): %s"
                        % (BACKBONE_PREFIX, _shorten(missing_backbone)))
    if REGRESSION not in heads:
        problems.append("missing head tensor '%s'" % REGRESSION)
    if not any(h.startswith(GATING_PREFIX) for h in heads):
        problems.append("missing gating network tensors ('%s*')" % GATING_PREFIX)
    if unknown:
        problems.append("unknown tensors (neither LlamaModel backbone under '%s' nor a QRM head): %s"
                        % (BACKBONE_PREFIX, _shorten(unknown)))
    if problems:
        raise CheckpointError("the checkpoint does not have QRM-Llama's tensors: " + "; ".join(problems))
    return NameMap(backbone, heads, ignored)


def _shorten(names, limit=12):
    shown = ", ".join(names[:limit])
    return shown + (" ... (%d in all)" % len(names) if len(names) > limit else "")


def load(checkpoint_dir, files_by_name, names):
    """{name: CPU tensor} for `names`, each copied out of its (memory-mapped) shard."""
    by_shard = collections.defaultdict(list)
    for name in names:
        by_shard[files_by_name[name]].append(name)
    out = {}
    for shard, shard_names in sorted(by_shard.items()):
        path = os.path.join(checkpoint_dir, shard)
        header, data_start = read_header(path)
        with open(path, "rb") as f, mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_COPY) as mm:
            for name in shard_names:
                if name not in header:
                    raise CheckpointError("%s: the index puts '%s' here, but the file does not hold it" % (path, name))
                out[name] = _tensor(mm, header[name], data_start, "%s:%s" % (shard, name))
    return out


def _tensor(buffer, info, data_start, where):
    dtype = DTYPES.get(info.get("dtype"))
    if dtype is None:
        raise CheckpointError("%s: unsupported dtype %r" % (where, info.get("dtype")))
    shape = [int(d) for d in info["shape"]]
    begin, end = (int(v) for v in info["data_offsets"])
    numel = 1
    for d in shape:
        numel *= d
    itemsize = torch.empty((), dtype=dtype).element_size()
    if end - begin != numel * itemsize:
        raise CheckpointError("%s: %d bytes for shape %s of %s" % (where, end - begin, shape, info["dtype"]))
    if numel == 0:
        return torch.empty(shape, dtype=dtype)
    flat = torch.frombuffer(buffer, dtype=dtype, count=numel, offset=data_start + begin)
    return flat.reshape(shape).clone()
