"""Parity: the PyTorch reference against ONNX Runtime on real conversations, with stated tolerances.

The reference runs each conversation alone (a batch of one, no padding); ONNX Runtime runs them all as one
right-padded batch, as the scorer does. So one comparison covers the export, the fp16 backbone and
batch/padding invariance (docs/model-contract.md section 6: a sequence's result must not depend on what
shares its batch).

Everything but `run_onnx` needs only numpy.
"""

import collections
import json

import numpy as np

from . import contract

# Max abs difference allowed, per output. ASSUMPTIONS, not measurements: the 8B fp16 numbers are to be
# measured on a GPU (tools/export/README.md says how) and tightened or loosened with what they show.
# The reference is float32 by default; the fp16 backbone's hidden states differ by ~1e-3 relative, and
# QRM's outputs are a few units in size.
TOLERANCES = {
    "float16": {"score": 5e-2, "reward_quantiles": 1e-1, "rewards": 1e-1, "gating_output": 2e-2},
    # same dtype on both sides (e.g. the --tiny model on CPU): only reduction order differs
    "float32": {"score": 1e-3, "reward_quantiles": 1e-3, "rewards": 1e-3, "gating_output": 1e-4},
}
# The contract's self-checks, on ONNX Runtime's own outputs (float32 arithmetic inside the heads).
IDENTITY_TOLERANCE = 1e-4

Row = collections.namedtuple("Row", "output max_abs_diff tolerance ok")
ROLES = ("system", "user", "assistant")


def load_conversations(path, limit=8):
    """[(id, messages)] from a JSON Lines file of {"id", "prompt": [...], "response"}; invalid records skipped.

    messages = the prompt turns + the response as the final assistant turn.
    """
    out = []
    with open(path, "r", encoding="utf-8") as f:
        for line in f:
            if not line.strip():
                continue
            record = json.loads(line)
            prompt = record.get("prompt")
            if not _valid_prompt(prompt) or not isinstance(record.get("response"), str):
                continue
            out.append((record.get("id", "line-%d" % (len(out) + 1)),
                        list(prompt) + [{"role": "assistant", "content": record["response"]}]))
            if len(out) == limit:
                break
    if not out:
        raise ValueError("%s has no scoreable conversation" % path)
    return out


def _valid_prompt(prompt):
    return (isinstance(prompt, list) and prompt
            and all(isinstance(m, dict) and m.get("role") in ROLES and isinstance(m.get("content"), str)
                    for m in prompt)
            and prompt[-1]["role"] == "user")


def gating_index(ids, pattern=contract.GATING_PATTERN):
    """Position of the first id of the LAST occurrence of the gating pattern."""
    n = len(pattern)
    for j in range(len(ids) - n, -1, -1):
        if tuple(ids[j:j + n]) == tuple(pattern):
            return j
    raise ValueError("gating pattern %s not found in %d ids" % (list(pattern), len(ids)))


def feeds(rows, pad_id):
    """The graph's four inputs for token-id rows, right-padded with `pad_id` (mask 0 there)."""
    length = max(len(r) for r in rows)
    ids = np.full((len(rows), length), pad_id, dtype=np.int64)
    mask = np.zeros((len(rows), length), dtype=np.int64)
    for i, r in enumerate(rows):
        ids[i, :len(r)] = r
        mask[i, :len(r)] = 1
    return collections.OrderedDict([
        ("input_ids", ids),
        ("attention_mask", mask),
        ("last_token_index", np.array([len(r) - 1 for r in rows], dtype=np.int64)),
        ("gating_token_index", np.array([gating_index(r) for r in rows], dtype=np.int64)),
    ])


def compare(reference, actual, tolerances):
    """Rows of (output, max abs diff, tolerance, ok) for two {output name: [B, n] array} dicts."""
    rows = []
    for name in contract.OUTPUT_NAMES:
        want = np.asarray(reference[name], dtype=np.float64)
        got = np.asarray(actual[name], dtype=np.float64)
        if want.shape != got.shape:
            rows.append(Row(name, float("inf"), tolerances[name], False))
            continue
        diff = float(np.max(np.abs(want - got))) if want.size else 0.0
        rows.append(Row(name, diff, tolerances[name], bool(np.isfinite(got).all()) and diff <= tolerances[name]))
    return rows


def identities(outputs, logit_scale):
    """Rows for the contract's self-checks: score == mean(reward_quantiles), sum(gating_output) == logit_scale."""
    score = np.asarray(outputs["score"], dtype=np.float64)[:, 0]
    mean_q = np.asarray(outputs["reward_quantiles"], dtype=np.float64).mean(axis=1)
    gate_sum = np.asarray(outputs["gating_output"], dtype=np.float64).sum(axis=1)
    d1 = float(np.max(np.abs(score - mean_q)))
    d2 = float(np.max(np.abs(gate_sum - logit_scale)))
    return [Row("score - mean(reward_quantiles)", d1, IDENTITY_TOLERANCE, d1 <= IDENTITY_TOLERANCE),
            Row("sum(gating_output) - logit_scale", d2, IDENTITY_TOLERANCE, d2 <= IDENTITY_TOLERANCE)]


def table(rows, title):
    width = max(len(r.output) for r in rows)
    lines = [title, "  %-*s  %12s  %10s  %s" % (width, "output", "max |diff|", "tolerance", "")]
    for r in rows:
        lines.append("  %-*s  %12.3e  %10.1e  %s" % (width, r.output, r.max_abs_diff, r.tolerance,
                                                     "ok" if r.ok else "EXCEEDED"))
    return "\n".join(lines)


def stack(per_row_outputs):
    """[{name: [1, n]}] -> {name: [B, n]}."""
    return {name: np.concatenate([np.asarray(o[name]) for o in per_row_outputs], axis=0)
            for name in contract.OUTPUT_NAMES}


def run_onnx(model_path, inputs, device):
    """Runs model.onnx with ONNX Runtime (CUDA for cuda[:N], else CPU); {output name: array}."""
    import onnxruntime as ort   # not installable on the project's build machines: imported only here

    if device.startswith("cuda") and hasattr(ort, "preload_dlls"):
        ort.preload_dlls()       # CUDA 12 / cuDNN 9 from the pip packages torch brings, if not system-wide
    if device.startswith("cuda"):
        index = int(device.split(":")[1]) if ":" in device else 0
        providers = [("CUDAExecutionProvider", {"device_id": index})]
    else:
        providers = ["CPUExecutionProvider"]
    session = ort.InferenceSession(model_path, providers=providers)
    if device.startswith("cuda") and "CUDAExecutionProvider" not in session.get_providers():
        raise RuntimeError("ONNX Runtime did not enable CUDA (providers %s): install onnxruntime-gpu with CUDA 12 "
                           "and cuDNN 9" % session.get_providers())
    values = session.run(list(contract.OUTPUT_NAMES), dict(inputs))
    return dict(zip(contract.OUTPUT_NAMES, values))
