"""Turns a Hugging Face checkpoint of QRM-Llama3.1-8B into a qrm-onnx/1 bundle (docs/model-contract.md).

Modules that need only the standard library, torch and onnx (everything but `hf`, `tiny` and the ONNX
Runtime part of `parity`) are unit-tested without transformers; see tools/export/README.md.
"""
