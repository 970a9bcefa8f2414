#!/usr/bin/env bash
# docs/TABLES.md's SQL on a real DuckDB (npm @duckdb/node-api) and a real
# ClickHouse server (Debian's clickhouse-server, started by the test), checked
# against `callsight fleet`. Needs the native build (scripts/build).
set -euo pipefail
cd "$(dirname "$0")"
[[ -d node_modules/@duckdb/node-api ]] || npm ci --no-audit --no-fund --loglevel=error
exec node --test sql.test.mjs
