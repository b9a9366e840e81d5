#!/usr/bin/env bash
# First measurement on a machine with an NVIDIA GPU, in one go: builds the GPU jar, exports the exporter's
# --tiny model on the GPU, scores a workload on cuda:0 (checked against the CPU scores of the same bundle),
# benchmarks on cuda:0, and prints one table. With --model DIR it measures that bundle instead of the tiny
# one (for the 8B model: tools/export/export_qrm.py --checkpoint ... --out DIR first).
#
#   tools/bench/gpu-check.sh [--model DIR] [--dry-run]
#
# Needs: JDK 17+, CUDA 12 + cuDNN 9, a Python with tools/export/requirements.txt ($PYTHON, default
# .venv-export/bin/python). --dry-run runs every step that needs no GPU (workload, CPU jar and the score
# check on the CPU) and prints the GPU steps instead of running them.
set -euo pipefail
cd "$(dirname "$0")/../.."

PYTHON=${PYTHON:-.venv-export/bin/python}
OUT=${OUT:-target/gpu-check}
DEVICE=${DEVICE:-cuda:0}
MODEL=""
DRY_RUN=false
while [ $# -gt 0 ]; do
    case $1 in
        --model) MODEL=$2; shift 2 ;;
        --dry-run) DRY_RUN=true; shift ;;
        *) echo "usage: $0 [--model DIR] [--dry-run]" >&2; exit 2 ;;
    esac
done
JAR=target/reward-annotator.jar
mkdir -p "$OUT"

# step DESCRIPTION COMMAND...: runs the command (prints it instead on --dry-run), output in $OUT/log
gpu_step() {
    local what=$1
    shift
    if $DRY_RUN; then
        printf 'dry run, skipped (%s):' "$what" >&2
        printf ' %q' "$@" >&2
        printf '\n' >&2
    else
        echo "== $what" >&2
        "$@"
    fi
}

python3 tools/bench/make_workload.py --out "$OUT/workload.jsonl"
python3 tools/bench/make_workload.py --out "$OUT/grpo8.jsonl" --count 12 --group-size 8
if $DRY_RUN; then
    [ -f "$JAR" ] || ./mvnw -q -DskipTests package
    MODEL=${MODEL:-models/tiny-qrm}
else
    gpu_step "GPU jar" ./mvnw -q -Pgpu -DskipTests package
    if [ -z "$MODEL" ]; then
        MODEL=$OUT/tiny-bundle
        rm -rf "$MODEL"
        gpu_step "export --tiny on $DEVICE" "$PYTHON" tools/export/export_qrm.py --tiny --device "$DEVICE" \
            --out "$MODEL"
    fi
fi

# CPU scores of the same bundle: the GPU's must match them
java -jar "$JAR" score --model "$MODEL" --input "$OUT/workload.jsonl" --output "$OUT/cpu.scores.jsonl"
gpu_step "score on $DEVICE" /usr/bin/time -f "%e %M" -o "$OUT/gpu-score.time" \
    java -jar "$JAR" score --model "$MODEL" --device "$DEVICE" --input "$OUT/workload.jsonl" \
    --output "$OUT/gpu.scores.jsonl"
gpu_step "bench --workload on $DEVICE" java -jar "$JAR" bench --model "$MODEL" --device "$DEVICE" \
    --workload "$OUT/workload.jsonl" > "$OUT/bench-workload.txt"
gpu_step "bench --workload (GRPO, groups of 8) on $DEVICE" java -jar "$JAR" bench --model "$MODEL" \
    --device "$DEVICE" --workload "$OUT/grpo8.jsonl" > "$OUT/bench-grpo8.txt"
gpu_step "bench, synthetic lengths, on $DEVICE" java -jar "$JAR" bench --model "$MODEL" --device "$DEVICE" \
    > "$OUT/bench-synthetic.txt"
$DRY_RUN && exit 0

python3 - "$OUT" <<'PY'
import json, re, sys
out = sys.argv[1]
read = lambda name: {r["id"]: r for r in map(json.loads, open(f"{out}/{name}")) if "score" in r}
cpu, gpu = read("cpu.scores.jsonl"), read("gpu.scores.jsonl")
diff = max(abs(cpu[i]["score"] - gpu[i]["score"]) for i in cpu)
wall, rss = open(f"{out}/gpu-score.time").read().split()[-2:]
print("%-40s %10s %10s %9s %8s %8s" % ("run", "seconds", "tokens/s", "padding", "shared", "batches"))
for name in ("bench-workload", "bench-grpo8", "bench-synthetic"):
    for line in open(f"{out}/{name}.txt"):
        m = re.match(r"^(planner:.*?|FIFO fixed size \d+)\s+([\d.]+)\s+(\d+)\s+[\d.]+\s+([\d.]+)\s+([\d.]+)\s+(\d+)\s",
                     line)
        if m:
            print("%-40s %10s %10s %9s %8s %8s" % ((name + " " + m.group(1))[:40], *m.groups()[1:]))
print("score on GPU, whole process: %s s, peak RSS %.0f MB; max |score GPU - CPU| = %.1e over %d conversations"
      % (wall, int(rss) / 1024, diff, len(cpu)))
PY
