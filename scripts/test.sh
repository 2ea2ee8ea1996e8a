#!/usr/bin/env bash
# Runs the whole test suite: unit, property, integration, doc tests, the
# Python package's pytest suite (scripts/python.sh) and the
# cross-checks against peer implementations (NegMAS, pygambit and others, installed from PyPI into
# a venv by scripts/peers.sh). Uses the release profile so the build is
# shared with `cargo run --release`.
#   DETENTE_NO_PEERS=1 bash scripts/test.sh   skips making the peer venv
#                                             (the peer tests then skip, except in CI)
set -euo pipefail
cd "$(dirname "$0")/.."
if [ -z "${DETENTE_NO_PEERS:-}" ] && [ -z "${DETENTE_PEER_PYTHON:-}" ]; then
  DETENTE_PEER_PYTHON="$(bash scripts/peers.sh)"
  export DETENTE_PEER_PYTHON
fi
cargo test --workspace --release --all-targets "$@"
cargo test --workspace --release --doc "$@"
# The Python package: its wheel built by maturin into a fresh venv and its
# pytest suite, the parity tests against the release binary built above.
bash scripts/python.sh
# The workbench page in Debian's Chromium (Playwright; after the cargo tests,
# which built the release binary it serves). In CI a missing Node or
# Chromium fails the run; elsewhere it is skipped with the reason.
bash scripts/browser.sh
# The API fuzzed from its OpenAPI document (schemathesis, bounded: no 5xx,
# every answer as documented).
bash scripts/api-fuzz.sh
