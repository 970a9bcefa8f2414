#!/usr/bin/env bash
# Builds the static dashboard into build/site/ (index.html, app.js, app.css, the
# engine's worker + engine.wasm under engine/, the sample session under sample/).
# Needs the npm package of the engine (build/wasm/package, made by wasm/build.sh).
# Deploy build/site/ to any static host; serve it locally with web/serve.mjs.
set -euo pipefail
WEB="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
source "$WEB/../scripts/lib.sh"
PKG="${CALLSIGHT_WASM_PACKAGE:-$BUILD/wasm/package}"

say "static site -> $BUILD/site"
if [[ ! -d "$PKG" ]]; then
  echo "error: the engine's npm package is missing: $PKG" >&2
  echo "       build it first (wasm/build.sh, or scripts/build which runs it before web/build.sh)" >&2
  exit 1
fi
have node || die "node is not installed (scripts/setup)"

npm_ci_if_stale "$WEB" esbuild uplot

node "$WEB/build.mjs" --package "$PKG" --out "$BUILD/site" --samples "$ROOT/samples/sample-session" "$@"
