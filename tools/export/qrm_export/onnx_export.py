"""Exporting the RewardGraph to model.onnx + one external-data file, and checking the graph's interface."""

import collections
import inspect
import os
import shutil
import tempfile

import onnx
import torch

from . import contract

EXPORT_OPSET = 17


def example_inputs(batch, length, device, backbone=None, past_length=3):
    """Inputs for tracing: every row ends with the gating pattern then one response token, no padding; for a
    backbone with layers, a random past of `past_length` positions (so the trace sees a past that is not empty)."""
    pattern = list(contract.GATING_PATTERN)
    row = [contract.BOS_ID] + [1000 + i for i in range(length - len(pattern) - 2)] + pattern + [1500]
    ids = torch.tensor([row] * batch, dtype=torch.int64, device=device)
    last = torch.full((batch,), length - 1, dtype=torch.int64, device=device)
    gate = torch.full((batch,), length - len(pattern) - 1, dtype=torch.int64, device=device)
    layers = getattr(backbone, "num_layers", 0)
    if not layers:
        return ids, torch.ones_like(ids), last, gate
    mask = torch.ones((batch, past_length + length), dtype=torch.int64, device=device)
    dtype = next(backbone.parameters()).dtype
    generator = torch.Generator().manual_seed(0)
    past = [torch.randn((batch, backbone.kv_heads, past_length, backbone.head_dim), generator=generator)
            .to(device=device, dtype=dtype) for _ in range(2 * layers)]
    return (ids, mask, last, gate, *past)


def export(graph, out_dir, *, batch=3, length=11, device="cpu", opset=EXPORT_OPSET, size_threshold=1024):
    """Writes out_dir/model.onnx with every initializer above `size_threshold` bytes in model.onnx.data.

    Traced at an odd batch and length: the parity check runs another shape, so a dimension frozen
    into the graph fails it.
    """
    os.makedirs(out_dir, exist_ok=True)
    layers = getattr(graph.backbone, "num_layers", 0)
    dynamic_axes = {name: {0: "batch", 1: "length"} for name in contract.INPUT_NAMES[:1]}
    dynamic_axes["attention_mask"] = {0: "batch", 1: "total_length" if layers else "length"}
    dynamic_axes.update({name: {0: "batch"} for name in contract.INPUT_NAMES[2:] + contract.OUTPUT_NAMES})
    dynamic_axes.update({name: {0: "batch", 2: "past_length"} for name in contract.past_names(layers)})
    dynamic_axes.update({name: {0: "batch", 2: "total_length"} for name in contract.present_names(layers)})
    kwargs = dict(input_names=list(contract.INPUT_NAMES) + contract.past_names(layers),
                  output_names=list(contract.OUTPUT_NAMES) + contract.present_names(layers),
                  dynamic_axes=dynamic_axes, opset_version=opset, do_constant_folding=True,
                  training=torch.onnx.TrainingMode.EVAL, export_params=True)
    if "dynamo" in inspect.signature(torch.onnx.export).parameters:
        kwargs["dynamo"] = False   # the TorchScript exporter: dynamic_axes, and HF Llama traces with it
    scratch = tempfile.mkdtemp(prefix="qrm-export-", dir=out_dir)
    try:
        traced = os.path.join(scratch, contract.MODEL_FILE)
        with torch.no_grad():
            torch.onnx.export(graph, example_inputs(batch, length, device, graph.backbone), traced, **kwargs)
        model = onnx.load(traced, load_external_data=True)
        _declare_output_shapes(model)
        target = os.path.join(out_dir, contract.MODEL_FILE)
        for stale in (target, os.path.join(out_dir, contract.DATA_FILE)):
            if os.path.exists(stale):
                os.remove(stale)
        onnx.save_model(model, target, save_as_external_data=True, all_tensors_to_one_file=True,
                        location=contract.DATA_FILE, size_threshold=size_threshold)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    return os.path.join(out_dir, contract.MODEL_FILE)


def _declare_output_shapes(model):
    """The exporter may leave fixed output dims symbolic; declare the contract's [batch, n] shapes."""
    for out in model.graph.output:
        if out.name not in contract.EXPECTED_IO:
            continue   # a present: its dims are the traced ones
        dims = out.type.tensor_type.shape.dim
        _, shape = contract.EXPECTED_IO[out.name]
        if len(dims) != len(shape):
            raise ValueError("output %s has rank %d, the contract says %d" % (out.name, len(dims), len(shape)))
        for dim, want in zip(dims, shape):
            dim.Clear()
            if isinstance(want, str):
                dim.dim_param = want
            else:
                dim.dim_value = want


def _describe(value_info):
    t = value_info.type.tensor_type
    dims = [d.dim_param if d.HasField("dim_param") else d.dim_value if d.HasField("dim_value") else "?"
            for d in t.shape.dim]
    return onnx.TensorProto.DataType.Name(t.elem_type), dims


def check(path, standard_ops=True):
    """Checks names, types and shapes against the contract; returns a summary of initializer dtypes.

    Symbolic dimension names are not compared (an optimizer may rename them), only that they are symbolic.
    standard_ops=False for a fused graph: ONNX Runtime's contrib ops (SimplifiedLayerNormalization sits in the
    default domain) are unknown to onnx's checker; ONNX Runtime loading it in the parity check is the test.
    """
    if standard_ops:
        onnx.checker.check_model(path)   # by path: works past protobuf's 2 GB limit
    model = onnx.load(path, load_external_data=False)
    initializers = {i.name for i in model.graph.initializer}
    inputs = [(v.name,) + _describe(v) for v in model.graph.input if v.name not in initializers]
    outputs = [(v.name,) + _describe(v) for v in model.graph.output]
    problems = []
    layers = (len(inputs) - len(contract.INPUT_NAMES)) // 2
    want_inputs = list(contract.INPUT_NAMES) + contract.past_names(layers)
    want_outputs = list(contract.OUTPUT_NAMES) + contract.present_names(layers)
    if [i[0] for i in inputs] != want_inputs:
        problems.append("inputs are %s, expected %s" % ([i[0] for i in inputs], want_inputs))
    if [o[0] for o in outputs] != want_outputs:
        problems.append("outputs are %s, expected %s" % ([o[0] for o in outputs], want_outputs))
    for name, dtype, dims in inputs + outputs:
        want_type, want_dims = contract.EXPECTED_IO.get(name, (None, None))
        if want_type is None:
            continue
        same = dtype == want_type and len(dims) == len(want_dims) and all(
            isinstance(d, str) and d != "?" if isinstance(w, str) else d == w for d, w in zip(dims, want_dims))
        if not same:
            problems.append("%s is %s %s, expected %s %s" % (name, dtype, dims, want_type, want_dims))
    if problems:
        raise ValueError("%s does not match the qrm-onnx/1 contract: %s" % (path, "; ".join(problems)))
    sizes = collections.Counter()
    for init in model.graph.initializer:
        numel = 1
        for d in init.dims:
            numel *= d
        sizes[onnx.TensorProto.DataType.Name(init.data_type)] += numel
    return dict(sizes)
