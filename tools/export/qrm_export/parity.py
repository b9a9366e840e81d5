"""Parity: the PyTorch reference against ONNX Runtime on real conversations, with stated tolerances.

The reference runs each row alone (a batch of one, no padding); ONNX Runtime runs right-padded batches, as
the scorer does, at shapes other than the traced one (`batches`): the conversations together, one alone, and
seven rows of 13 to 1,024 tokens. So the comparison covers the export, the fp16 backbone, a graph that
generalises past its trace, and batch/padding invariance (docs/model-contract.md section 6: a sequence's
result must not depend on what shares its batch).

Everything but `run_onnx` needs only numpy.
"""

import collections
import json
import os

import numpy as np

from . import contract

# Max abs difference allowed, per output, against the float32 reference: about 10x the largest difference
# measured with ONNX Runtime 1.30 on CPU (tools/export/README.md): float16, hidden 512 x 4 layers: score 3e-4,
# quantiles 2e-3, rewards 9e-4, gates 3e-4 (--tiny: less); float16 on an independently written QRM-shaped
# checkpoint: score 1e-3, quantiles 7e-3; float32 --tiny: all below 2e-6. The 8B model's float16 differences
# are to be measured on a GPU.
TOLERANCES = {
    "float16": {"score": 1e-2, "reward_quantiles": 7e-2, "rewards": 7e-2, "gating_output": 3e-3},
    # same dtype on both sides: only reduction order differs (measured --tiny: below 2e-6; room for 32 layers)
    "float32": {"score": 1e-3, "reward_quantiles": 1e-3, "rewards": 1e-3, "gating_output": 1e-4},
}
# Lengths of the long-row batch (the trace is 3 x 11; the scorer's default max_tokens is 4,096)
LONG_ROW_LENGTHS = (13, 61, 130, 257, 512, 777, 1024)
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


def batches(conversations):
    """[(title, rows)] for ONNX Runtime: the conversations as one right-padded batch, the first alone, and
    7 rows of 13-1,024 tokens, none at the traced shape (3 x 11)."""
    return [("%d conversations in one right-padded batch" % len(conversations), list(conversations)),
            ("1 conversation alone", list(conversations[:1])),
            ("%d rows of %d-%d tokens, right-padded" % (len(LONG_ROW_LENGTHS), LONG_ROW_LENGTHS[0],
                                                         LONG_ROW_LENGTHS[-1]), long_rows(conversations))]


def long_rows(conversations, lengths=LONG_ROW_LENGTHS):
    """Rows of the given lengths: BOS, the conversations' own ids (cycled), the gating pattern, 1-7 response ids.

    Real token ids, so embeddings and attention see the text distribution; the gating pattern sits near the end
    at a different distance in each row.
    """
    filler = [i for row in conversations for i in row[1:]]
    bos = conversations[0][0]
    rows = []
    for n, length in enumerate(lengths):
        tail = 1 + n % 7
        body = length - 1 - len(contract.GATING_PATTERN) - tail
        if body < 0:
            raise ValueError("row length %d is too short for BOS, the gating pattern and %d ids" % (length, tail))
        ids = [bos] + [filler[j % len(filler)] for j in range(body)] + list(contract.GATING_PATTERN) + filler[:tail]
        rows.append(ids)
    return rows


def shared_prompt_rows(rows):
    """Rows that all begin with the first row's prompt (its ids before its gating token), each followed by the
    gating pattern and response of one of `rows`: a GRPO group, for the shared-prompt check."""
    prompt = list(rows[0][:gating_index(rows[0])])
    return [prompt + list(r[gating_index(r):]) for r in rows]


