#!/usr/bin/env bash
# The latency rows (issue 18 section 4, issue 21): the registries behind a delay proxy that adds DELAY_MS (default 25)
# to every request, as a registry 20-100 ms away does, against the same proxy at 0 ms and against no proxy at all.
#
#   bench/latency.sh TOOL-COMMAND...     (called by bench/run.sh latency; RESULTS, BENCH_BASE as there)
#
# Rows, each imagesync and `skopeo sync` in the same run, rounds alternating the tools:
#   lat_warm_0ms, lat_warm_25ms   1,000 tags already in sync (one index under 1,000 tags): a warm SyncAll with the
#                                 defaults against a warm `skopeo sync --all`, through the proxy at 0 ms and at 25 ms
#   lat_cold_0ms, lat_cold_25ms   the small set (seed.sh small) copied into an empty target: SyncAll against
#                                 `skopeo sync --all`
#   lat_warm_direct, lat_cold_direct   imagesync with no proxy: what the proxy itself costs (0 ms row minus this)
# env: LATENCY_REPEAT=3   rounds of the imagesync rows and of skopeo's cold rows
#      LATENCY_PEER_REPEAT=1   rounds of skopeo's warm rows (the 25 ms one takes about 7 minutes: 16,000 requests,
#                              one at a time)
#      DELAY_MS=25 TAGS=1000
# The proxy (bench/delay-proxy, built once by lib/delay-proxy.sh) counts the requests it delayed and the delay they
# really got; every row records that beside the registries' access-log counts (lib/proxy-stats.py), and
# latency.py prints the rows, the delay added against its ideal, the proxy's own cost and that the counts agree.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
lib=$here/lib
root=$(dirname "$here")
export BENCH_BASE=${BENCH_BASE:-/tmp/imagesync-bench}
export RESULTS=${RESULTS:-$BENCH_BASE/results-latency.jsonl}
REPEAT=${LATENCY_REPEAT:-3}
PEER_REPEAT=${LATENCY_PEER_REPEAT:-1}
DELAY_MS=${DELAY_MS:-25}
TAGS=${TAGS:-1000}
tool=("$@")
[ ${#tool[@]} -gt 0 ] || { echo "usage: latency.sh TOOL-COMMAND..." >&2; exit 2; }
# The ideal divides by the tool's own default, read from the source so that it stays true.
checks=$(sed -n 's/.*const int DefaultChecks = \([0-9]*\);.*/\1/p' "$root/src/ImageSync/Registry/SessionSettings.cs")
[ -n "$checks" ] || { echo "latency.sh: DefaultChecks not found in SessionSettings.cs" >&2; exit 1; }

# skopeo's blob-info cache would make a cold run warm: our own, emptied before each cold run (lib/skopeo-cache.sh).
skopeo_cache=$BENCH_BASE/latency-skopeo-cache
. "$lib/skopeo-cache.sh"
private_skopeo_cache LATENCY_NS "$skopeo_cache" "$0" "$@"

proxy=$("$lib/delay-proxy.sh")
# Registries: warm upstream/target, cold upstream/target on LATENCY_PORT_BASE (default 5410) and the three ports
# after it; their proxies at DELAY_MS 100 ports higher, at 0 ms 200 higher.
base=${LATENCY_PORT_BASE:-5410}
wu=$base wt=$((base + 1)) cu=$((base + 2)) ct=$((base + 3))
names="latency-up latency-tg latency-cold-up latency-cold-tg"
proxy_out=$BENCH_BASE/delay-proxy.out proxy_stats=${RESULTS%.jsonl}-proxy.jsonl
proxy_pid=
cleanup() {
    [ -z "$proxy_pid" ] || kill "$proxy_pid" 2>/dev/null || true
    for n in $names; do "$lib/registry.sh" stop "$n" >/dev/null 2>&1 || true; done
}
trap cleanup EXIT
for n in $names; do "$lib/registry.sh" wipe "$n" >/dev/null; done
"$lib/registry.sh" start latency-up $wu >/dev/null; "$lib/registry.sh" start latency-tg $wt >/dev/null
"$lib/registry.sh" start latency-cold-up $cu >/dev/null
routes=()
for p in $wu $wt $cu $ct; do routes+=("$((p + 100)):$p:$DELAY_MS" "$((p + 200)):$p:0"); done
# Niced up where we may: a delay is the network's, and should not grow with the load of the machine that measures.
prio=(); nice -n -10 true 2>/dev/null && prio=(nice -n -10)
"${prio[@]}" $proxy "${routes[@]}" >"$proxy_out" 2>"$BENCH_BASE/delay-proxy.err" &
proxy_pid=$!
for _ in $(seq 100); do grep -q '^ready' "$proxy_out" && break; sleep 0.05; done
grep -q '^ready' "$proxy_out" || { cat "$BENCH_BASE/delay-proxy.err" >&2; exit 1; }
# A snapshot of the proxy's counters: SIGUSR1 makes it print one line per route.
snapshot() {
    local lines; lines=$(wc -l <"$proxy_out")
    kill -USR1 "$proxy_pid"
    for _ in $(seq 200); do [ "$(wc -l <"$proxy_out")" -ge $((lines + ${#routes[@]})) ] && break; sleep 0.01; done
    tail -n "${#routes[@]}" "$proxy_out" >"$1"
    echo "cpu_ticks=$(awk '{print $14 + $15}' "/proc/$proxy_pid/stat")" >>"$1"
}
# timed LABEL UPSTREAM TARGET CMD...: one measured run, with what the proxy delayed while it ran.
timed() {
    local label=$1; export MEASURE_REGISTRIES="$2 $3"; shift 3
    snapshot "$BENCH_BASE/proxy-before.txt"
    "$lib/measure.sh" "$label" "$@" >/dev/null || true
    snapshot "$BENCH_BASE/proxy-after.txt"
    "$lib/proxy-stats.py" "$label" "$BENCH_BASE/proxy-before.txt" "$BENCH_BASE/proxy-after.txt" >>"$proxy_stats"
}
at() { case $1 in direct) echo "$2";; 0ms) echo $(($2 + 200));; *) echo $(($2 + 100));; esac; }
delays=(direct 0ms "${DELAY_MS}ms")

# Warm case: one index under $TAGS tags in one repository, so a tag check is two HEADs whatever the image.
"$lib/seed.sh" small $wu >/dev/null
python3 - "$wu" "$TAGS" <<'PY'
import sys, urllib.request
port, n = sys.argv[1], int(sys.argv[2])
accept = "application/vnd.oci.image.index.v1+json"
r = urllib.request.urlopen(urllib.request.Request(f"http://127.0.0.1:{port}/v2/examples-httpbin/manifests/1.0", headers={"Accept": accept}))
body, kind = r.read(), r.headers["Content-Type"]
for i in range(n):
    urllib.request.urlopen(urllib.request.Request(f"http://127.0.0.1:{port}/v2/examples-httpbin/manifests/t{i}", data=body, method="PUT", headers={"Content-Type": kind})).read()
PY
warm_config=$BENCH_BASE/imagesync-latency-warm.json
python3 -c 'import json,sys; n=int(sys.argv[1]); print(json.dumps({"images":[{"name":"many","upstream":"up.bench/examples-httpbin","target":"tg.bench/mirror/many","tags":[f"t{i}" for i in range(n)]}]}))' "$TAGS" >"$warm_config"
# Bring the target in sync directly, so every timed warm run is warm.
"${tool[@]}" SyncAll --config "$warm_config" --registry "up.bench=http://127.0.0.1:$wu" --registry "tg.bench=http://127.0.0.1:$wt" >/dev/null
# skopeo sync logs a line per tag on stderr: kept out of the report (lib/quiet.sh).
skopeo_docker=("$lib/quiet.sh" skopeo sync --all --src docker --dest docker --src-tls-verify=false --dest-tls-verify=false)
skopeo_yaml=("$lib/quiet.sh" skopeo sync --all --src yaml --dest docker --dest-tls-verify=false)
"${skopeo_docker[@]}" "127.0.0.1:$wu/examples-httpbin" "127.0.0.1:$wt/skopeo" >/dev/null

# Cold case: the small set in its own upstream, copied into a target wiped before every run.
"$lib/seed.sh" small $cu >/dev/null
cold_bytes=$("$lib/regtool.py" bytes "127.0.0.1:$cu")
"$lib/regtool.py" tags "127.0.0.1:$cu" >"$BENCH_BASE/latency-cold-tags.txt"
cold_config() {   # cold_config UPSTREAM_PORT TARGET_PORT: the imagesync config for the small set
    python3 -c '
import json, sys
repos = {}
for line in open(sys.argv[1]):
    repo, tag = line.strip().rsplit(":", 1)
    repos.setdefault(repo, []).append(tag)
print(json.dumps({"images": [{"name": r, "upstream": f"127.0.0.1:{sys.argv[2]}/{r}", "target": f"127.0.0.1:{sys.argv[3]}/{r}", "tags": t} for r, t in repos.items()]}))
' "$BENCH_BASE/latency-cold-tags.txt" "$1" "$2" >"$BENCH_BASE/imagesync-latency-cold-$1.json"
    echo "$BENCH_BASE/imagesync-latency-cold-$1.json"
}
sync_yaml() {   # sync_yaml UPSTREAM_PORT: every tag of every repository
    { echo "127.0.0.1:$1:"; echo "  tls-verify: false"; echo "  images-by-tag-regex:"
      cut -d: -f1 "$BENCH_BASE/latency-cold-tags.txt" | sort -u | sed 's/.*/    &: ".*"/'; } >"$BENCH_BASE/skopeo-latency-cold-$1.yaml"
    echo "$BENCH_BASE/skopeo-latency-cold-$1.yaml"
}
compare() {   # every cold copy is checked: every tag, child manifest and blob in the target
    "$lib/regtool.py" compare "127.0.0.1:$cu" "127.0.0.1:$ct" >"$BENCH_BASE/latency-compare.txt" \
        || { cat "$BENCH_BASE/latency-compare.txt" >&2; exit 1; }
}
fresh_target() {
    "$lib/registry.sh" wipe latency-cold-tg >/dev/null
    "$lib/registry.sh" start latency-cold-tg $ct >/dev/null
    rm -f "$skopeo_cache"/*
    sync
}
# One untimed cold copy primes the upstream's caches for the first measured run as for the last; then the framing
# check (chunked and Content-Length bodies, pipelined requests sent a byte at a time) through the 0 ms proxy into
# the target wiped next.
fresh_target
"${tool[@]}" SyncAll --config "$(cold_config $cu $ct)" >/dev/null
python3 "$root/bench/delay-proxy/framing-check.py" "$(at 0ms $ct)" >/dev/null

echo "latency: $TAGS warm tags, small set cold ($cold_bytes bytes), delay $DELAY_MS ms, --checks $checks by default, load $(cut -d' ' -f1-3 /proc/loadavg)"
for round in $(seq "$REPEAT"); do
    for d in "${delays[@]}"; do
        timed "lat_warm_$d-imagesync-warm" latency-up latency-tg "${tool[@]}" SyncAll --config "$warm_config" \
            --registry "up.bench=http://127.0.0.1:$(at "$d" $wu)" --registry "tg.bench=http://127.0.0.1:$(at "$d" $wt)"
    done
    if [ "$round" -le "$PEER_REPEAT" ]; then
        for d in 0ms "${DELAY_MS}ms"; do
            timed "lat_warm_$d-skopeo-sync-warm" latency-up latency-tg \
                "${skopeo_docker[@]}" "127.0.0.1:$(at "$d" $wu)/examples-httpbin" "127.0.0.1:$(at "$d" $wt)/skopeo"
        done
    fi
    for d in "${delays[@]}"; do
        fresh_target
        MEASURE_BYTES=$cold_bytes timed "lat_cold_$d-imagesync-cold" latency-cold-up latency-cold-tg \
            "${tool[@]}" SyncAll --config "$(cold_config "$(at "$d" $cu)" "$(at "$d" $ct)")"
        compare
    done
    for d in 0ms "${DELAY_MS}ms"; do
        fresh_target
        MEASURE_BYTES=$cold_bytes timed "lat_cold_$d-skopeo-sync-cold" latency-cold-up latency-cold-tg \
            "${skopeo_yaml[@]}" "$(sync_yaml "$(at "$d" $cu)")" "127.0.0.1:$(at "$d" $ct)"
        compare
    done
done
echo
"$here/latency.py" "$RESULTS" "$proxy_stats" "$DELAY_MS" "$TAGS" "$checks"
