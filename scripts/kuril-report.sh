#!/usr/bin/env bash
# Regenerates the Kuril case study's pictures and reports from the bundled
# scenarios, into docs/case-studies/kuril/ (embedded in
# docs/case-studies/kuril.md):
#   NAME.html                    the self-contained HTML report
#   NAME.md                      the same report as Markdown
#   NAME-utility-plane.svg       its figures: the deal space,
#   NAME-forecast-*.svg          forecast trajectories, Monte Carlo
#                                distribution and tornado
#   NAME-talks.svg               simulated talks on the utility plane
# for NAME = kuril-2019 and kuril-2019-untethered. The output is
# deterministic; crates/detente-cli/tests/tests.rs checks that the committed
# files match, so rerun this after changing the analysis, the plots or the
# report.
#   bash scripts/kuril-report.sh
set -euo pipefail
cd "$(dirname "$0")/.."
out=docs/case-studies/kuril
mkdir -p "$out"
cargo build --release -q -p detente-cli
for name in kuril-2019 kuril-2019-untethered; do
  target/release/detente report "scenarios/$name.toml" -o "$out/$name.html"
  target/release/detente report "scenarios/$name.toml" -o "$out/$name.md"
done
ls -l "$out"