def feeds(rows, pad_id, past_length=0):
    """The graph's four inputs for token-id rows, right-padded with `pad_id` (mask 0 there); with `past_length`,
    the rows are what follows a past of that many real positions (the mask covers both, the indices the rows)."""
    length = max(len(r) for r in rows)
    ids = np.full((len(rows), length), pad_id, dtype=np.int64)
    mask = np.zeros((len(rows), past_length + length), dtype=np.int64)
    mask[:, :past_length] = 1
    for i, r in enumerate(rows):
        ids[i, :len(r)] = r
        mask[i, past_length:past_length + len(r)] = 1
    return collections.OrderedDict([
        ("input_ids", ids),
        ("attention_mask", mask),
        ("last_token_index", np.array([len(r) - 1 for r in rows], dtype=np.int64)),
        ("gating_token_index", np.array([_gating_index_or_0(r) for r in rows], dtype=np.int64)),
    ])


def _gating_index_or_0(row):
    """A prompt run alone for its keys and values has no gating token; its heads' outputs are not read."""
    try:
        return gating_index(row)
    except ValueError:
        return 0


_NUMPY_TYPES = {"tensor(float)": np.float32, "tensor(float16)": np.float16}


def with_past(session, feed, past=None):
    """`feed` + the graph's past inputs: `past` ({name: array}) or, for a graph that has them, a past of length 0."""
    batch = len(feed["input_ids"])
    out = dict(feed)
    for i in session.get_inputs():
        if i.name not in out:
            out[i.name] = past[i.name] if past is not None else np.zeros(
                (batch, i.shape[1], 0, i.shape[3]), dtype=_NUMPY_TYPES[i.type])
    return out


def run_shared_prompt(session, rows, pad_id):
    """{output name: [B, n]} for rows that share a prompt, computed as the scorer's shared-prompt path does: the
    prompt (the ids before the first row's gating token) alone, then the rest of every row in one right-padded
    batch with the prompt's keys and values as its past. None for a graph without past inputs."""
    past_names = [i.name for i in session.get_inputs() if i.name.startswith("past_")]
    if not past_names:
        return None
    p = gating_index(rows[0])
    prompt = list(rows[0][:p])
    if any(list(r[:p]) != prompt for r in rows):
        raise ValueError("the rows do not share the first row's %d-id prompt" % p)
    presents = session.run([n.replace("past_", "present_") for n in past_names],
                           with_past(session, feeds([prompt], pad_id)))
    past = {name: np.repeat(value, len(rows), axis=0) for name, value in zip(past_names, presents)}
    rest = session.run(list(contract.OUTPUT_NAMES), with_past(session, feeds([r[p:] for r in rows], pad_id, p), past))
    return dict(zip(contract.OUTPUT_NAMES, rest))


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


def write_reference(path, named_rows, reference, tolerances, note):
    """The reference outputs as JSON in the Java tests' format ({"cases": [{"name", "input_ids", ...}]}), with the
    tolerances the exporter held ONNX Runtime to, so that the Java scorer can be held to the same."""
    cases = []
    for name, row in named_rows:
        out = reference[tuple(row)]
        case = collections.OrderedDict([("name", name), ("input_ids", [int(i) for i in row]),
                                        ("last_token_index", len(row) - 1),
                                        ("gating_token_index", gating_index(row))])
        case.update((n, [float(x) for x in np.asarray(out[n]).reshape(-1)]) for n in contract.OUTPUT_NAMES)
        case["score"] = case["score"][0]
        cases.append(case)
    os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
    with open(path, "w", encoding="utf-8") as f:
        json.dump({"note": note, "tolerances": tolerances, "cases": cases}, f, indent=1)


def run_onnx(model_path, batches, device, shared_prompt=None, pad_id=contract.PAD_ID):
    """Runs model.onnx with ONNX Runtime (CUDA for cuda[:N], else CPU) on each feed dict of `batches`, one session;
    [{output name: array}], then, given `shared_prompt` rows, run_shared_prompt's outputs for them (None for a
    graph without past inputs)."""
    session = _session(model_path, device)
    out = [dict(zip(contract.OUTPUT_NAMES, session.run(list(contract.OUTPUT_NAMES), with_past(session, inputs))))
           for inputs in batches]
    if shared_prompt is not None:
        out.append(run_shared_prompt(session, shared_prompt, pad_id))
    return out


def _session(model_path, device):
    import onnxruntime as ort   # imported only here: the rest of the module needs numpy alone

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
    return session
