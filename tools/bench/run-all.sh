#!/usr/bin/env bash
# Scores one workload every way a user could, and with the annotator, and prints one table.
#
#   tools/bench/run-all.sh [WORKLOAD.jsonl]
#
# Default workload: 48 conversations of 50-2,000 tokens (tools/bench/make_workload.py, seed 42). Needs the
# annotator jar (built if absent), and a Python with torch, transformers and onnxruntime ($PYTHON, default
# /work/venv/bin/python). The benchmark model (random weights, hidden 512, 4 layers) is made once under
# $MODEL (default target/bench-model). Every system gets $THREADS threads (default 2) and is timed the same
# way: load, warm up on one conversation, then the whole workload, tokenization included; each also runs as
# its own process under /usr/bin/time (wall time and peak RSS of the process). $BASELINES (default all three)
# picks the Python baselines, e.g. BASELINES=ort-batch1 to repeat the headline comparison quickly.
set -euo pipefail
cd "$(dirname "$0")/../.."

PYTHON=${PYTHON:-/work/venv/bin/python}
MODEL=${MODEL:-target/bench-model}
OUT=${OUT:-target/bench}
THREADS=${THREADS:-2}
BASELINES=${BASELINES:-ort-batch1 ort-fifo16 transformers-batch1}
JAR=target/reward-annotator.jar
mkdir -p "$OUT"

[ -f "$MODEL/bundle/reward-model.json" ] || "$PYTHON" tools/bench/make_bench_model.py --out "$MODEL" >&2
WORKLOAD=${1:-$OUT/workload.jsonl}
[ -f "$WORKLOAD" ] || python3 tools/bench/make_workload.py --out "$WORKLOAD"
[ -f "$JAR" ] || ./mvnw -q -DskipTests package >&2

# name command...: runs the command with its stdout in $OUT/name.out, wall time and peak RSS in $OUT/name.time
timed() {
    local name=$1
    shift
    echo "running $name" >&2
    /usr/bin/time -f "%e %M" -o "$OUT/$name.time" "$@" > "$OUT/$name.out" 2> "$OUT/$name.err"
}

for system in $BASELINES; do
    timed "$system" "$PYTHON" tools/bench/baselines.py "$system" --bundle "$MODEL/bundle" \
        --checkpoint "$MODEL/checkpoint" --workload "$WORKLOAD" --scores "$OUT/$system.scores.jsonl" \
        --threads "$THREADS"
done
timed annotator-score java -jar "$JAR" score --model "$MODEL/bundle" --input "$WORKLOAD" \
    --output "$OUT/annotator-score.scores.jsonl"
timed annotator-bench java -jar "$JAR" bench --model "$MODEL/bundle" --workload "$WORKLOAD" --fifo-batch-size 0
"$PYTHON" tools/bench/peak_flops.py --threads "$THREADS" > "$OUT/peak.json"

"$PYTHON" tools/bench/report.py --out "$OUT" --config "$MODEL/checkpoint/config.json" --workload "$WORKLOAD" \
    --baselines "$BASELINES"
