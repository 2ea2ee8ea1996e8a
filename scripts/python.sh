#!/usr/bin/env bash
# The Python package (crates/detente-py): makes a fresh venv with pinned
# maturin, pandas and pytest, builds the abi3 wheel with maturin (in the
# cargo target folder, so the engine's build is shared), installs it and runs
# the pytest suite, whose parity tests compare with the release `detente`.
#   bash scripts/python.sh              build, install, test
#   bash scripts/python.sh -k forecast  arguments go to pytest
# The venv is remade when the pins below change (the stamp's name). In CI
# (CI=true) a missing python3 is a failure; elsewhere the suite is skipped
# with the reason.
set -euo pipefail
cd "$(dirname "$0")/.."
target="${CARGO_TARGET_DIR:-$PWD/target}"
venv="${DETENTE_PY_VENV:-$target/py-venv}"
stamp="$venv/.detente-py-1"
if ! command -v python3 >/dev/null || ! python3 -c "import venv, ensurepip" 2>/dev/null; then
  if [ "${CI:-}" = "true" ]; then
    echo "python test: python3 with venv and ensurepip is missing" >&2
    exit 1
  fi
  echo "python test skipped: python3 with venv and ensurepip is missing"
  exit 0
fi
if [ ! -f "$stamp" ]; then
  rm -rf "$venv"
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet --disable-pip-version-check "maturin==1.16.0" "pandas==2.2.3" "pytest==8.3.5"
  touch "$stamp"
fi
# The CLI the parity tests run (already built by the cargo tests in scripts/test.sh).
cargo build --release -q -p detente-cli
wheels="$target/py-wheels"
rm -rf "$wheels"
"$venv/bin/maturin" build --release --quiet -m crates/detente-py/Cargo.toml --out "$wheels"
"$venv/bin/pip" install --quiet --disable-pip-version-check --force-reinstall --no-deps "$wheels"/detente-*.whl
DETENTE_BIN="$target/release/detente" "$venv/bin/python" -m pytest crates/detente-py/tests -q -p no:cacheprovider "$@"
