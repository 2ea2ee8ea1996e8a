#!/usr/bin/env bash
# The Python package (crates/detente-py): makes a fresh venv with pinned
# maturin, pandas and pytest, builds the abi3 wheel with maturin (in the
# cargo target folder, so the engine's build is shared), installs it and runs
# the pytest suite, whose parity tests compare with the release `detente`.
#   bash scripts/python.sh              build, install, test
#   bash scripts/python.sh -k forecast  arguments go to pytest
# The venv is remade when the pins below change (the stamp's name). dask and
# distributed are there for the LocalCluster test of tournament(client=...). In CI
# (CI=true) a missing python3 is a failure; elsewhere the suite is skipped
# with the reason.
set -euo pipefail
cd "$(dirname "$0")/.."
target="${CARGO_TARGET_DIR:-$PWD/target}"
venv="${DETENTE_PY_VENV:-$target/py-venv}"
stamp="$venv/.detente-py-2"
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
  "$venv/bin/pip" install --quiet --disable-pip-version-check "maturin==1.16.0" "pandas==2.2.3" "pytest==8.3.5" \
    "dask==2026.8.0" "distributed==2026.8.0"
  touch "$stamp"
fi
# The CLI the parity tests run (already built by the cargo tests in scripts/test.sh).
cargo build --release -q -p detente-cli
wheels="$target/py-wheels"
rm -rf "$wheels"
"$venv/bin/maturin" build --release --quiet -m crates/detente-py/Cargo.toml --out "$wheels"
"$venv/bin/pip" install --quiet --disable-pip-version-check --force-reinstall --no-deps "$wheels"/detente-*.whl
DETENTE_BIN="$target/release/detente" "$venv/bin/python" -m pytest crates/detente-py/tests -q -p no:cacheprovider "$@"
# NegMAS interop (crates/detente-py/tests/test_negmas.py, skipped above: this
# venv has no negmas) runs in the peer venv of scripts/peers.sh, which has
# negmas==0.16.0 already (scripts/test.sh makes it first and exports
# DETENTE_PEER_PYTHON): the wheel installed there without dependencies, and
# pytest behind its own stamp. In CI a missing peer venv is a failure.
if [ -n "${DETENTE_PEER_PYTHON:-}" ]; then
  peer_stamp="$(dirname "$(dirname "$DETENTE_PEER_PYTHON")")/.detente-py-pytest-1"
  if [ ! -f "$peer_stamp" ]; then
    "$DETENTE_PEER_PYTHON" -m pip install --quiet --disable-pip-version-check "pytest==8.3.5"
    touch "$peer_stamp"
  fi
  "$DETENTE_PEER_PYTHON" -m pip install --quiet --disable-pip-version-check --force-reinstall --no-deps "$wheels"/detente-*.whl
  status=0
  DETENTE_NEGMAS_REQUIRED=1 DETENTE_BIN="$target/release/detente" "$DETENTE_PEER_PYTHON" -m pytest crates/detente-py/tests/test_negmas.py -q -p no:cacheprovider "$@" || status=$?
  # 5: pytest's "no tests collected", when arguments such as -k select none here.
  if [ "$status" -ne 0 ] && [ "$status" -ne 5 ]; then exit "$status"; fi
elif [ "${CI:-}" = "true" ]; then
  echo "python test: DETENTE_PEER_PYTHON is unset, so the NegMAS interop tests cannot run (scripts/test.sh sets it)" >&2
  exit 1
else
  echo "NegMAS interop tests skipped: set DETENTE_PEER_PYTHON=\$(bash scripts/peers.sh) to run them"
fi
