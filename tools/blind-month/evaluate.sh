#!/usr/bin/env bash
# Audits blind months with this build's `mrc` and prints the figures the README quotes:
#   bash tools/blind-month/evaluate.sh [HCPS_PER_REP] [SEEDS...]     (default: 60 and seeds 101-105)
# Each month is generated into target/blind/<hcps>/<seed>, audited and evaluated; the last line is the pooled
# figure over all months (recall and false alarms at the default threshold 50, the best recall at ≤ 1/2/5/10 %
# false alarms, ROC AUC).
set -euo pipefail
cd "$(dirname "$0")/../.."
HCPS=${1:-60}
shift || true
SEEDS=("${@:-101 102 103 104 105}")
read -r -a SEEDS <<<"${SEEDS[*]}"
cargo build --quiet --locked --release -p mrc-cli
MRC=target/release/mrc
OUT=target/blind/$HCPS
mkdir -p "$OUT"
for seed in "${SEEDS[@]}"; do
    dir=$OUT/$seed
    python3 tools/blind-month/generate.py --out "$dir" --seed "$seed" --hcps-per-rep "$HCPS" >/dev/null
    python3 tools/blind-month/check.py "$dir" >/dev/null
    "$MRC" audit --master "$dir/master.json" "$dir/visits.jsonl" --out "$dir/scores.json" >/dev/null
done
python3 tools/blind-month/pool.py "$OUT" "${SEEDS[@]}"
