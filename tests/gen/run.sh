#!/usr/bin/env bash
# The dump generator's tests (scripts/gen/dumps.mjs against the recordings in
# tests/data/dumps/, and the native CLI reading what it writes) and the fleet
# generator's (scripts/gen/fleet.mjs). No npm deps.
set -euo pipefail
cd "$(dirname "$0")/../.."
node --test tests/gen/
