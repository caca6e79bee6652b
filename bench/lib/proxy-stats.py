#!/usr/bin/env python3
"""One JSON line of what the delay proxy did between two snapshots of its counters (delay-proxy's SIGUSR1 lines,
each snapshot followed by a line "cpu_ticks=N", the proxy's user + system time from /proc/PID/stat).

    proxy-stats.py LABEL BEFORE.txt AFTER.txt
      -> {"label":..., "cpu_s": S, "routes": {"5510": {"requests": N, "incomplete": I, "delay_ms_mean": X, ...}}}

Only routes that served requests in between are listed.
"""
import os
import json, sys


def read(path):
    routes = {}
    for line in open(path):
        if line.startswith("cpu_ticks="):
            routes["cpu"] = int(line.split("=", 1)[1])
        elif line.startswith("delay-proxy "):
            kv = dict(f.split("=", 1) for f in line.split()[1:])
            routes[kv["listen"]] = kv
    return routes


if len(sys.argv) != 4:
    sys.exit(__doc__)
label, before, after = sys.argv[1], read(sys.argv[2]), read(sys.argv[3])
out = {}
cpu = (after.pop("cpu", 0) - before.pop("cpu", 0)) / os.sysconf("SC_CLK_TCK")
for port, a in after.items():
    b = before.get(port, {"requests": "0", "delay_ms_sum": "0", "refused": "0", "incomplete": "0"})
    n = int(a["requests"]) - int(b["requests"])
    if n:
        out[port] = {"upstream": a["upstream"], "delay_ms": int(a["delay_ms"]), "requests": n,
                     "refused": int(a["refused"]) - int(b["refused"]),
                     "incomplete": int(a["incomplete"]) - int(b["incomplete"]),
                     "delay_ms_mean": round((float(a["delay_ms_sum"]) - float(b["delay_ms_sum"])) / n, 2)}
print(json.dumps({"label": label, "cpu_s": round(cpu, 3), "routes": out}))
