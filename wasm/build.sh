#!/usr/bin/env bash
# Builds the WebAssembly engine and the npm package `callsight`:
#   build/wasm/              emcmake build tree of wasm/CMakeLists.txt (core/ + src/binding.cpp)
#   build/wasm-node/         the same with -DCALLSIGHT_WASM_THREADS=ON (Node, wasm threads)
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

# One build tree per flavour (see wasm/CMakeLists.txt).
build_flavour() {  # DIR [cmake options...]
  local dir="$1"
  shift
  if [[ ! -f "$dir/CMakeCache.txt" ]]; then
    emcmake cmake -S "$WASM" -B "$dir" -DCMAKE_BUILD_TYPE=Release "$@" >/dev/null
  fi
  cmake --build "$dir" -j "$JOBS"
}
say "wasm build (emcmake, Release) -> $OUT"
build_flavour "$OUT"
say "wasm build, threaded for Node -> $BUILD/wasm-node"
build_flavour "$BUILD/wasm-node" -DCALLSIGHT_WASM_THREADS=ON

say "npm package $VERSION -> $PKG"
rm -rf "$PKG"
mkdir -p "$PKG/dist"
cp "$OUT/out/engine.js" "$OUT/out/engine.wasm" "$PKG/dist/"
# The threaded flavour is CommonJS: its folder says so, as the package is "type": "module".
mkdir -p "$PKG/dist/node"
cp "$BUILD/wasm-node/out/engine.cjs" "$BUILD/wasm-node/out/engine.worker.js" \
  "$BUILD/wasm-node/out/engine.wasm" "$PKG/dist/node/"
echo '{ "type": "commonjs" }' > "$PKG/dist/node/package.json"
cp "$WASM"/js/*.js "$PKG/dist/"
cp "$WASM"/types/*.d.ts "$PKG/dist/"
cp "$WASM/README.md" "$PKG/README.md"
if [[ -f "$ROOT/LICENSE" ]]; then
  cp "$ROOT/LICENSE" "$PKG/LICENSE"
else
  cp "$WASM/LICENSE" "$PKG/LICENSE"
fi
# package.json: the template with the project version filled in, and without its
# scripts (its prepack stops `npm pack` in wasm/, see wasm/prepack.mjs).
node -e '
  const fs = require("fs");
  const [from, to, version] = process.argv.slice(1);
  const pkg = JSON.parse(fs.readFileSync(from, "utf8"));
  pkg.version = version;
  delete pkg.scripts;
  fs.writeFileSync(to, JSON.stringify(pkg, null, 2) + "\n");
' "$WASM/package.json" "$PKG/package.json" "$VERSION"
grep -q "\"version\": \"$VERSION\"" "$PKG/package.json" || die "package.json version not set"

say "npm pack -> $OUT/callsight-$VERSION.tgz"
rm -f "$OUT"/callsight-*.tgz
(cd "$PKG" && npm pack --pack-destination "$OUT" --loglevel=error >/dev/null)
[[ -f "$OUT/callsight-$VERSION.tgz" ]] || die "npm pack did not write callsight-$VERSION.tgz"
wasm_bytes=$(stat -c %s "$PKG/dist/engine.wasm")
wasm_gz=$(gzip -9 -c "$PKG/dist/engine.wasm" | wc -c)
echo "engine.wasm: $wasm_bytes bytes ($wasm_gz gzipped); package: $OUT/callsight-$VERSION.tgz"
