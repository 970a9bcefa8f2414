#!/usr/bin/env bash
# CLI end-to-end tests (node:test). Needs the native build (scripts/build).
set -euo pipefail
cd "$(dirname "$0")"
[[ -d node_modules ]] || npm ci --no-audit --no-fund --loglevel=error
exec node --test cli.test.mjs fleet.test.mjs
