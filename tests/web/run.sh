#!/usr/bin/env bash
# Browser tests of the static dashboard (build/site): headless Debian chromium
# driven by playwright-core. Installs the npm deps from the lock file if missing.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
source "$HERE/../../scripts/lib.sh"

[[ -f "$BUILD/site/index.html" ]] || die "$BUILD/site is not built (run scripts/build)"
need_chromium
npm_ci_if_stale "$HERE" playwright-core axe-core
cd "$ROOT"
exec node --test --test-concurrency=2 --test-timeout=120000 "$HERE"/*.test.mjs
