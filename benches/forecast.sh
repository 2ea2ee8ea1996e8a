#!/usr/bin/env bash
# Forecasting benchmark: 10,000 Monte Carlo runs of the expected-utility model
# (replication preset, ten rounds each, default perturbations, tornado
# included) on a 30-actor issue -- the first 30 actors of KTAB's
# dummyData-a040 -- on two threads and on one; KTAB's spatial model on its
# two reference inputs against KTAB's own recorded times (0.161 s and
# 1.209 s), in process as KTAB measures itself and as a whole process; and
# the DEU III backtest of every model. Prints a Markdown table and keeps the raw numbers under
# benches/runs/DATE-forecast.csv. Then the exchange model against
# decide-exchange-model (benches/exchange.sh, with the peer venv). Wall times depend on what else runs on the
# machine: the load average is printed, and CPU (user) time is kept too.
#   bash benches/forecast.sh [REPEATS]     (default 3; the best run counts)
set -euo pipefail
cd "$(dirname "$0")/.."
repeats="${1:-3}"
cargo build --release -q -p detente-cli
cargo build --release -q -p detente-report --example forecast_bench
bin=target/release/detente
data=../shared/data
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
# KTAB layout: scenario line (30 actors, 1 dimension), header, 30 actor lines.
{ echo "XYZ,  XYZ Issue,  30,  1,  "; sed -n 2,32p "$data/ktab/dummyData-a040.csv"; } > "$tmp/a030.csv"
mkdir -p benches/runs
csv="benches/runs/$(date +%Y-%m-%d)-forecast.csv"
echo "case,threads,wall_seconds,cpu_seconds" > "$csv"
echo "load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
# Best of $repeats: prints "wall cpu".
best() {
  local threads="$1"; shift
  local best_wall="" best_cpu=""
  for _ in $(seq "$repeats"); do
    RAYON_NUM_THREADS="$threads" /usr/bin/time -f "%e %U" -o "$tmp/time" "$@" > /dev/null
    read -r wall cpu < "$tmp/time"
    if [ -z "$best_wall" ] || awk "BEGIN{exit !($wall < $best_wall)}"; then best_wall="$wall"; best_cpu="$cpu"; fi
  done
  echo "$best_wall $best_cpu"
}
echo
echo "| case | threads | wall (s) | CPU (s) |"
echo "|---|---:|---:|---:|"
for threads in 2 1; do
  read -r wall cpu < <(best "$threads" "$bin" forecast "$tmp/a030.csv" --model eum-replication --monte-carlo 10000 --seed 1)
  echo "| EUM Monte Carlo, 30 actors, 10,000 runs x 10 rounds | $threads | $wall | $cpu |"
  echo "eum-monte-carlo-30x10000,$threads,$wall,$cpu" >> "$csv"
done
# KTAB's spatial model on its two reference inputs, against the elapsed
# time in KTAB's own logs. KTAB's clock runs inside its process, from
# reading the input to the last line of its log; detente's like-for-like
# figure is the same span in process (the forecast_bench example: read,
# run, render every round; median of 2000). The whole `detente forecast`
# process (1000 command-line runs; the operating system's start-up of the
# executable included) is given too, with a run of the static compromise
# model (same reading and printing) whose difference is the model's own time.
# The start-up alone: `detente --version`, 1000 runs (ms per run).
read -r startup _ < <(best 1 bash -c "for _ in \$(seq 1000); do '$bin' --version; done")
echo "detente-version-x1000,1,$startup," >> "$csv"
echo
echo "| KTAB input | KTAB (its log) | detente in process (median) | ratio | detente whole process | ratio | model's own share |"
echo "|---|---:|---:|---:|---:|---:|---:|"
for case in dummyData_3Dim:0.1609 SOE-Pol-Comp:1.2092; do
  ktab="${case#*:}"; case="${case%%:*}"
  inproc=$(target/release/examples/forecast_bench "$data/ktab/$case.csv" --model ktab-smp --reps 2000 \
    | sed -E 's/.*"median_seconds": ([^}]*)}.*/\1/')
  loop() { echo "for _ in \$(seq 1000); do '$bin' forecast '$data/ktab/$case.csv' --model $1; done"; }
  read -r wall cpu < <(best 1 bash -c "$(loop ktab-smp)")
  read -r base_wall base_cpu < <(best 1 bash -c "$(loop compromise)")
  awk -v c="$case" -v k="$ktab" -v i="$inproc" -v w="$wall" -v b="$base_wall" 'BEGIN{
    printf "| %s | %.3f s | %.3f ms | %.0fx | %.2f ms | %.0fx | %.2f ms |\n", c, k, i*1e3, k/i, w, k/(w/1e3), w-b }'
  echo "ktab-smp-$case-in-process-median,1,$inproc,"  >> "$csv"
  echo "ktab-smp-$case-x1000,1,$wall,$cpu" >> "$csv"
  echo "compromise-$case-x1000,1,$base_wall,$base_cpu" >> "$csv"
done
echo "(start-up alone, \`detente --version\`: $startup ms per process)"
echo
echo "| case | threads | wall (s) | CPU (s) |"
echo "|---|---:|---:|---:|"
read -r wall cpu < <(best 2 "$bin" backtest deu "$data/deu")
echo "| DEU III backtest, 6 models x 351 issues | 2 | $wall | $cpu |"
echo "deu-backtest,2,$wall,$cpu" >> "$csv"
echo
echo "load average at end: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "raw numbers: $csv"
echo
bash benches/exchange.sh "$repeats"
