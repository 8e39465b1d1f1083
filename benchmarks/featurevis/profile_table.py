"""Self time per op and step from two Chrome traces (libtorch's, PyTorch's), side by side, largest first.
Self time: an event's duration less that of the events nested directly inside it on the same thread.

usage: profile_table.py steps ours.json theirs.json [rows]"""
import collections
import json
import sys


def self_times(path, steps):
    events = json.load(open(path))
    events = events["traceEvents"] if isinstance(events, dict) else events
    by_thread = collections.defaultdict(list)
    for e in events:
        if e.get("ph") == "X":
            by_thread[e.get("tid")].append(e)
    total = collections.Counter()
    calls = collections.Counter()
    for es in by_thread.values():
        es.sort(key=lambda e: (e["ts"], -e["dur"]))
        stack = []
        for e in es:
            while stack and stack[-1][0]["ts"] + stack[-1][0]["dur"] <= e["ts"]:
                stack.pop()
            own = [e["dur"]]
            if stack:
                stack[-1][1][0] -= e["dur"]
            stack.append((e, own))
            e["_own"] = own
        for e in es:
            total[e["name"]] += e["_own"][0]
            calls[e["name"]] += 1
    return {k: (v / 1000.0 / steps, calls[k] / steps) for k, v in total.items()}


def main():
    steps = int(sys.argv[1])
    ours, theirs = self_times(sys.argv[2], steps), self_times(sys.argv[3], steps)
    rows = int(sys.argv[4]) if len(sys.argv) > 4 else 25
    print("self time, ms per step: circuitscope %.2f, PyTorch %.2f" % (
        sum(v[0] for v in ours.values()), sum(v[0] for v in theirs.values())))
    print("%-46s %14s %14s" % ("op", "circuitscope", "PyTorch"))
    names = sorted(set(ours) | set(theirs), key=lambda k: -max(ours.get(k, (0, 0))[0], theirs.get(k, (0, 0))[0]))
    for k in names[:rows]:
        a, b = ours.get(k, (0, 0)), theirs.get(k, (0, 0))
        print("%-46s %7.3f (%4.0f) %7.3f (%4.0f)" % (k[:46], a[0], a[1], b[0], b[1]))
    print("(calls per step in brackets)")


if __name__ == "__main__":
    main()
