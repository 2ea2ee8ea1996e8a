#!/usr/bin/env bash
# Negotiation benchmark: NegMAS and detente on the same work in one run.
#
# (a) one 1000-round negotiation, Boulware against Boulware (NegMAS:
#     BoulwareTBNegotiator on both sides; detente: the same strategy in its
#     NegMAS spec, docs/negotiation.md) on anac/y2012/EnergySmallA (15,625
#     outcomes), which ends in an agreement in round 902; both sides must
#     reach the same agreement in the same round.
# (b) a round robin: 4 strategies (Boulware, Linear, Conceder and the
#     hardliner: NegMAS's Boulware/Linear/ConcederTBNegotiator and
#     ToughNegotiator) x 3 scenarios (Laptop, ItexvsCypress, Camera) x 5
#     repetitions, every ordered pairing, 1000 rounds: 240 negotiations.
#     NegMAS runs them one after the other in one process, detente through
#     detente::negotiation::tournament on every core.
# (c) a million negotiations in detente: the same round robin on Laptop with
#     62,500 repetitions; NegMAS's time for it is extrapolated from 80 of them.
#
# Times: wall and process CPU time of the negotiations (NegMAS: in process,
# without the interpreter start, imports and domain loading; detente: wall in
# process - for (a) compiling the domain plus the first session, for (b) the
# mean of 20 round robins -, CPU of the whole process from /usr/bin/time,
# loading included, over the number of sessions or round robins it ran).
# Prints a Markdown table and keeps the raw numbers under
# benches/runs/DATE-negotiation.csv. Not part of the test suite.
#   bash benches/negotiation.sh                  everything
#   MILLION=100000 bash benches/negotiation.sh   a smaller (c)
set -euo pipefail
cd "$(dirname "$0")/.."
py="$(bash scripts/peers.sh)"
cargo build --release -q -p detente --example negotiate_bench
bin=target/release/examples/negotiate_bench
data=../shared/data/genius/anac
rounds=1000
million="${MILLION:-1000000}"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
negmas="floor=reservation,tolerance=0.0001,snap=1e-6,accept=target"
strategies=(--strategy "aspiration:a=4,$negmas" --strategy "aspiration:a=1,$negmas"
  --strategy "aspiration:a=0.25,$negmas" --strategy hardliner)
robin=("$data/y2011/Laptop" "$data/y2010/ItexvsCypress" "$data/y2011/Camera")
field() { python3 -c "import json,sys; d=json.load(open(sys.argv[1])); print(eval(sys.argv[2], {}, d))" "$@"; }
calc() { python3 -c "print($1)"; }
cpu_of() { read -r u s < "$1"; calc "round($u + $s, 3)"; }

echo "load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
echo

# (a) One negotiation. NegMAS: three fresh runs, the fastest counts.
one="$data/y2012/EnergySmallA"
"$py" benches/negmas_negotiate.py --family tb --steps "$rounds" --exponents 4 "$one" "$one" "$one" > "$tmp/a-negmas.jsonl"
python3 - "$tmp/a-negmas.jsonl" > "$tmp/a-negmas.json" <<'EOF'
import json, sys
runs = [json.loads(l)["runs"][0] for l in open(sys.argv[1])]
docs = [json.loads(l) for l in open(sys.argv[1])]
best = min(runs, key=lambda r: r["seconds"])
print(json.dumps({"seconds": best["seconds"], "cpu_seconds": min(r["cpu_seconds"] for r in runs),
                  "step": best["step"], "agreement": [best["agreement"][i] for i in docs[0]["issues"]],
                  "utilities": [float(u) for u in best["utilities"]], "order": docs[0]["profiles"]}))
EOF
order=$(field "$tmp/a-negmas.json" "','.join(order)")
reps=2000
/usr/bin/time -f "%U %S" -o "$tmp/a.time" "$bin" session "$one" --rounds "$rounds" --reps "$reps" --order "$order" \
  --strategy "aspiration:a=4,$negmas" --strategy "aspiration:a=4,$negmas" > "$tmp/a-detente.json"
a_same=$(python3 - "$tmp/a-negmas.json" "$tmp/a-detente.json" <<'EOF'
import json, sys
n, d = json.load(open(sys.argv[1])), json.load(open(sys.argv[2]))
print("yes" if n["agreement"] == d["agreement"] and n["step"] + 1 == d["rounds"] and n["utilities"] == d["utilities"] else f"NO: NegMAS {n}, detente {d}")
EOF
)
a_n=$(field "$tmp/a-negmas.json" "round(seconds, 3)"); a_nc=$(field "$tmp/a-negmas.json" "round(cpu_seconds, 3)")
# detente: compiling the domain plus the first (cold) session; CPU: the whole
# process (loading, compiling, $reps sessions) over $reps.
a_d=$(field "$tmp/a-detente.json" "compile_seconds + first_seconds")
a_dmin=$(field "$tmp/a-detente.json" "min_seconds")
a_dc=$(calc "$(cpu_of "$tmp/a.time") / $reps")
a_round=$(field "$tmp/a-detente.json" "rounds")

