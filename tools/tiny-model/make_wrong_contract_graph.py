#!/usr/bin/env python3
"""Writes a valid ONNX graph that does NOT follow the qrm-onnx/1 contract, for the loader's error-path test.

Input `ids` int64 [batch, length] (wrong name, and the other three inputs are missing); output `score` float
[batch, length] (wrong shape). Run with Debian's python (python3-onnx):

    /usr/bin/python3 tools/tiny-model/make_wrong_contract_graph.py src/test/resources/onnx/wrong-contract.onnx
"""
import sys

import onnx
from onnx import TensorProto, helper

ids = helper.make_tensor_value_info("ids", TensorProto.INT64, ["batch", "length"])
score = helper.make_tensor_value_info("score", TensorProto.FLOAT, ["batch", "length"])
graph = helper.make_graph([helper.make_node("Cast", ["ids"], ["score"], to=TensorProto.FLOAT)],
                          "wrong_contract", [ids], [score])
model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)], producer_name="reward-annotator-tests")
model.ir_version = 8
onnx.checker.check_model(model)
onnx.save(model, sys.argv[1])
