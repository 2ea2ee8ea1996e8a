#!/usr/bin/env bash
# Python against in-process Rust: `Scenario.analyze()` from the installed
# wheel (benches/python_analyze.py) and the same work in Rust
# (crates/detente-report/examples/analyze_bench.rs) on Laptop (bundled) and
# AMPOvsCity (../shared/data/genius). Prints a Markdown table and keeps the
# raw numbers in benches/runs/DATE-python.csv. Not part of the test suite.
#   bash benches/python.sh
# Each case runs in three rounds, Rust then Python in each, so both sides see
# the same load on a shared machine; a side's time is the best of its three
# medians (repetitions per round: 1000 on Laptop, 20 on AMPOvsCity).
set -euo pipefail
cd "$(dirname "$0")/.."
target="${CARGO_TARGET_DIR:-$PWD/target}"
venv="${DETENTE_PY_VENV:-$target/py-venv}"
# The venv and the wheel, as the test suite makes them (no tests run: -k nothing).
bash scripts/python.sh -k no_such_test_selects_nothing >/dev/null || true
cargo build --release -q -p detente-report --example analyze_bench
bench="$target/release/examples/analyze_bench"
cases=(
  "Laptop|scenarios/anac/Laptop|1000"
  "AMPOvsCity|../shared/data/genius/other/AMPOvsCity|20"
)
mkdir -p benches/runs
csv="benches/runs/$(date +%Y-%m-%d)-python.csv"
echo "case,reps,rust_min_seconds,rust_median_seconds,python_min_seconds,python_median_seconds,ratio" > "$csv"
echo "load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
echo
echo "| case | Rust in-process (median) | Python \`Scenario.analyze()\` (median) | ratio |"
echo "|---|---:|---:|---:|"
for c in "${cases[@]}"; do
  IFS='|' read -r name path reps <<< "$c"
  rust=(); py=()
  for round in 1 2 3; do
    rust+=("$("$bench" "$path" --reps "$reps" 2>/dev/null)")
    py+=("$("$venv/bin/python" benches/python_analyze.py "$path" "$reps" 2>/dev/null)")
  done
  python3 - "$name" "$reps" "$csv" "${rust[@]}" "${py[@]}" <<'PY'
import json, sys
name, reps, csv = sys.argv[1:4]
runs = [json.loads(a) for a in sys.argv[4:]]
rust, py = runs[:3], runs[3:]
with open(csv, "a") as f:
    for r, p in zip(rust, py):
        ratio = p["median_seconds"] / r["median_seconds"]
        f.write(f"{name},{reps},{r['min_seconds']},{r['median_seconds']},{p['min_seconds']},{p['median_seconds']},{ratio:.3f}\n")
best_r = min(r["median_seconds"] for r in rust)
best_p = min(p["median_seconds"] for p in py)
def t(s):
    return f"{s * 1e3:.3f} ms" if s < 1 else f"{s:.2f} s"
print(f"| {name} | {t(best_r)} | {t(best_p)} | {best_p / best_r:.2f}× |")
PY
done
echo
echo "raw numbers: $csv"
