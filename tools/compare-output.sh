#!/usr/bin/env bash
# Check that a change to the detectors changed nothing users see: run two ccguard binaries over
# the real corpora and compare their JSON byte for byte. Used for every speed-up and every
# restructuring (see docs/performance.md).
#
#   git stash; cargo build --release; cp target/release/ccguard /tmp/ccguard-before; git stash pop
#   cargo build --release
#   tools/compare-output.sh /tmp/ccguard-before target/release/ccguard [DIR...]
#
# DIR defaults to ../shared/corpus/{md,html,dev}. Exit status 1 when any output differs.
set -uo pipefail
before=${1:?usage: compare-output.sh BEFORE AFTER [DIR...]}
after=${2:?usage: compare-output.sh BEFORE AFTER [DIR...]}
shift 2
dirs=("$@")
if [ ${#dirs[@]} -eq 0 ]; then
    root=$(cd "$(dirname "$0")/.." && pwd)
    dirs=("$root/../shared/corpus/md" "$root/../shared/corpus/html" "$root/../shared/corpus/dev")
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
status=0
for dir in "${dirs[@]}"; do
    "$before" check --offline --format json --fail-on never "$dir" >"$work/before.json" 2>/dev/null
    "$after" check --offline --format json --fail-on never "$dir" >"$work/after.json" 2>/dev/null
    if cmp -s "$work/before.json" "$work/after.json"; then
        echo "$dir: identical"
    else
        echo "$dir: DIFFERENT"
        diff <(python3 -m json.tool "$work/before.json") <(python3 -m json.tool "$work/after.json") | head -20
        status=1
    fi
done
exit $status
