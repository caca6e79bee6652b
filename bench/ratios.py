#!/usr/bin/env python3
"""imagesync / skopeo ratios from one results.jsonl: median wall time, CPU and requests per set and phase.
A ratio below 1 means imagesync is faster (or makes fewer requests).

    ratios.py RESULTS.jsonl
"""
import json, statistics, sys

if len(sys.argv) != 2:
    sys.exit(__doc__)
runs = {}
for line in open(sys.argv[1]):
    r = json.loads(line)
    runs.setdefault(r["label"], []).append(r)


def median(label, key):
    values = [key(r) for r in runs.get(label, []) if r["rc"] == 0]
    return statistics.median(values) if values else None


def requests(r):
    return sum(v["total"] for v in r["requests"].values())


print("| set | phase | peer | imagesync wall s | peer wall s | wall ratio | CPU ratio | request ratio |")
print("|---|---|---|---|---|---|---|---|")
for label in sorted(l for l in runs if "-imagesync-" in l):
    set_name, _, phase = label.split("-", 2)[0], None, label.rsplit("-", 1)[1]
    for peer in ("copy", "sync"):
        other = f"{set_name}-skopeo-{peer}-{phase}"
        if other not in runs:
            continue
        ours, theirs = median(label, lambda r: r["wall_s"]), median(other, lambda r: r["wall_s"])
        cpu = (median(label, lambda r: r["cpu_s"]) or 0) / max(median(other, lambda r: r["cpu_s"]) or 0.01, 0.01)
        req = median(label, requests) / max(median(other, requests), 1)
        print(f"| {set_name} | {phase} | skopeo {peer} | {ours:.2f} | {theirs:.2f} | {ours / theirs:.2f} | {cpu:.2f} | {req:.2f} |")

for set_name in sorted({l.split("-", 1)[0] for l in runs if "-buildsh-" in l}):
    direct, bootstrap = median(f"{set_name}-imagesync-warm", lambda r: r["wall_s"]), median(f"{set_name}-buildsh-warm", lambda r: r["wall_s"])
    if direct is not None and bootstrap is not None:
        print(f"\n{set_name}: ./build.sh on unchanged sources adds {bootstrap - direct:+.3f} s to a warm run ({direct:.3f} s direct, {bootstrap:.3f} s through build.sh)")