# (b) The round robin.
"$py" benches/negmas_tournament.py "$rounds" 5 "${robin[@]}" > "$tmp/b-negmas.json"
repeat=20
/usr/bin/time -f "%U %S" -o "$tmp/b.time" "$bin" tournament --rounds "$rounds" --reps 5 --repeat "$repeat" "${strategies[@]}" "${robin[@]}" > "$tmp/b-detente.json"
b_n=$(field "$tmp/b-negmas.json" "round(seconds, 2)"); b_nc=$(field "$tmp/b-negmas.json" "round(cpu_seconds, 2)")
b_d=$(field "$tmp/b-detente.json" "prepare_seconds + mean_seconds"); b_dc=$(calc "$(cpu_of "$tmp/b.time") / $repeat")
b_count=$(field "$tmp/b-detente.json" "negotiations")
# Same work: as many agreements, as many rounds (NegMAS's step counter ends one past the agreement's step).
b_same=$(python3 - "$tmp/b-negmas.json" "$tmp/b-detente.json" <<'EOF'
import json, sys
n, d = json.load(open(sys.argv[1])), json.load(open(sys.argv[2]))
ok = (n["negotiations"], n["agreements"], n["steps"]) == (d["negotiations"], d["agreements"], d["rounds"])
print("yes" if ok else f"NO: NegMAS {n}, detente {d}")
EOF
)

# (c) A million negotiations on Laptop; NegMAS extrapolated from 80.
laptop="$data/y2011/Laptop"
per=$((million / 16))
/usr/bin/time -f "%U %S" -o "$tmp/c.time" "$bin" tournament --rounds "$rounds" --reps "$per" "${strategies[@]}" "$laptop" > "$tmp/c-detente.json"
"$py" benches/negmas_tournament.py "$rounds" 5 "$laptop" > "$tmp/c-negmas.json"
c_count=$(field "$tmp/c-detente.json" "negotiations")
c_d=$(field "$tmp/c-detente.json" "round(prepare_seconds + first_seconds, 2)"); c_dc=$(cpu_of "$tmp/c.time")
c_n=$(field "$tmp/c-negmas.json" "round(seconds / negotiations * $c_count)"); c_nc=$(field "$tmp/c-negmas.json" "round(cpu_seconds / negotiations * $c_count)")
threads=$(field "$tmp/c-detente.json" "threads")

mkdir -p benches/runs
csv="benches/runs/$(date +%Y-%m-%d)-negotiation.csv"
echo "case,negotiations,detente_seconds,detente_cpu_seconds,negmas_seconds,negmas_cpu_seconds,ratio,cpu_ratio,same_result" > "$csv"
row() { # name count dwall dcpu nwall ncpu same
  local r c
  r=$(calc "round($5 / max($3, 1e-9))"); c=$(calc "round($6 / max($4, 1e-9))")
  echo "$1,$2,$3,$4,$5,$6,$r,$c,$7" >> "$csv"
  printf '| %s | %s | %.4g s (%.4g s) | %.4g s (%.4g s) | %s× (%s×) | %s |\n' "$1" "$2" "$3" "$4" "$5" "$6" "$r" "$c" "$7"
}
echo "| case | negotiations | detente wall (CPU) | NegMAS wall (CPU) | ratio (CPU ratio) | same result |"
echo "|---|---:|---:|---:|---:|---|"
row "(a) Boulware vs Boulware, EnergySmallA, $rounds rounds (agreement in round $a_round)" 1 "$a_d" "$a_dc" "$a_n" "$a_nc" "$a_same"
row "(b) round robin 4 strategies x 3 scenarios x 5, $rounds rounds" "$b_count" "$b_d" "$b_dc" "$b_n" "$b_nc" "$b_same"
row "(c) round robin on Laptop, $rounds rounds (NegMAS extrapolated from 80)" "$c_count" "$c_d" "$c_dc" "$c_n" "$c_nc" "—"
echo
echo "detente: $threads threads for (b) and (c); (a) fastest of $reps sessions without compiling: $a_dmin s."
echo "raw numbers: $csv"
