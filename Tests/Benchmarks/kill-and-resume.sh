#!/usr/bin/env bash
# Nothing lost on a crash: runs are killed with SIGKILL at random moments and resumed, and must
# end exactly where an uninterrupted run ends.
#
# - `weightlab run` of a small spec, killed KILLS times (default 10) and rerun each time:
#   summary.csv must have the same bytes as an uninterrupted run's, wall-time columns aside.
# - `weightlab train --checkpoint` with one optimizer per family (gradient, evolutionary,
#   hybrid), killed at least twice and resumed with --resume until it finishes: the saved
#   weights must have the same bytes as an uninterrupted run's.
#
# Usage: Tests/Benchmarks/kill-and-resume.sh [weightlab binary]   (CI calls it; about 2 minutes)
set -euo pipefail
cd "$(dirname "$0")/../.."
BIN=${1:-.build/release/weightlab}
[ -x "$BIN" ] || swift build -c release --product weightlab >/dev/null
KILLS=${KILLS:-10}
WORK=$(mktemp -d /tmp/weightlab-kill-resume.XXXXXX)
trap 'rm -rf "$WORK"' EXIT
RANDOM=${SEED:-15}

cat > "$WORK/spec.yaml" <<'SPEC'
name: kill-resume
dataset: {name: digits, validation: 0.1}
network: {hidden: [16], activation: relu, initializer: he}
batchSize: 32
budget: {units: 3e5}
seeds: 3
baseline: adam
variants:
  - {name: adam, optimizer: {optimizer: adam, learningRate: 0.003}}
  - {name: pgpe, optimizer: {optimizer: pgpe}}
  - {name: ga, optimizer: {optimizer: ga, populationSize: 20}}
SPEC

# summary.csv without its wall-time columns (a header naming seconds or wall).
timeless() {
    python3 - "$1" <<'PY'
import csv, sys
rows = list(csv.reader(open(sys.argv[1])))
keep = [i for i, name in enumerate(rows[0]) if "second" not in name and "wall" not in name]
for row in rows: print(",".join(row[i] for i in keep))
PY
}

# Seconds since the epoch, with nanoseconds.
now() { date +%s.%N; }

# Runs "$@" and kills it with SIGKILL after a random share (3-60 %) of `$duration` seconds;
# returns 0 if it finished first.
run_and_kill() {
    "$@" >/dev/null 2>&1 &
    local pid=$!
    sleep "$(python3 -c "import random, sys; random.seed($RANDOM); print(random.uniform(0.03, 0.6) * $duration)")"
    if kill -9 "$pid" 2>/dev/null; then wait "$pid" 2>/dev/null || true; return 1; fi
    wait "$pid"
}

echo "weightlab run, uninterrupted"
t0=$(now)
"$BIN" run "$WORK/spec.yaml" --output "$WORK/straight" --no-png >/dev/null 2>&1
duration=$(python3 -c "print($(now) - $t0)")
echo "weightlab run, killed $KILLS times (the uninterrupted run took $duration s)"
killed=0
attempts=0
while [ $killed -lt $KILLS ]; do
    attempts=$((attempts + 1))
    [ $attempts -le $((KILLS * 20)) ] || { echo "FAIL: runs keep finishing before the kill"; exit 1; }
    if run_and_kill "$BIN" run "$WORK/spec.yaml" --output "$WORK/killed" --no-png; then
        rm -rf "$WORK/killed"   # finished before the kill: start over so that it is killed again
        continue
    fi
    killed=$((killed + 1))
done
"$BIN" run "$WORK/spec.yaml" --output "$WORK/killed" --no-png >/dev/null 2>&1
if ! diff <(timeless "$WORK/straight/summary.csv") <(timeless "$WORK/killed/summary.csv"); then
    echo "FAIL: summary.csv differs after $KILLS kills"; exit 1
fi
echo "ok: summary.csv identical (wall times aside) after $KILLS kills"

TRAIN=("$BIN" train --dataset digits --hidden 16 --steps 2000 --checkpoint-every 7 --seed 5)
for optimizer in adam pgpe '{"optimizer": "sequential", "budget": 3000000, "parts": [{"optimizer": "pgpe", "until": {"share": 0.5}}, {"optimizer": "adam"}]}'; do
    name=$(echo "$optimizer" | cut -c1-24)
    rm -f "$WORK"/train-*
    t0=$(now)
    "${TRAIN[@]}" --optimizer "$optimizer" --checkpoint "$WORK/train-straight.json" --save "$WORK/train-straight.weights" >/dev/null 2>&1
    duration=$(python3 -c "print($(now) - $t0)")
    kills=0
    attempts=0
    while true; do
        attempts=$((attempts + 1))
        [ $attempts -le 100 ] || { echo "FAIL: train --optimizer $name keeps finishing before the kill"; exit 1; }
        resume=(); [ -f "$WORK/train-killed.json" ] && resume=(--resume)
        if run_and_kill "${TRAIN[@]}" --optimizer "$optimizer" --checkpoint "$WORK/train-killed.json" --save "$WORK/train-killed.weights" "${resume[@]}"; then
            [ $kills -ge 2 ] && break
            rm -f "$WORK/train-killed.json" "$WORK/train-killed.weights"   # too few kills: start over
            kills=0
            continue
        fi
        kills=$((kills + 1))
    done
    if ! cmp -s "$WORK/train-straight.weights" "$WORK/train-killed.weights"; then
        echo "FAIL: train --optimizer $name: weights differ after $kills kills"; exit 1
    fi
    echo "ok: train --optimizer $name: identical weights after $kills kills ($duration s uninterrupted)"
done
