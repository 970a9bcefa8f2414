#!/usr/bin/env bash
# Records two scenarios (clean, freeze) fresh from headless chromium into a
# temporary folder (about a minute), checks the recordings are real dumps of
# the call their truth.json describes (verify.mjs), checks the truth checker
# itself (check.test.mjs), then compares the engine's report on the fresh and
# the committed recordings with their truth (check.mjs: skips while the CLI
# does not read dumps; here it must read them).
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
source "$HERE/../../scripts/lib.sh"

need_chromium
npm_ci_if_stale "$HERE" playwright-core
OUT="$(mktemp -d "${TMPDIR:-/tmp}/callsight-dumps.XXXXXX")"
trap 'rm -rf "$OUT"' EXIT

node "$HERE/record.mjs" --out "$OUT" clean freeze
node "$HERE/verify.mjs" "$OUT/clean" "$OUT/freeze" "$ROOT"/tests/data/dumps/*/
node --test "$HERE"/*.test.mjs
[[ -x "$BUILD/native/callsight" ]] || die "$BUILD/native/callsight is not built (scripts/build)"
node "$HERE/check.mjs" --require-engine "$OUT/clean" "$OUT/freeze" "$ROOT"/tests/data/dumps/*/
