#!/usr/bin/env bash
# Engine bug repro (CLI, core/cli/main.cpp): a file over the 1 GiB limit is refused
# by ReadFile ("cannot read: the file has N bytes, more than the limit of N") before
# it reaches the engine, so it is missing from report.inputs. The npm package hands
# the same file to the engine, which lists it as {status: "rejected", bytes: N} with
# "the file is 1.0 GiB, larger than the limit of 1.0 GiB". The reports of the CLI
# and the package differ, and the CLI's report does not list every input.
#   tests/badinput/repro/cli-too-large-not-in-report.sh [path/to/callsight]
set -euo pipefail
CLI="${1:-$(dirname "$0")/../../../build/native/callsight}"
dir="$(mktemp -d)"
trap 'rm -rf "$dir"' EXIT
printf '{' > "$dir/huge.json"
truncate -s $((1024 * 1024 * 1024 + 1)) "$dir/huge.json"   # sparse: no disk blocks
set +e
"$CLI" analyze "$dir/huge.json" > "$dir/out.json"
echo "exit $?"
set -e
node -e 'const r = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
console.log("report.inputs:", JSON.stringify(r.inputs));
process.exitCode = r.inputs.length === 1 ? 0 : 1;
if (process.exitCode) console.log("BUG: the too-large file is not listed in report.inputs");' "$dir/out.json"
