#!/usr/bin/env bash
# The workbench page in a real browser: Playwright (playwright-core from npm,
# crates/detente-server/browser/package-lock.json) drives Debian's Chromium
# through `detente serve`. Screenshots go to target/ci-artifacts/.
# In CI (CI=true) a missing Node, npm or Chromium is a failure; elsewhere
# the test is skipped with the reason.
set -euo pipefail
cd "$(dirname "$0")/.."
chromium="${CHROMIUM:-/usr/bin/chromium}"
if [ "${CI:-}" = "true" ] && [ ! -x "$chromium" ] && command -v apt-get >/dev/null; then
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
fi
missing=""
command -v node >/dev/null || missing="node"
command -v npm >/dev/null || missing="$missing npm"
[ -x "$chromium" ] || missing="$missing $chromium (apt-get install -y chromium)"
if [ -n "$missing" ]; then
  if [ "${CI:-}" = "true" ]; then
    echo "browser test: missing$missing" >&2
    exit 1
  fi
  echo "browser test skipped: missing$missing"
  exit 0
fi
cargo build --release -p detente-cli
cd crates/detente-server/browser
npm ci --no-audit --no-fund
CHROMIUM="$chromium" node --test workbench.test.mjs
