#!/usr/bin/env python3
"""The latency rows of one bench/latency.sh run: imagesync and skopeo sync behind the delay proxy, the delay added
against its ideal, what the proxy itself costs, and whether it delayed every request exactly once.

    latency.py RESULTS.jsonl PROXY.jsonl DELAY_MS TAGS CHECKS

Wall times are medians of the successful runs of a label (min-max beside them when there are several). Requests are
"upstream + target", medians, from the registries' access logs (measure.sh). The ideal for a warm run is
TAGS x 2 HEADs x delay / CHECKS (the tool's default --checks), with the delay the proxy really waited (its timer is
late by a fraction of a millisecond under load); a cold run has no such formula: its added latency is the cold copy
behind the delay minus the same copy through the proxy at 0 ms.
"""
import json, statistics, sys

if len(sys.argv) != 6:
    sys.exit(__doc__)
results, proxy_file, delay, tags, checks = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5])
runs, proxied = {}, {}
for line in open(results):
    r = json.loads(line)
    runs.setdefault(r["label"], []).append(r)
for line in open(proxy_file):
    p = json.loads(line)
    proxied.setdefault(p["label"], []).append(p)
ms = f"{delay}ms"


def ok(label):
    return [r for r in runs.get(label, []) if r["rc"] == 0]


def wall(label):
    values = sorted(r["wall_s"] for r in ok(label))
    return statistics.median(values) if values else None


def cell(label):
    values = sorted(r["wall_s"] for r in ok(label))
    if not values:
        failed = len(runs.get(label, []))
        return f"failed ({failed} runs)" if failed else ""
    text = f"{statistics.median(values):.2f} s"
    if len(values) > 1:
        text += f" ({values[0]:.2f}-{values[-1]:.2f})"
    return text


def requests(label):
    rs = ok(label)
    if not rs:
        return ""
    names = list(rs[0]["requests"])
    return " + ".join(f"{statistics.median(r['requests'][n]['total'] for r in rs):.0f}" for n in names)


def ratio(a, b):
    return f"{a / b:.2f}" if a is not None and b else ""


rows = [
    (f"(a) {tags:,} tags warm, proxy at 0 ms", "lat_warm_0ms", "warm"),
    (f"(b) {tags:,} tags warm, {delay} ms per request", f"lat_warm_{ms}", "warm"),
    (f"(c) small set cold, {delay} ms per request", f"lat_cold_{ms}", "cold"),
    ("small set cold, proxy at 0 ms", "lat_cold_0ms", "cold"),
    (f"{tags:,} tags warm, no proxy", "lat_warm_direct", "warm"),
    ("small set cold, no proxy", "lat_cold_direct", "cold"),
]
print("| row (same run) | imagesync | skopeo sync | ratio | requests (upstream + target): imagesync | skopeo sync |")
print("|---|---|---|---|---|---|")
for title, row, phase in rows:
    ours, theirs = f"{row}-imagesync-{phase}", f"{row}-skopeo-sync-{phase}"
    print(f"| {title} | {cell(ours)} | {cell(theirs)} | {ratio(wall(ours), wall(theirs))} "
          f"| {requests(ours)} | {requests(theirs)} |")


def mean_delay(label):
    """The delay the proxy really added per request over a label's runs (requests-weighted)."""
    n = total = 0
    for p in proxied.get(label, []):
        for route in p["routes"].values():
            if route["delay_ms"] > 0:
                n += route["requests"]
                total += route["requests"] * route["delay_ms_mean"]
    return total / n if n else None


def added(slow, fast):
    a, b = wall(slow), wall(fast)
    return None if a is None or b is None else a - b


