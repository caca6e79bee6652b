#!/usr/bin/env bash
# The latency-bound case: 1,000 tags already in sync, both registries behind a proxy that adds DELAY_MS (default 25)
# to every request, as real registries are 20-100 ms away. Times a warm `SyncAll` with default settings against a
# warm `skopeo sync` on the same registries, REPEAT times (default 1: skopeo takes about two minutes here).
#
#   bench/latency.sh           (called by bench/run.sh latency; RESULTS, BENCH_BASE as there)
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
lib=$here/lib
export BENCH_BASE=${BENCH_BASE:-/tmp/imagesync-bench}
export RESULTS=${RESULTS:-$BENCH_BASE/results-latency.jsonl}
REPEAT=${LATENCY_REPEAT:-1}
DELAY_MS=${DELAY_MS:-25}
TAGS=${TAGS:-1000}
tool=("$@")
[ ${#tool[@]} -gt 0 ] || { echo "usage: latency.sh TOOL-COMMAND..." >&2; exit 2; }

up=5410 tg=5411 slow_up=5510 slow_tg=5511
pids=()
cleanup() { kill "${pids[@]}" 2>/dev/null || true; "$lib/registry.sh" stop latency-up >/dev/null 2>&1 || true; "$lib/registry.sh" stop latency-tg >/dev/null 2>&1 || true; }
trap cleanup EXIT
"$lib/registry.sh" wipe latency-up >/dev/null; "$lib/registry.sh" wipe latency-tg >/dev/null
"$lib/registry.sh" start latency-up "$up" >/dev/null; "$lib/registry.sh" start latency-tg "$tg" >/dev/null
"$lib/seed.sh" small "$up" >/dev/null
# One index under $TAGS tags in one repository: a tag check is two HEADs, whatever the image.
python3 - "$up" "$TAGS" <<'PY'
import sys, urllib.request
port, n = sys.argv[1], int(sys.argv[2])
accept = "application/vnd.oci.image.index.v1+json"
r = urllib.request.urlopen(urllib.request.Request(f"http://127.0.0.1:{port}/v2/examples-httpbin/manifests/1.0", headers={"Accept": accept}))
body, kind = r.read(), r.headers["Content-Type"]
for i in range(n):
    urllib.request.urlopen(urllib.request.Request(f"http://127.0.0.1:{port}/v2/examples-httpbin/manifests/t{i}", data=body, method="PUT", headers={"Content-Type": kind})).read()
PY
config=$BENCH_BASE/imagesync-latency.json
python3 -c 'import json,sys; n=int(sys.argv[1]); print(json.dumps({"images":[{"name":"many","upstream":"up.bench/examples-httpbin","target":"tg.bench/mirror/many","tags":[f"t{i}" for i in range(n)]}]}))' "$TAGS" >"$config"
# Bring the target in sync directly (no delay), so every timed run below is warm.
"${tool[@]}" SyncAll --config "$config" --registry "up.bench=http://127.0.0.1:$up" --registry "tg.bench=http://127.0.0.1:$tg" >/dev/null
skopeo sync --all --src docker --dest docker --src-tls-verify=false --dest-tls-verify=false \
    "127.0.0.1:$up/examples-httpbin" "127.0.0.1:$tg/skopeo" >/dev/null 2>&1
python3 "$lib/delay-proxy.py" "$slow_up" "$up" "$DELAY_MS" & pids+=($!)
python3 "$lib/delay-proxy.py" "$slow_tg" "$tg" "$DELAY_MS" & pids+=($!)
sleep 1
export MEASURE_REGISTRIES="latency-up latency-tg"
for _ in $(seq "$REPEAT"); do
    "$lib/measure.sh" latency-imagesync-warm "${tool[@]}" SyncAll --config "$config" \
        --registry "up.bench=http://127.0.0.1:$slow_up" --registry "tg.bench=http://127.0.0.1:$slow_tg" >/dev/null
    # skopeo sync logs a line per tag on stderr; keep it out of the report.
    "$lib/measure.sh" latency-skopeo-sync-warm "$lib/quiet.sh" skopeo sync --all --src docker --dest docker --src-tls-verify=false --dest-tls-verify=false \
        "127.0.0.1:$slow_up/examples-httpbin" "127.0.0.1:$slow_tg/skopeo" >/dev/null
done
