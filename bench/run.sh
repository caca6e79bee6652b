#!/usr/bin/env bash
# Benchmark imagesync against skopeo on the same loopback registries in the same run, and print ratios.
#
#   bench/run.sh [small|large|latency|all]...   (default: all; REPEAT=3 runs per row; latency: see latency.sh)
#
# For each image set: seed an upstream registry (bench/lib/seed.sh), then REPEAT rounds of: wipe the target and time
# a cold and a warm `SyncAll` of the tool build.sh built (and the warm one again through ./build.sh, for what the
# bootstrap adds), then the same for `skopeo copy --all` and `skopeo sync --all`
# (bench/lib/peer-skopeo.sh). Every run is checked with regtool.py compare. Results: $RESULTS (JSON lines),
# a table per label (report.py) and the imagesync/skopeo ratios (ratios.py). Wall times include process start.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(dirname "$here")
lib=$here/lib
export BENCH_BASE=${BENCH_BASE:-/tmp/imagesync-bench}
export RESULTS=${RESULTS:-$BENCH_BASE/results-$(date -u +%Y%m%dT%H%M%SZ).jsonl}
REPEAT=${REPEAT:-3}
sets=${*:-all}; [ "$sets" = all ] && sets="small large latency"

need=()
for tool in docker-registry:docker-registry skopeo:skopeo curl:curl python3:python3 /usr/bin/time:time; do
    command -v "${tool%%:*}" >/dev/null 2>&1 || need+=("${tool#*:}")
done
if [ ${#need[@]} -gt 0 ]; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null
fi

# The tool as users run it: built by build.sh (ahead of time where a C compiler is present, else ReadyToRun).
"$root/build.sh" --help >/dev/null
out=$root/.artifacts/build
if [ -f "$out/_build.dll" ]; then tool=(dotnet "$out/_build.dll"); else tool=("$out/_build"); fi

names="upstream target"
trap 'for n in $names; do "$lib/registry.sh" stop "$n" >/dev/null 2>&1 || true; done' EXIT
echo "imagesync ($(cat "$out/.built") build) vs skopeo $(skopeo --version | cut -d' ' -f3), $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"
for set_name in $sets; do
    if [ "$set_name" = latency ]; then
        "$here/latency.sh" "${tool[@]}"
        continue
    fi
    upstream_port=5400 target_port=5401
    "$lib/registry.sh" wipe upstream >/dev/null
    "$lib/registry.sh" start upstream "$upstream_port" >/dev/null
    "$lib/seed.sh" "$set_name" "$upstream_port"
    src=127.0.0.1:$upstream_port dst=127.0.0.1:$target_port
    config=$BENCH_BASE/imagesync-$set_name.json
    "$lib/regtool.py" tags "$src" | python3 -c '
import json, sys
src, dst = sys.argv[1], sys.argv[2]
repos = {}
for line in sys.stdin:
    repo, tag = line.strip().rsplit(":", 1)
    repos.setdefault(repo, []).append(tag)
print(json.dumps({"images": [{"name": r, "upstream": f"{src}/{r}", "target": f"{dst}/{r}", "tags": t} for r, t in repos.items()]}, indent=2))
' "$src" "$dst" >"$config"
    bytes=$("$lib/regtool.py" bytes "$src")
    export MEASURE_REGISTRIES="upstream target"
    # One untimed copy first: the upstream registry's caches and the page cache are then as warm for the first
    # measured run as for the last (without it, imagesync, which runs first, paid for them alone: 2.62 s against 2.0-2.1 s).
    "$lib/registry.sh" wipe target >/dev/null
    "$lib/registry.sh" start target "$target_port" >/dev/null
    "${tool[@]}" SyncAll --config "$config" >/dev/null
    "$lib/registry.sh" stop target >/dev/null
    for _ in $(seq "$REPEAT"); do
        "$lib/registry.sh" wipe target >/dev/null
        "$lib/registry.sh" start target "$target_port" >/dev/null
        sync
        MEASURE_BYTES=$bytes "$lib/measure.sh" "$set_name-imagesync-cold" "${tool[@]}" SyncAll --config "$config" >/dev/null
        "$lib/measure.sh" "$set_name-imagesync-warm" "${tool[@]}" SyncAll --config "$config" >/dev/null
        # The same warm run through ./build.sh on unchanged sources: what the bootstrap adds to every call.
        "$lib/measure.sh" "$set_name-buildsh-warm" "$root/build.sh" SyncAll --config "$config" >/dev/null
        "$lib/regtool.py" compare "$src" "$dst"
        "$lib/registry.sh" stop target >/dev/null
        # Rounds alternate the tools (ours, skopeo copy, skopeo sync, ours, ...): a drift of the machine over the set
        # falls on all of them alike. Run as blocks, imagesync's five large cold runs fell from 2.42 s to 1.80 s.
        REPEAT=1 UPSTREAM_NAME=upstream UPSTREAM_PORT=$upstream_port TARGET_NAME=target TARGET_PORT=$target_port \
            LABEL_PREFIX=$set_name- "$lib/peer-skopeo.sh" copy sync >/dev/null
    done
done
echo
"$lib/report.py" "$RESULTS"
echo
"$here/ratios.py" "$RESULTS"
