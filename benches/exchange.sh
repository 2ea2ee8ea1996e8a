#!/usr/bin/env bash
# Exchange-model benchmark: detente against decide-exchange-model (the peer
# venv of scripts/peers.sh, driven by benches/decide_peer.py) on the three
# stakeholder tables, 10 rounds each. detente's time is the whole process
# (start-up, reading the table, JSON output of every round), per run of a
# batch of 20. The package's
# is given twice: in the model (reading the table included, Python's
# start-up and imports not; the conservative ratio) and for the whole
# driver process. Prints a Markdown table and keeps the raw numbers under
# benches/runs/DATE-exchange.csv.
#   bash benches/exchange.sh [REPEATS]     (default 3; the best run counts;
#                                           the package runs once)
set -euo pipefail
cd "$(dirname "$0")/.."
repeats="${1:-3}"
batch=20
cargo build --release -q -p detente-cli
bin=target/release/detente
py="${DETENTE_PEER_PYTHON:-$(bash scripts/peers.sh)}"
data=../shared/data/stakeholders
tmp="$(mktemp)"
trap 'rm -f "$tmp"' EXIT
mkdir -p benches/runs
csv="benches/runs/$(date +%Y-%m-%d)-exchange.csv"
echo "case,rounds,detente_seconds,package_model_seconds,package_process_seconds,ratio_model,ratio_process" > "$csv"
echo "load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
echo
echo "| table | rounds | detente (s) | package, model (s) | package, process (s) | ratio (model) | ratio (process) |"
echo "|---|---:|---:|---:|---:|---:|---:|"
for table in decide_sample_data.txt copenhagen.csv cop21.csv; do
  # detente: the best of $repeats batches of $batch runs, per run (one run
  # timed alone would be mostly the two `date` processes around it).
  best=""
  for _ in $(seq "$repeats"); do
    start=$(date +%s%N)
    for _ in $(seq "$batch"); do
      "$bin" forecast --json --model exchange --rounds 10 "$data/$table" > /dev/null
    done
    ns=$(( ($(date +%s%N) - start) / batch ))
    if [ -z "$best" ] || [ "$ns" -lt "$best" ]; then best="$ns"; fi
  done
  ours=$(awk "BEGIN{printf \"%.4f\", $best / 1e9}")
  start=$(date +%s%N)
  "$py" benches/decide_peer.py --rounds 10 "$data/$table" > "$tmp"
  process=$(awk "BEGIN{printf \"%.2f\", $(( $(date +%s%N) - start )) / 1e9}")
  model=$("$py" -c 'import json, sys; print("%.2f" % json.load(open(sys.argv[1]))["seconds"])' "$tmp")
  ratio_model=$(awk "BEGIN{printf \"%.0f\", $model / $ours}")
  ratio_process=$(awk "BEGIN{printf \"%.0f\", $process / $ours}")
  echo "| $table | 10 | $ours | $model | $process | ${ratio_model}x | ${ratio_process}x |"
  echo "$table,10,$ours,$model,$process,$ratio_model,$ratio_process" >> "$csv"
done
echo
echo "load average at end: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "raw numbers: $csv"
