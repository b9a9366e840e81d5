#!/usr/bin/env python3
"""Write a benchmark workload in the `score` input format (JSON Lines): N conversations whose rendered token
lengths are drawn log-uniformly between two bounds (many short, a long tail), from a seed.

    python3 tools/bench/make_workload.py --out target/bench-workload.jsonl [--count 48 --min 50 --max 2000]
        [--group-size 8]

--group-size G: GRPO-shaped, as an online RLHF trainer sends it: each prompt followed by G responses of
0.5-1.5x the drawn response length (consecutive lines, ids gNNN-M); --count is then the number of prompts.

Pure standard library: lengths are approximate (about one token per common English word plus the chat
format's ~30 tokens); the benchmark counts the real tokens.
"""

import argparse
import json
import math
import random

WORDS = ("the of and to in is that it was for on are with as be at by this had not but from or have an they "
         "which one you were all her she there would their we him been has when who will no more if out so said "
         "what up its about than into them can only other time new some could these two may first then do any "
         "like my now over such our man me even most made after also did many off before must well back through "
         "years much where your way down should because long each just state people those too how little good "
         "very make world still own see men work here between both life being under never day same another know "
         "while last might us great old year since against go came right used take three").split()
CHAT_OVERHEAD = 30


def text(rng, words):
    return " ".join(rng.choice(WORDS) for _ in range(max(1, words)))


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", required=True)
    ap.add_argument("--count", type=int, default=48)
    ap.add_argument("--min", type=int, default=50)
    ap.add_argument("--max", type=int, default=2000)
    ap.add_argument("--seed", type=int, default=42)
    ap.add_argument("--group-size", type=int, default=1)
    args = ap.parse_args()
    rng = random.Random(args.seed)
    with open(args.out, "w", encoding="utf-8") as out:
        for i in range(args.count):
            tokens = round(args.min * math.exp(rng.random() * math.log(args.max / args.min)))
            words = max(2, tokens - CHAT_OVERHEAD)
            prompt_words = max(1, int(words * rng.uniform(0.2, 0.6)))
            prompt = [{"role": "user", "content": text(rng, prompt_words)}]
            if args.group_size == 1:
                rows = [("w%03d" % i, words - prompt_words)]
            else:
                rows = [("g%03d-%d" % (i, m), round((words - prompt_words) * rng.uniform(0.5, 1.5)))
                        for m in range(args.group_size)]
            for row_id, response_words in rows:
                row = {"id": row_id, "prompt": prompt, "response": text(rng, response_words)}
                out.write(json.dumps(row) + "\n")


if __name__ == "__main__":
    main()
