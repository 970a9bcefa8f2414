#!/usr/bin/env bash
# Tests of the npm package `callsight` (called by scripts/test). Needs the packed
# tarball (build/wasm/callsight-<version>.tgz, made by wasm/build.sh) and the
# native CLI (build/native/callsight) for the parity checks.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
BUILD="${CALLSIGHT_BUILD_DIR:-$ROOT/build}"

say() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }

# Test dependencies (playwright-core, typescript) from the lock file.
if [[ ! -d "$HERE/node_modules" || "$HERE/package-lock.json" -nt "$HERE/node_modules/.package-lock.json" ]]; then
  say "npm ci in tests/wasm"
  (cd "$HERE" && npm ci --no-audit --no-fund --loglevel=error)
fi

version="$(sed -n 's/^project(callsight VERSION \([0-9.]*\).*/\1/p' "$ROOT/CMakeLists.txt")"
if [[ ! -f "$BUILD/wasm/callsight-$version.tgz" ]]; then
  say "no package tarball yet: building it"
  "$ROOT/wasm/build.sh"
fi

say "node --test tests/wasm/"
cd "$ROOT"
exec node --test --test-reporter=spec "$HERE/"