print()
warm_added = added(f"lat_warm_{ms}-imagesync-warm", "lat_warm_0ms-imagesync-warm")
real = mean_delay(f"lat_warm_{ms}-imagesync-warm") or delay
ideal = tags * 2 * real / 1000 / checks
if warm_added is not None:
    print(f"- warm: the delay adds {warm_added:.2f} s, (b) - (a); ideal {tags} x 2 x {real:.2f} ms / {checks} checks = "
          f"{ideal:.2f} s: {warm_added / ideal:.2f}x the ideal ({delay} ms asked, {real:.2f} ms waited on average)")
skopeo_warm = added(f"lat_warm_{ms}-skopeo-sync-warm", "lat_warm_0ms-skopeo-sync-warm")
if skopeo_warm is not None:
    print(f"  skopeo sync: the delay adds {skopeo_warm:.1f} s ({skopeo_warm / ideal:.0f}x that ideal: it checks one tag at a time)")
cold_added = added(f"lat_cold_{ms}-imagesync-cold", "lat_cold_0ms-imagesync-cold")
if cold_added is not None:
    print(f"- cold: the delay adds {cold_added:.2f} s to imagesync's copy, (c) - cold at 0 ms (issue 21's goal: at most 0.4 s)", end="")
    skopeo_cold = added(f"lat_cold_{ms}-skopeo-sync-cold", "lat_cold_0ms-skopeo-sync-cold")
    print(f"; {skopeo_cold:.2f} s to skopeo sync's" if skopeo_cold is not None else "")
    r = ratio(wall(f"lat_cold_{ms}-imagesync-cold"), wall(f"lat_cold_{ms}-skopeo-sync-cold"))
    if r:
        print(f"  (c) imagesync / skopeo sync = {r} (issue 21's goal: at most 0.15)")
for phase, what in (("warm", "warm run"), ("cold", "cold copy")):
    cost = added(f"lat_{phase}_0ms-imagesync-{phase}", f"lat_{phase}_direct-imagesync-{phase}")
    direct = wall(f"lat_{phase}_direct-imagesync-{phase}")
    if cost is not None and direct:
        print(f"- the proxy's own cost at 0 ms on imagesync's {what}: {cost:+.3f} s ({cost / direct:+.0%} of {direct:.2f} s direct)")

# The proxy is the instrument: it must have delayed each request the registries logged exactly once (a connection
# that sent no HTTP request, skopeo's TLS attempt, is delayed once too and counted apart), at little CPU.
bad, incomplete, cpu = [], {}, []
for label, rs in runs.items():
    if not label.startswith("lat_") or label.startswith(("lat_warm_direct", "lat_cold_direct")):
        continue
    for r, p in zip(rs, proxied.get(label, [])):
        routes = p["routes"]
        logged = sum(v["total"] for v in r["requests"].values())
        delayed = sum(v["requests"] for v in routes.values())
        tls = sum(v.get("incomplete", 0) for v in routes.values())
        refused = sum(v["refused"] for v in routes.values())
        if tls:
            incomplete[label] = tls
        if logged != delayed - tls or refused:
            bad.append(f"{label}: {delayed} requests through the proxy ({tls} no HTTP), {logged} in the access logs, {refused} refused")
        cpu.append((label, p.get("cpu_s"), r["cpu_s"]))
print("- proxy check: " + ("; ".join(bad) if bad else
      "every row's requests through the proxy equal the registries' access-log count, none refused"))
if incomplete:
    print("  connections that sent no HTTP request (delayed once each, as a round trip): "
          + ", ".join(f"{k.split('-', 1)[0]} {k.split('-')[1:-1][-1]} {v}" for k, v in sorted(incomplete.items())))
by_label = {}
for label, proxy_cpu, tool_cpu in cpu:
    if proxy_cpu is not None:
        by_label.setdefault(label, []).append((proxy_cpu, tool_cpu))
if by_label:
    print("- proxy CPU per run (median; the client's own CPU beside it): "
          + ", ".join(f"{label.rsplit('-', 1)[0]} {statistics.median(p for p, _ in v):.2f} s ({statistics.median(t for _, t in v):.2f} s)"
                      for label, v in sorted(by_label.items())))
