#!/usr/bin/env bash
# Hostile inputs (tests/badinput/badinput.mjs) through the three front ends of the
# engine: the native CLI, the npm package (installed from the packed tarball) and
# the dashboard (build/site in headless Debian chromium). Called by scripts/test.
# Needs scripts/build first. BADINPUT_SEED / BADINPUT_BITFLIPS change the variants.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
source "$HERE/../../scripts/lib.sh"
version="$(project_version)"

for need in "$BUILD/native/callsight" "$BUILD/wasm/callsight-$version.tgz" "$BUILD/site/index.html"; do
  [[ -e "$need" ]] || die "$need is missing (run scripts/build)"
done
need_chromium
# playwright-core from this folder's lock file (only this folder).
npm_ci_if_stale "$HERE" playwright-core
cd "$ROOT"
exec node --test --test-reporter=spec --test-concurrency=3 --test-timeout=170000 \
  "$HERE/cli.test.mjs" "$HERE/package.test.mjs" "$HERE/web.test.mjs"
