"""QRM's heads rebuilt from the checkpoint's own tensors, and the graph module the bundle exports.

docs/model-contract.md, section 2: R = h_last @ W_reg^T reshaped [B, K, Q]; gate = 3 x (Linear no bias ->
ReLU -> BatchNorm1d eval), Linear with bias, softmax(z / T) * logit_scale; the reward_transform_matrix
applies on the attribute axis by right multiplication, as QRM computes it (and as
tools/tiny-model/make_tiny_bundle.py does):
    R_adj[b, j, q] = sum_k R[b, k, q] * M[k, j]
    reward_quantiles[b, q] = sum_k gate[b, k] * R_adj[b, k, q]
    rewards[b, j] = mean_q(R)[b, :] @ M            (= mean over q of R_adj)
    score[b] = sum_k gate[b, k] * rewards[b, k]     (= mean of reward_quantiles)
"""

import collections
import re

import torch
import torch.nn as nn
import torch.nn.functional as F

from . import checkpoint, contract

HeadSpec = collections.namedtuple(
    "HeadSpec", "regression blocks final_weight final_bias logit_scale transform temperature relu_first notes")
# config.json key that says where ReLU sits when the gating ModuleList has no slot for it (the tensors cannot)
ORDER_KEY = "gating_block_order"
ORDERS = {"linear,relu,batchnorm": True, "linear,batchnorm,relu": False}   # value -> ReLU before BatchNorm
# one gating block: Linear(no bias) weight, then BatchNorm1d weight, bias, running_mean, running_var
Block = collections.namedtuple("Block", "linear bn_weight bn_bias running_mean running_var")


def _natural_key(path):
    return [int(p) if p.isdigit() else p for p in re.split(r"[.]", path)]


def _group_gating(tensors):
    """{module path: {param: tensor}} for gating.* (logit_scale and num_batches_tracked excluded)."""
    groups = collections.OrderedDict()
    for name in sorted(tensors, key=_natural_key):
        if not name.startswith(checkpoint.GATING_PREFIX) or name.endswith(".num_batches_tracked"):
            continue
        if name == checkpoint.GATING_PREFIX + "logit_scale":
            continue
        module, _, param = name.rpartition(".")
        groups.setdefault(module, {})[param] = tensors[name]
    return groups


def _kind(module, params):
    keys = set(params)
    if keys == {"weight", "bias", "running_mean", "running_var"}:
        return "batchnorm"
    if keys in ({"weight"}, {"weight", "bias"}) and params["weight"].dim() == 2:
        return "linear"
    raise checkpoint.CheckpointError("gating module '%s' has parameters %s: neither Linear nor BatchNorm1d"
                                     % (module, sorted(keys)))


