#!/usr/bin/env python3
"""Make the benchmark model: a random QRM-shaped HF checkpoint (hidden 512, 4 layers), exported with tools/export.

    /work/venv/bin/python tools/bench/make_bench_model.py --out target/bench-model

Writes OUT/checkpoint (the HF checkpoint, what transformers loads) and OUT/bundle (the qrm-onnx/1 bundle the
annotator and the onnxruntime baselines load), by running the exporter's own --tiny checkpoint maker with a
bigger configuration and then the exporter unchanged (float32 backbone: this is a CPU benchmark). Weights are
random: about 0.3 GB, never committed.
"""

import argparse
import os
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, os.path.join(REPO, "tools", "export"))

from qrm_export import tiny  # noqa: E402

HIDDEN, LAYERS, HEADS, KV_HEADS, INTERMEDIATE = 512, 4, 8, 2, 1792   # Llama-3.1-8B's ratios, scaled down


TINY_CONFIG = tiny.config


def bench_config():
    cfg = TINY_CONFIG()
    cfg.hidden_size, cfg.num_hidden_layers, cfg.intermediate_size = HIDDEN, LAYERS, INTERMEDIATE
    cfg.num_attention_heads, cfg.num_key_value_heads, cfg.head_dim = HEADS, KV_HEADS, HIDDEN // HEADS
    return cfg


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", required=True)
    ap.add_argument("--optimize", action="store_true", help="pass --optimize to the exporter")
    args = ap.parse_args()
    checkpoint = os.path.join(args.out, "checkpoint")
    bundle = os.path.join(args.out, "bundle")
    tiny.config = bench_config   # the checkpoint maker reads its configuration from here
    tiny.make_checkpoint(checkpoint)
    cmd = [sys.executable, os.path.join(REPO, "tools", "export", "export_qrm.py"), "--checkpoint", checkpoint,
           "--out", bundle, "--device", "cpu", "--backbone-dtype", "float32", "--revision", "bench-512x4",
           "--name", "qrm-bench-512x4"] + (["--optimize"] if args.optimize else [])
    return subprocess.call(cmd)


if __name__ == "__main__":
    sys.exit(main())
