#!/usr/bin/env python3
"""The table of tools/bench/run-all.sh, from the files it left in --out.

Reference scores: the annotator's `score` output; every other system's scores must match them within 1e-3.
FLOPs per token: what the exported graph executes at batch 1 (no padding), from the checkpoint's config.json
and the workload's token lengths: 2 x the layers' weights per token, plus unfused attention's
4 x layers x heads x head_dim x L per token at length L (QK^T and AV over all L keys; the causal mask discards
half of it). Fraction of peak: the system's tokens/s x FLOPs/token over the machine's measured peak
(tools/bench/peak_flops.py: best large float32 matrix product at the same thread count). The annotator computes a
prompt shared by several conversations once (the `shared` column of its bench output: the share of tokens
computed once for several rows), so its executed FLOP/s count only the tokens it ran: (1 - shared) x tokens,
each at the workload's mean FLOPs/token (an approximation); for `score`, whose sharing is not printed, they are
left out when the bench run shared anything.
"""

import argparse
import json
import os
import re
import time

TOLERANCE = 1e-3
PYTHON_SYSTEMS = ["ort-batch1", "ort-fifo16", "transformers-batch1"]


def read_jsonl(path):
    with open(path, encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def timing(out, name):
    wall, rss_kb = open(os.path.join(out, name + ".time")).read().split()[-2:]
    return float(wall), int(rss_kb) / 1024


def flops_per_token(config, lengths):
    h, n, inter = config["hidden_size"], config["num_hidden_layers"], config["intermediate_size"]
    heads, kv = config["num_attention_heads"], config["num_key_value_heads"]
    d = config.get("head_dim") or h // heads
    weights = h * heads * d + 2 * h * kv * d + heads * d * h + 3 * h * inter     # per layer
    total = sum(length * (2 * n * weights + 4 * n * heads * d * length) for length in lengths)
    return total / sum(lengths)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", required=True)
    ap.add_argument("--config", required=True)
    ap.add_argument("--workload", required=True)
    ap.add_argument("--baselines", default=" ".join(PYTHON_SYSTEMS), help="the baselines that ran, ort-batch1 first")
    args = ap.parse_args()

    reference = {r["id"]: r for r in read_jsonl(os.path.join(args.out, "annotator-score.scores.jsonl"))}
    lengths = [r["num_tokens"] for r in reference.values()]
    tokens = sum(lengths)
    fpt = flops_per_token(json.load(open(args.config)), lengths)
    peak = json.load(open(os.path.join(args.out, "peak.json")))["gflops"]

    rows = []
    for system in args.baselines.split():
        result = json.loads(open(os.path.join(args.out, system + ".out")).read().strip().splitlines()[-1])
        scores = {r["id"]: r["score"] for r in read_jsonl(os.path.join(args.out, system + ".scores.jsonl"))}
        diff = max(abs(scores[i] - reference[i]["score"]) for i in reference)
        rows.append((system, result["seconds"], result["tokens"], *timing(args.out, system), diff))
    rows = [row + (0.0,) for row in rows]
    bench = open(os.path.join(args.out, "annotator-bench.out")).read()
    planner = re.search(r"^planner:.*ratio [\d.]+\s+([\d.]+)\s+[\d.]+\s+[\d.]+\s+[\d.]+\s+([\d.]+)\s", bench, re.M)
    seconds, shared = float(planner.group(1)), float(planner.group(2))
    rows.append(("annotator (bench --workload)", seconds, tokens, *timing(args.out, "annotator-bench"), 0.0, shared))
    wall, rss = timing(args.out, "annotator-score")
    rows.append(("annotator (score, whole process)", wall, tokens, wall, rss, 0.0, None if shared else 0.0))

    base = tokens / rows[0][1]
    print("workload %s: %d conversations, %d tokens (%d..%d per conversation)" % (
        args.workload, len(lengths), tokens, min(lengths), max(lengths)))
    print("ran %s" % time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()))
    print("model: %.1f MFLOP/token executed at batch 1 (this workload's lengths); machine peak %.0f GFLOP/s "
          "(measured float32 matrix product, tools/bench/peak_flops.py)" % (fpt / 1e6, peak))
    print("%-34s %8s %9s %8s %7s %8s %7s %9s %9s %10s" % ("system", "loop s", "tokens/s", "vs ort-1", "shared",
                                                            "GFLOP/s", "% peak", "process s", "peak RSS",
                                                            "max |diff|"))
    for name, seconds, n, wall, rss, diff, shared in rows:
        rate = n / seconds
        if shared is None:
            executed = "%7s %8s %7s" % ("?", "-", "-")
        else:
            gflops = rate * (1 - shared) * fpt / 1e9
            executed = "%7.3f %8.1f %6.1f%%" % (shared, gflops, 100 * gflops / peak)
        print("%-34s %8.2f %9.0f %7.2fx %s %9.1f %6.0f MB %10.1e%s" % (
            name, seconds, rate, rate / base, executed, wall, rss, diff, "" if diff <= TOLERANCE else
            "  SCORES DIFFER"))
    print("loop s: load and warm-up excluded, tokenization included (score: the whole process, JVM start and "
          "model load included); shared: tokens computed once for several conversations (a shared prompt); "
          "GFLOP/s, % peak: executed, shared tokens excluded; max |diff|: largest score difference from the "
          "annotator's score output")


if __name__ == "__main__":
    main()
