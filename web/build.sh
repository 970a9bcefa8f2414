#!/usr/bin/env bash
# Builds the static dashboard into build/site/ (index.html, app.js, app.css, the
# engine's worker + engine.wasm under engine/, the sample session under sample/).
# Needs the npm package of the engine (build/wasm/package, made by wasm/build.sh).
# Deploy build/site/ to any static host; serve it locally with web/serve.mjs.
set -euo pipefail
WEB="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(dirname "$WEB")"
BUILD="${CALLSIGHT_BUILD_DIR:-$ROOT/build}"
PKG="${CALLSIGHT_WASM_PACKAGE:-$BUILD/wasm/package}"

printf '\033[1m==> %s\033[0m\n' "static site -> $BUILD/site" >&2
if [[ ! -d "$PKG" ]]; then
  echo "error: the engine's npm package is missing: $PKG" >&2
  echo "       build it first (wasm/build.sh, or scripts/build which runs it before web/build.sh)" >&2
  exit 1
fi
command -v node >/dev/null || { echo "error: node is not installed (scripts/setup)" >&2; exit 1; }

if [[ ! -d "$WEB/node_modules/esbuild" || ! -d "$WEB/node_modules/uplot" \
      || "$WEB/package-lock.json" -nt "$WEB/node_modules/.package-lock.json" ]]; then
  (cd "$WEB" && npm ci --no-audit --no-fund --loglevel=error)
fi

node "$WEB/build.mjs" --package "$PKG" --out "$BUILD/site" --samples "$ROOT/samples/sample-session" "$@"
