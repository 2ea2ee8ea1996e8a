#!/usr/bin/env bash
# API fuzzing of `detente serve` with schemathesis (PyPI, in its own venv
# under target/): generated requests from /api/openapi.json, checking that
# no answer is a 5xx and every answer matches the documented schema and
# content type. Bounded: a fixed number of examples per operation, a fixed
# seed, and a time limit. Needs the release binary (scripts/test.sh built it).
# In CI (CI=true) a missing Python is a failure; elsewhere it skips.
set -euo pipefail
cd "$(dirname "$0")/.."
if ! command -v python3 >/dev/null; then
  [ "${CI:-}" = "true" ] && { echo "api fuzz: python3 missing" >&2; exit 1; }
  echo "api fuzz skipped: python3 missing"; exit 0
fi
venv="${CARGO_TARGET_DIR:-target}/schemathesis-venv"
if [ ! -x "$venv/bin/st" ]; then
  python3 -m venv "$venv"
  "$venv/bin/pip" install -q "schemathesis==4.32.5"
fi
cargo build --release -p detente-cli
log="$(mktemp)"
"${CARGO_TARGET_DIR:-target}/release/detente" serve --port 0 2>"$log" &
server=$!
trap 'kill -INT $server 2>/dev/null || true; rm -f "$log"' EXIT
for _ in $(seq 100); do
  grep -q "detente workbench at" "$log" && break
  sleep 0.1
done
url="$(grep -o 'http://[^ ]*' "$log" | head -1)"
[ -n "$url" ] || { echo "api fuzz: the server did not start" >&2; cat "$log" >&2; exit 1; }
# From inside the venv, so schemathesis's cache folder stays under target/.
cd "$venv"
timeout 600 bin/st run "${url}api/openapi.json" \
  --checks not_a_server_error,response_schema_conformance,content_type_conformance \
  --max-examples "${DETENTE_FUZZ_EXAMPLES:-25}" --seed 1 --request-timeout 60 --no-color
