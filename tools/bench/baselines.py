#!/usr/bin/env python3
"""The ways a user would otherwise score a workload with the same model, each timed the same way.

    python tools/bench/baselines.py SYSTEM --bundle DIR [--checkpoint DIR] --workload FILE.jsonl \
        --scores OUT.jsonl [--threads 2]

SYSTEM:
  ort-batch1           onnxruntime, the bundle's model.onnx, one conversation per run (the twenty-line loop)
  ort-fifo16           onnxruntime, the same model.onnx, fixed batches of 16 in arrival order, right-padded
  transformers-batch1  PyTorch + transformers LlamaModel with the QRM heads from the HF checkpoint, one
                       conversation per run (the model card's way, without its trust_remote_code class)

Every system tokenizes with transformers' AutoTokenizer and the chat template, as the model card does, inside
the timed loop. Timing: load, warm up on the first conversation, then time the whole workload. Prints one JSON
line (system, seconds, conversations, tokens, peak RSS); writes {"id", "score"} per conversation to --scores.
"""

import argparse
import json
import os
import resource
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(os.path.dirname(HERE), "export"))

import numpy as np  # noqa: E402
from qrm_export import contract, hf, parity, templates  # noqa: E402


def read_workload(path):
    rows = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            if line.strip():
                row = json.loads(line)
                rows.append((row["id"], row["prompt"] + [{"role": "assistant", "content": row["response"]}]))
    return rows


def ort_scorer(bundle, threads):
    import onnxruntime as ort
    options = ort.SessionOptions()
    options.intra_op_num_threads = threads
    options.inter_op_num_threads = 1
    session = ort.InferenceSession(os.path.join(bundle, contract.MODEL_FILE), options,
                                   providers=["CPUExecutionProvider"])
    pad_id = json.load(open(os.path.join(bundle, "reward-model.json")))["pad_token_id"]

    def score(rows):
        return session.run(["score"], parity.with_past(session, parity.feeds(rows, pad_id)))[0][:, 0].tolist()
    return score


def torch_scorer(checkpoint, threads):
    import torch
    from qrm_export import checkpoint as ckpt, heads
    torch.set_num_threads(threads)
    config = hf.load_config(checkpoint)
    files = ckpt.tensor_files(checkpoint)
    names = ckpt.map_names(files, hf.expected_backbone_names(config))
    tensors = ckpt.load(checkpoint, files, list(names.backbone) + names.heads)
    cfg_json = json.load(open(os.path.join(checkpoint, "config.json")))
    spec = heads.parse({n: tensors[n] for n in names.heads}, cfg_json)
    model = heads.RewardGraph(hf.build_backbone(config, tensors, names, torch.float32, "cpu"), heads.QRMHeads(spec))
    pad_id = cfg_json["pad_token_id"]

    def score(rows):
        with torch.inference_mode():
            inputs = [torch.from_numpy(v) for v in parity.feeds(rows, pad_id).values()]
            return model(*inputs)[0][:, 0].tolist()
    return score


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("system", choices=["ort-batch1", "ort-fifo16", "transformers-batch1"])
    ap.add_argument("--bundle", required=True)
    ap.add_argument("--checkpoint")
    ap.add_argument("--workload", required=True)
    ap.add_argument("--scores", required=True)
    ap.add_argument("--threads", type=int, default=2)
    args = ap.parse_args()

    tokenizer = hf.load_tokenizer(args.bundle)
    template = templates.detect(json.load(open(os.path.join(args.bundle, "tokenizer_config.json"))))
    if args.system == "transformers-batch1":
        score = torch_scorer(args.checkpoint, args.threads)
    else:
        score = ort_scorer(args.bundle, args.threads)
    batch = 16 if args.system == "ort-fifo16" else 1
    workload = read_workload(args.workload)

    score([hf.encode(tokenizer, workload[0][1], template.bos_free_text)])   # warm-up
    started = time.perf_counter()
    scores, tokens = [], 0
    for i in range(0, len(workload), batch):
        rows = [hf.encode(tokenizer, messages, template.bos_free_text) for _, messages in workload[i:i + batch]]
        tokens += sum(len(r) for r in rows)
        scores.extend(score(rows))
    seconds = time.perf_counter() - started

    with open(args.scores, "w", encoding="utf-8") as out:
        for (conversation_id, _), value in zip(workload, scores):
            out.write(json.dumps({"id": conversation_id, "score": value}) + "\n")
    print(json.dumps({"system": args.system, "seconds": seconds, "conversations": len(workload), "tokens": tokens,
                      "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))


if __name__ == "__main__":
    main()
