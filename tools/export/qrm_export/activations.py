"""The largest |activation| of each backbone layer in the PyTorch reference pass, against float16's range.

A float16 graph turns any value beyond 65,504 into inf, and Llama-family models are known for a few huge
activations (the "massive activations" of the MLP's down projection). The reference pass runs in float32
(or bfloat16, which has float32's range), so it shows the true magnitudes before the float16 graph is trusted.
What is recorded: every floating tensor a module of the layer takes positionally or returns (Linear inputs
and outputs, the MLP product, RMSNorm, the layer's output). Keyword inputs are left out: the attention mask
is passed that way and holds the dtype's minimum on purpose.
"""

import collections

import torch

FLOAT16_MAX = float(torch.finfo(torch.float16).max)


class ActivationRange:
    """Forward hooks on every module of each group ({label: module}); `maxima` is {label: max |value|}."""

    def __init__(self, groups):
        self.maxima = collections.OrderedDict((label, 0.0) for label in groups)
        self._handles = [sub.register_forward_hook(self._recorder(label))
                         for label, module in groups.items() for sub in module.modules()]

    def _recorder(self, label):
        def record(module, inputs, output):
            for t in _tensors((inputs, output)):
                if t.is_floating_point() and t.numel():
                    self.maxima[label] = max(self.maxima[label], float(t.detach().abs().max()))
        return record

    def close(self):
        for handle in self._handles:
            handle.remove()
        self._handles = []

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


def _tensors(value):
    if isinstance(value, torch.Tensor):
        yield value
    elif isinstance(value, (tuple, list)):
        for v in value:
            yield from _tensors(v)
    elif isinstance(value, dict):
        for v in value.values():
            yield from _tensors(v)


def beyond_float16(maxima):
    """Labels whose max |activation| does not fit float16 (inf and nan included)."""
    return [label for label, v in maxima.items() if not v <= FLOAT16_MAX]


def table(maxima):
    lines = ["max |activation| per backbone layer in the reference pass (float16 holds up to %g):" % FLOAT16_MAX]
    lines += ["  %-14s %12.4g  %s" % (label, v, "ok" if v <= FLOAT16_MAX else "BEYOND FLOAT16")
              for label, v in maxima.items()]
    return "\n".join(lines)