def parse(tensors, config):
    """HeadSpec from the checkpoint's head tensors (names as in the checkpoint) and its config.json dict."""
    regression = tensors.get(checkpoint.REGRESSION)
    if regression is None or regression.dim() != 2:
        raise checkpoint.CheckpointError("'%s' must be a 2-d tensor" % checkpoint.REGRESSION)
    blocks, final_weight, final_bias, relu_first, layout = _gating(tensors, regression.shape[1], config)
    num_attributes = final_weight.shape[0]
    if regression.shape[0] % num_attributes:
        raise checkpoint.CheckpointError("'%s' has %d rows, not a multiple of the gate's %d attributes"
                                         % (checkpoint.REGRESSION, regression.shape[0], num_attributes))
    _check_config(config, len(blocks), final_weight.shape[1], num_attributes, regression.shape[0] // num_attributes)

    notes = [layout]
    scale = tensors.get(checkpoint.GATING_PREFIX + "logit_scale")
    if scale is None:
        scale = torch.tensor([float(config.get("gating_logit_scale", 1.0))])
        notes.append("no gating.logit_scale tensor: using config gating_logit_scale (default 1.0) = %g"
                     % float(scale[0]))
    transform = tensors.get(checkpoint.TRANSFORM)
    if transform is None:
        transform = torch.eye(num_attributes)
        notes.append("no %s tensor: identity (its value at construction)" % checkpoint.TRANSFORM)
    elif tuple(transform.shape) != (num_attributes, num_attributes):
        raise checkpoint.CheckpointError("%s has shape %s, expected %s" % (
            checkpoint.TRANSFORM, tuple(transform.shape), (num_attributes, num_attributes)))
    temperature = config.get("gating_temperature")
    if temperature is None:
        temperature = contract.DEFAULT_GATING_TEMPERATURE
        notes.append("config.json has no gating_temperature: using %g (QRM-Llama3.1-8B's value; QRM's code "
                     "default would be 10)" % temperature)
    return HeadSpec(regression, blocks, final_weight, final_bias, scale.reshape(()), transform,
                    float(temperature), relu_first, notes)


def describe(tensors):
    """One line per head tensor: name, shape, dtype (what the exporter found, printed before it decides)."""
    return ["%-40s %-14s %s" % (n, list(tensors[n].shape), str(tensors[n].dtype).replace("torch.", ""))
            for n in sorted(tensors, key=_natural_key)]


def _gating(tensors, hidden, config):
    """([Block], final weight, final bias, relu_first, layout note): n x (Linear without bias, BatchNorm1d, with
    ReLU before or after the BatchNorm) then a Linear with bias."""
    groups = list(_group_gating(tensors).items())
    kinds = [_kind(m, p) for m, p in groups]
    n_blocks = (len(groups) - 1) // 2
    if kinds != ["linear", "batchnorm"] * n_blocks + ["linear"] or n_blocks < 1:
        raise checkpoint.CheckpointError(
            "gating modules %s are %s; QRM's gating network is n x (Linear, BatchNorm1d) then a final Linear "
            "(an ArmoRM-style gate without BatchNorm is a different model)" % ([m for m, _ in groups], kinds))
    blocks, width = [], hidden
    for i in range(n_blocks):
        (lin_name, lin), (bn_name, bn) = groups[2 * i], groups[2 * i + 1]
        if "bias" in lin:
            raise checkpoint.CheckpointError("gating Linear '%s' has a bias; QRM's hidden gating layers have none"
                                             % lin_name)
        out_features, in_features = lin["weight"].shape
        if in_features != width or any(bn[k].shape != (out_features,) for k in bn):
            raise checkpoint.CheckpointError("gating block %d ('%s', '%s') does not chain: Linear %s after width "
                                             "%d, BatchNorm %s" % (i, lin_name, bn_name, tuple(lin["weight"].shape),
                                                                   width, {k: tuple(v.shape) for k, v in bn.items()}))
        blocks.append(Block(lin["weight"], bn["weight"], bn["bias"], bn["running_mean"], bn["running_var"]))
        width = out_features
    final_name, final = groups[-1]
    if "bias" not in final or final["weight"].shape[1] != width:
        raise checkpoint.CheckpointError("final gating Linear '%s' must map %d features with a bias, has %s"
                                         % (final_name, width, {k: tuple(v.shape) for k, v in final.items()}))
    relu_first, how = _relu_position([m for m, _ in groups], config)
    layout = "gating: %d x (Linear no bias, %s), Linear with bias; %s" % (
        n_blocks, "ReLU, BatchNorm1d" if relu_first else "BatchNorm1d, ReLU", how)
    return blocks, final["weight"], final["bias"], relu_first, layout


def _relu_position(modules, config):
    """(ReLU before BatchNorm?, how that was decided) from the ModuleList's empty slots, else from config.json.

    ReLU has no tensors, so in an nn.Sequential/ModuleList it leaves a gap in the numbering: Linear 0, (ReLU 1),
    BatchNorm 2 means ReLU first; Linear 0, BatchNorm 1, (ReLU 2) means BatchNorm first. Without gaps (ReLU
    applied in forward()) the tensors cannot tell, and guessing would change every gate weight.
    """
    declared = config.get(ORDER_KEY)
    if declared is not None and declared not in ORDERS:
        raise checkpoint.CheckpointError("config.json %s is %r; expected one of %s" % (ORDER_KEY, declared,
                                                                                       sorted(ORDERS)))
    parents = {m.rpartition(".")[0] for m in modules}
    indices = [m.rpartition(".")[2] for m in modules]
    from_slots = None
    if len(parents) == 1 and all(i.isdigit() for i in indices):
        idx = [int(i) for i in indices]
        gaps = {(idx[j + 1] - idx[j], idx[j + 2] - idx[j + 1]) for j in range(0, len(idx) - 1, 2)}
        if gaps == {(2, 1)}:
            from_slots = True
        elif gaps == {(1, 2)}:
            from_slots = False
        elif gaps != {(1, 1)}:
            raise checkpoint.CheckpointError("gating modules %s are numbered with gaps %s that fit neither "
                                             "(Linear, ReLU, BatchNorm1d) nor (Linear, BatchNorm1d, ReLU) blocks"
                                             % (modules, sorted(gaps)))
    if from_slots is not None:
        if declared is not None and ORDERS[declared] != from_slots:
            raise checkpoint.CheckpointError("config.json %s is %r, but the empty (ReLU) slots among %s say %r"
                                             % (ORDER_KEY, declared, modules, _order_name(from_slots)))
        return from_slots, "ReLU position from the empty module slots among %s" % ", ".join(modules)
    if declared is None:
        raise checkpoint.CheckpointError(
            "gating modules %s leave no slot for the ReLU, so the tensors do not say whether it comes before or "
            "after each BatchNorm1d; read the checkpoint's modeling code and set %s in config.json to %s"
            % (modules, ORDER_KEY, " or ".join(repr(o) for o in ORDERS)))
    return ORDERS[declared], "ReLU position from config.json %s = %r" % (ORDER_KEY, declared)


def _order_name(relu_first):
    return next(name for name, value in ORDERS.items() if value == relu_first)


def _check_config(config, n_blocks, hidden_dim, num_attributes, num_quantiles):
    declared = {"gating_n_hidden": n_blocks, "gating_hidden_dim": hidden_dim,
                "num_objectives": num_attributes, "num_quantiles": num_quantiles}
    wrong = {k: (config[k], v) for k, v in declared.items() if k in config and int(config[k]) != v}
    if wrong:
        raise checkpoint.CheckpointError("config.json disagrees with the head tensors (config, tensors): %s" % wrong)
    if (num_attributes, num_quantiles) != (contract.NUM_ATTRIBUTES, contract.NUM_QUANTILES):
        raise checkpoint.CheckpointError(
            "the heads have %d attributes x %d quantiles; QRM-Llama3.1-8B has %d x %d (QRM-Llama3.1-8B-v2 has 5 "
            "objectives and is another model)" % (num_attributes, num_quantiles, contract.NUM_ATTRIBUTES,
                                                  contract.NUM_QUANTILES))


class GatingNetwork(nn.Module):
    def __init__(self, spec):
        super().__init__()
        layers = []
        for b in spec.blocks:
            linear = nn.Linear(b.linear.shape[1], b.linear.shape[0], bias=False)
            norm = nn.BatchNorm1d(b.linear.shape[0], eps=contract.BATCH_NORM_EPS)
            with torch.no_grad():
                linear.weight.copy_(b.linear.float())
                norm.weight.copy_(b.bn_weight.float())
                norm.bias.copy_(b.bn_bias.float())
                norm.running_mean.copy_(b.running_mean.float())
                norm.running_var.copy_(b.running_var.float())
            layers += [linear, nn.ReLU(), norm] if spec.relu_first else [linear, norm, nn.ReLU()]
        final = nn.Linear(spec.final_weight.shape[1], spec.final_weight.shape[0], bias=True)
        with torch.no_grad():
            final.weight.copy_(spec.final_weight.float())
            final.bias.copy_(spec.final_bias.float())
        self.layers = nn.Sequential(*layers, final)
        self.temperature = spec.temperature
        self.register_buffer("logit_scale", spec.logit_scale.float().clone())

    def forward(self, x):
        z = self.layers(x)
        return F.softmax(z / self.temperature, dim=1) * self.logit_scale


class QRMHeads(nn.Module):
    """float32 heads: (h_last [B, H], h_gate [B, H]) -> score, reward_quantiles, rewards, gating_output."""

    def __init__(self, spec):
        super().__init__()
        self.num_attributes = spec.final_weight.shape[0]
        self.num_quantiles = spec.regression.shape[0] // self.num_attributes
        self.regression_layer = nn.Linear(spec.regression.shape[1], spec.regression.shape[0], bias=False)
        with torch.no_grad():
            self.regression_layer.weight.copy_(spec.regression.float())
        self.gating = GatingNetwork(spec)
        self.register_buffer("reward_transform_matrix", spec.transform.float().clone())
        self.eval()

    def forward(self, h_last, h_gate):
        rewards = self.regression_layer(h_last).reshape(-1, self.num_attributes, self.num_quantiles)  # [B, K, Q]
        gate = self.gating(h_gate)                                                                    # [B, K]
        matrix = self.reward_transform_matrix
        adjusted = torch.matmul(rewards.transpose(1, 2), matrix).transpose(1, 2)                     # [B, K, Q]
        reward_quantiles = (gate.unsqueeze(-1) * adjusted).sum(1)                                     # [B, Q]
        rewards_adjusted = rewards.mean(dim=2) @ matrix                                               # [B, K]
        score = torch.sum(gate * rewards_adjusted, dim=1, keepdim=True)                               # [B, 1]
        return score, reward_quantiles, rewards_adjusted, gate


def pick(hidden, index):
    """hidden [B, L, H], index [B] -> [B, H]."""
    idx = index.view(-1, 1, 1).expand(-1, 1, hidden.shape[2])
    return torch.gather(hidden, 1, idx).squeeze(1)


class RewardGraph(nn.Module):
    """What model.onnx computes: backbone (any float dtype) -> two picked hidden states -> float32 heads, and the
    backbone's presents (kv_cache.py).

    `backbone(input_ids, attention_mask, *past)` returns the final hidden states [B, S, H] of the new tokens (after
    the last norm) and a key and a value per layer (none for a backbone without a cache: `num_layers` 0). The two
    indices are positions among the new tokens.
    """

    def __init__(self, backbone, heads):
        super().__init__()
        self.backbone = backbone
        self.heads = heads

    def forward(self, input_ids, attention_mask, last_token_index, gating_token_index, *past):
        hidden, presents = self.backbone(input_ids, attention_mask, *past)
        h_last = pick(hidden, last_token_index).float()
        h_gate = pick(hidden, gating_token_index).float()
        return (*self.heads(h_last, h_gate), *presents)
