#!/usr/bin/env bash
# `callsight fetch` end-to-end tests (node:test) against a local stand-in of the
# 100ms API (server.mjs, 127.0.0.1). Needs the native build (scripts/build); no
# npm packages. The real API is never contacted.
set -euo pipefail
cd "$(dirname "$0")"
exec node --test fetch.test.mjs
