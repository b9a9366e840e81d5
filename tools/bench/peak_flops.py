#!/usr/bin/env python3
"""Measured float32 peak of this machine: the best of several large matrix products (torch, N threads).

Prints one JSON line: {"threads", "gflops"}. Matrix products are the fastest thing a CPU does, so this is the
attainable peak that model FLOPs are compared with (the nominal peak, cores x clock x SIMD lanes x FMA units,
is higher and not reachable; the table states which one it uses).
"""

import argparse
import json
import time

import torch


def main():
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--size", type=int, default=2048)
    ap.add_argument("--repeats", type=int, default=8)
    args = ap.parse_args()
    torch.set_num_threads(args.threads)
    a = torch.randn(args.size, args.size)
    b = torch.randn(args.size, args.size)
    a @ b
    best = 0.0
    for _ in range(args.repeats):
        started = time.perf_counter()
        a @ b
        best = max(best, 2 * args.size ** 3 / (time.perf_counter() - started) / 1e9)
    print(json.dumps({"threads": args.threads, "gflops": best}))


if __name__ == "__main__":
    main()
