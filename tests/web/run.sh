#!/usr/bin/env bash
# Browser tests of the static dashboard (build/site): headless Debian chromium
# driven by playwright-core. Installs the npm deps from the lock file if missing.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
BUILD="${CALLSIGHT_BUILD_DIR:-$ROOT/build}"

if [[ ! -f "$BUILD/site/index.html" ]]; then
  echo "error: $BUILD/site is not built (run scripts/build)" >&2
  exit 1
fi
if [[ ! -x "${CHROMIUM_PATH:-/usr/bin/chromium}" ]]; then
  echo "error: chromium is missing (apt-get install -y chromium, or scripts/setup)" >&2
  exit 1
fi
if [[ ! -d "$HERE/node_modules/playwright-core" || "$HERE/package-lock.json" -nt "$HERE/node_modules/.package-lock.json" ]]; then
  (cd "$HERE" && npm ci --no-audit --no-fund --loglevel=error)
fi
cd "$ROOT"
exec node --test --test-concurrency=2 --test-timeout=120000 "$HERE"/*.test.mjs
