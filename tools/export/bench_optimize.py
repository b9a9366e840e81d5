#!/usr/bin/env python3
"""Is the fused graph (export_qrm.py's default --optimize) faster than the plain one? ONNX Runtime on CPU.

    python tools/export/bench_optimize.py --hidden 512 --layers 4 --lengths 128,512,2048 --threads 2

Writes a random QRM-shaped checkpoint of that size (as --tiny does), exports it twice with export_qrm.py
(--no-optimize, then the default), and times one row (batch 1) of each length on both graphs, alternating
between them, median of --repeats runs. Prints a Markdown table.
"""

import argparse
import os
import statistics
import sys
import tempfile
import time

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import export_qrm  # noqa: E402
from qrm_export import contract, parity, tiny  # noqa: E402


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--hidden", type=int, default=512)
    ap.add_argument("--layers", type=int, default=4)
    ap.add_argument("--heads", type=int, default=8)
    ap.add_argument("--kv-heads", type=int, default=2)
    ap.add_argument("--lengths", default="128,512,2048", help="comma-separated row lengths")
    ap.add_argument("--backbone-dtype", choices=["float16", "float32"], default="float32")
    ap.add_argument("--threads", type=int, default=2, help="ONNX Runtime intra-op threads")
    ap.add_argument("--repeats", type=int, default=5)
    args = ap.parse_args(argv)
    lengths = [int(n) for n in args.lengths.split(",")]

    with tempfile.TemporaryDirectory(prefix="qrm-bench-optimize-") as root:
        ckpt = tiny.make_checkpoint(os.path.join(root, "checkpoint"), hidden=args.hidden, layers=args.layers,
                                    heads=args.heads, kv_heads=args.kv_heads)
        graphs = {}
        for label, flag in (("plain", "--no-optimize"), ("fused", "--optimize")):
            out = os.path.join(root, label)
            code = export_qrm.main(["--checkpoint", ckpt, "--out", out, "--revision", "bench", "--device", "cpu",
                                    "--backbone-dtype", args.backbone_dtype, flag])
            if code:
                sys.exit("export %s failed with exit code %d" % (label, code))
            graphs[label] = os.path.join(out, contract.MODEL_FILE)
        timings = measure(graphs, lengths, args.threads, args.repeats)

    print("\nhidden %d x %d layers (%d heads, %d kv heads), backbone %s, ONNX Runtime CPU, %d intra-op threads, "
          "batch 1, median of %d:" % (args.hidden, args.layers, args.heads, args.kv_heads, args.backbone_dtype,
                                      args.threads, args.repeats))
    print("| tokens | plain ms | fused ms | plain / fused |\n|---:|---:|---:|---:|")
    for n in lengths:
        plain, fused = timings["plain"][n], timings["fused"][n]
        print("| %d | %.1f | %.1f | %.2f |" % (n, plain * 1e3, fused * 1e3, plain / fused))


def measure(graphs, lengths, threads, repeats):
    """{label: {length: median seconds}}, the graphs' runs interleaved so that machine load hits both alike."""
    import onnxruntime as ort

    options = ort.SessionOptions()
    options.intra_op_num_threads = threads
    options.inter_op_num_threads = 1
    sessions = {label: ort.InferenceSession(path, options, providers=["CPUExecutionProvider"])
                for label, path in graphs.items()}
    rng = np.random.default_rng(5)
    samples = {label: {n: [] for n in lengths} for label in graphs}
    for n in lengths:
        body = [int(i) for i in rng.integers(1000, 100000, n - 1 - len(contract.GATING_PATTERN) - 1)]
        feeds = parity.feeds([[contract.BOS_ID] + body + list(contract.GATING_PATTERN) + [1500]], contract.PAD_ID)
        for session in sessions.values():
            session.run(None, parity.with_past(session, feeds))   # warm-up
        for _ in range(repeats):
            for label, session in sessions.items():
                start = time.perf_counter()
                session.run(None, parity.with_past(session, feeds))
                samples[label][n].append(time.perf_counter() - start)
    return {label: {n: statistics.median(v) for n, v in by_length.items()} for label, by_length in samples.items()}


if __name__ == "__main__":
    main()
