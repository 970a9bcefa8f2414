#!/usr/bin/env bash
# Tests of the npm package `callsight` (called by scripts/test). Needs the packed
# tarball (build/wasm/callsight-<version>.tgz, made by wasm/build.sh) and the
# native CLI (build/native/callsight) for the parity checks.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
source "$HERE/../../scripts/lib.sh"

# Test dependencies (playwright-core, typescript, vite, webpack) from the lock file.
npm_ci_if_stale "$HERE" vite webpack

version="$(project_version)"
if [[ ! -f "$BUILD/wasm/callsight-$version.tgz" ]]; then
  say "no package tarball yet: building it"
  "$ROOT/wasm/build.sh"
fi

# The core's file-free unit tests, compiled as the browser's engine is (WebAssembly
# SIMD paths included): the target core_tests of wasm/CMakeLists.txt.
say "core unit tests in WebAssembly (build/wasm, target core_tests)"
emcmake cmake -S "$ROOT/wasm" -B "$BUILD/wasm" >/dev/null  # knows the target
cmake --build "$BUILD/wasm" --target core_tests -j "$JOBS"
node --no-experimental-fetch "$BUILD/wasm/out/core_tests.cjs"  # Node 20 fetch cannot load by path

say "node --test tests/wasm/"
cd "$ROOT"
exec node --test --test-reporter=spec "$HERE/"
