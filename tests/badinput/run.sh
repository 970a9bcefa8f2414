#!/usr/bin/env bash
# Hostile inputs (tests/badinput/badinput.mjs) through the three front ends of the
# engine: the native CLI, the npm package (installed from the packed tarball) and
# the dashboard (build/site in headless Debian chromium). Called by scripts/test.
# Needs scripts/build first. BADINPUT_SEED / BADINPUT_BITFLIPS change the variants.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
BUILD="${CALLSIGHT_BUILD_DIR:-$ROOT/build}"
version="$(sed -n 's/^project(callsight VERSION \([0-9.]*\).*/\1/p' "$ROOT/CMakeLists.txt")"

for need in "$BUILD/native/callsight" "$BUILD/wasm/callsight-$version.tgz" "$BUILD/site/index.html"; do
  [[ -e "$need" ]] || { echo "error: $need is missing (run scripts/build)" >&2; exit 1; }
done
if [[ ! -x "${CHROMIUM_PATH:-/usr/bin/chromium}" ]]; then
  echo "error: chromium is missing (apt-get install -y chromium, or scripts/setup)" >&2
  exit 1
fi
# playwright-core from this folder's lock file (only this folder).
if [[ ! -d "$HERE/node_modules/playwright-core" || "$HERE/package-lock.json" -nt "$HERE/node_modules/.package-lock.json" ]]; then
  (cd "$HERE" && npm ci --no-audit --no-fund --loglevel=error)
fi
cd "$ROOT"
exec node --test --test-reporter=spec --test-concurrency=3 --test-timeout=170000 \
  "$HERE/cli.test.mjs" "$HERE/package.test.mjs" "$HERE/web.test.mjs"
