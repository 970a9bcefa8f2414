# Shared helpers for the scripts in this folder. Source it; do not run it.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BUILD="${CALLSIGHT_BUILD_DIR:-$ROOT/build}"
JOBS="${JOBS:-$(nproc 2>/dev/null || echo 2)}"
# emcc from Debian needs its node modules on NODE_PATH.
export NODE_PATH="${NODE_PATH:-/usr/share/nodejs}"

say() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }
die() { printf 'error: %s\n' "$*" >&2; exit 1; }
have() { command -v "$1" >/dev/null 2>&1; }
# The project's version, from the top-level CMakeLists.txt (empty if not found).
project_version() { sed -n 's/^project(callsight VERSION \([0-9.]*\).*/\1/p' "$ROOT/CMakeLists.txt"; }

# `npm ci` in DIR (absolute, or relative to ROOT) when its node_modules is
# missing or older than its lock file. Extra arguments name packages that must
# be installed (a node_modules from an older lock may lack them).
npm_ci_if_stale() {
  local dir="$1"; shift
  [[ "$dir" = /* ]] || dir="$ROOT/$dir"
  local stale=0
  [[ -d "$dir/node_modules" && ! "$dir/package-lock.json" -nt "$dir/node_modules/.package-lock.json" ]] || stale=1
  local pkg
  for pkg in "$@"; do [[ -d "$dir/node_modules/$pkg" ]] || stale=1; done
  if (( stale )); then
    say "npm ci in ${dir#"$ROOT"/}"
    (cd "$dir" && npm ci --no-audit --no-fund --loglevel=error)
  fi
}

# The chromium the browser tests and the benchmark start, found as
# scripts/lib/chromium.mjs finds it ($CHROMIUM_PATH, else Debian's paths).
# Prints nothing when there is none.
chromium_path() {
  if [[ -n "${CHROMIUM_PATH:-}" ]]; then echo "$CHROMIUM_PATH"; return; fi
  local p
  for p in /usr/bin/chromium /usr/lib/chromium/chromium; do
    [[ -x "$p" ]] && { echo "$p"; return; }
  done
  return 0
}

# Dies naming the fix when chromium is missing; $1 adds a hint.
need_chromium() {
  local p
  p="$(chromium_path)"
  [[ -n "$p" && -x "$p" ]] || die "chromium is missing (apt-get install -y chromium, or scripts/setup)${1:+; $1}"
}
