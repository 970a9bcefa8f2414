#!/usr/bin/env bash
# Builds the WebAssembly engine and the npm package `callsight`:
#   build/wasm/              emcmake build tree of wasm/CMakeLists.txt (core/ + src/binding.cpp)
#   build/wasm/package/      the package directory (package.json, dist/, README.md, LICENSE)
#   build/wasm/callsight-<version>.tgz   `npm pack` of it
# Idempotent: reruns only rebuild what changed. Called by scripts/build.
set -euo pipefail
WASM="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# ROOT, BUILD, JOBS, NODE_PATH (Debian's emcc needs its node modules), say, die.
source "$WASM/../scripts/lib.sh"
OUT="$BUILD/wasm"
PKG="$OUT/package"

have emcmake || die "emcmake not found: run scripts/setup (apt-get install emscripten)"
have npm || die "npm not found: run scripts/setup"

VERSION="$(project_version)"
[[ -n "$VERSION" ]] || die "cannot read the project version from CMakeLists.txt"

say "wasm build (emcmake, Release) -> $OUT"
if [[ ! -f "$OUT/CMakeCache.txt" ]]; then
  emcmake cmake -S "$WASM" -B "$OUT" -DCMAKE_BUILD_TYPE=Release >/dev/null
fi
cmake --build "$OUT" -j "$JOBS"

say "npm package $VERSION -> $PKG"
rm -rf "$PKG"
mkdir -p "$PKG/dist"
cp "$OUT/out/engine.js" "$OUT/out/engine.wasm" "$PKG/dist/"
cp "$WASM"/js/*.js "$PKG/dist/"
cp "$WASM"/types/*.d.ts "$PKG/dist/"
cp "$WASM/README.md" "$PKG/README.md"
if [[ -f "$ROOT/LICENSE" ]]; then
  cp "$ROOT/LICENSE" "$PKG/LICENSE"
else
  cp "$WASM/LICENSE" "$PKG/LICENSE"
fi
# package.json: the template with the project version filled in.
sed "s/\"version\": \"0.0.0-see-CMakeLists\"/\"version\": \"$VERSION\"/" "$WASM/package.json" > "$PKG/package.json"
grep -q "\"version\": \"$VERSION\"" "$PKG/package.json" || die "package.json version not set"

say "npm pack -> $OUT/callsight-$VERSION.tgz"
rm -f "$OUT"/callsight-*.tgz
(cd "$PKG" && npm pack --pack-destination "$OUT" --loglevel=error >/dev/null)
[[ -f "$OUT/callsight-$VERSION.tgz" ]] || die "npm pack did not write callsight-$VERSION.tgz"
wasm_bytes=$(stat -c %s "$PKG/dist/engine.wasm")
wasm_gz=$(gzip -9 -c "$PKG/dist/engine.wasm" | wc -c)
echo "engine.wasm: $wasm_bytes bytes ($wasm_gz gzipped); package: $OUT/callsight-$VERSION.tgz"
