#!/usr/bin/env bash
# Tests of the npm package `callsight` (called by scripts/test). Needs the packed
# tarball (build/wasm/callsight-<version>.tgz, made by wasm/build.sh) and the
# native CLI (build/native/callsight) for the parity checks.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
source "$HERE/../../scripts/lib.sh"

# Test dependencies (playwright-core, typescript) from the lock file.
npm_ci_if_stale "$HERE"

version="$(project_version)"
if [[ ! -f "$BUILD/wasm/callsight-$version.tgz" ]]; then
  say "no package tarball yet: building it"
  "$ROOT/wasm/build.sh"
fi

say "node --test tests/wasm/"
cd "$ROOT"
exec node --test --test-reporter=spec "$HERE/"
