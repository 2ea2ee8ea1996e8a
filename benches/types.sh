#!/usr/bin/env bash
# Times `detente analyze` on a 10^6-outcome two-party scenario with and
# without four types of one party (and a holder's own probabilities of
# them), so the cost of the type analysis shows as the difference. The
# scenario is the synthetic one of benches/synthetic.py (6 issues × 10
# options, seed 7) with the types appended.
#   bash benches/types.sh        (release build; three runs each)
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release -q -p detente-cli
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
python3 benches/synthetic.py 6 10 7 > "$tmp/plain.toml"
cp "$tmp/plain.toml" "$tmp/types.toml"
for k in 0 1 2 3; do
  printf '[[types]]\nactor = "a"\nname = "t%s"\nprior = 0.25\nreservation = 0.%s\n' "$k" "$((2 + k))" >> "$tmp/types.toml"
done
printf '[[beliefs]]\nholder = "b"\nabout = "a"\ntypes = { t0 = 0.1, t1 = 0.2, t2 = 0.3, t3 = 0.4 }\n' >> "$tmp/types.toml"
for case in plain types; do
  for run in 1 2 3; do
    /usr/bin/time -f "$case run $run: %e s wall, %U s user, %M KiB peak" \
      target/release/detente analyze "$tmp/$case.toml" > "$tmp/$case.out"
  done
done
sed -n '/^Uncertain types/,/robust/p' "$tmp/types.out"
