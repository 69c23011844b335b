#!/usr/bin/env python3
"""Where a kasou run's guest thread spends its time, by HotSpot code heap.

Reads `perf script -F comm,tid,time,ip,sym` on standard input and the run's own output (argv[1]),
which must hold the code heaps' bounds (-XX:+PrintCodeCache). The guest thread is the thread of
COMM (argv[2], default "java") with the most samples. Prints the share of each kind of code (units
and kasou's own methods in C2's or C1's heap, HotSpot's bytecode interpreter, stubs, native code),
the hottest symbols, and with a bucket size (argv[3], seconds) the kinds over time.

Usage: bench/tools/profile.sh does it all; see bench/README.md, "Warm-up against steady state".
"""
import collections
import re
import sys

KINDS = ['interpreter', 'C1 units', 'C1 other', 'C2 units', 'C2 other', 'stubs', 'native']


def heaps(text):
    found = {}
    for m in re.finditer(r"CodeHeap '([^']+)'.*?\n\s*bounds \[(0x[0-9a-f]+), (0x[0-9a-f]+), (0x[0-9a-f]+)\]", text):
        found[m.group(1)] = (int(m.group(2), 16), int(m.group(4), 16))
    return found


def kind(bounds, ip, sym):
    heap = next((name for name, (lo, hi) in bounds.items() if lo <= ip < hi), None)
    unit = 'GuestCode' in sym
    if heap == 'non-nmethods':
        return 'interpreter' if sym.startswith('Interpreter') else 'stubs'
    if heap == 'profiled nmethods':
        return 'C1 units' if unit else 'C1 other'
    if heap == 'non-profiled nmethods':
        return 'C2 units' if unit else 'C2 other'
    return 'native'


def main():
    if len(sys.argv) < 2:
        sys.exit('usage: perf script -F comm,tid,time,ip,sym | heaps.py RUN_OUTPUT [COMM [BUCKET_SECONDS]]')
    bounds = heaps(open(sys.argv[1], errors='replace').read())
    if not bounds:
        sys.exit('heaps.py: no code heap bounds in %s (run with -XX:+PrintCodeCache)' % sys.argv[1])
    # The guest runs on the main thread (java) for boot, on threads named guest-N for run.
    comm = sys.argv[2] if len(sys.argv) > 2 else 'java,guest-'
    bucket = float(sys.argv[3]) if len(sys.argv) > 3 else 0
    samples, per_thread = [], collections.Counter()
    for line in sys.stdin:
        m = re.match(r'\s*(.+?)\s+(\d+)\s+([\d.]+):\s+([0-9a-f]+)\s*(.*)', line)
        if not m:
            continue
        tid = int(m.group(2))
        if any(m.group(1).startswith(c) for c in comm.split(',')):
            per_thread[tid] += 1
        samples.append((tid, float(m.group(3)), int(m.group(4), 16), m.group(5).strip()))
    if not per_thread:
        sys.exit('heaps.py: no samples of a thread named %s' % comm)
    guest = per_thread.most_common(1)[0][0]
    t0 = samples[0][1]
    kinds, symbols, over_time = collections.Counter(), collections.Counter(), collections.defaultdict(collections.Counter)
    for tid, t, ip, sym in samples:
        if tid != guest:
            continue
        k = kind(bounds, ip, sym)
        kinds[k] += 1
        symbols[re.sub(r'/0x[0-9a-f]+', '', sym)[:100]] += 1
        if bucket:
            over_time[int((t - t0) / bucket)][k] += 1
    total = sum(kinds.values())
    print('guest thread %d: %d samples' % (guest, total))
    for k in KINDS:
        print('%6.2f%%  %s' % (100.0 * kinds[k] / total, k))
    print()
    for sym, n in symbols.most_common(25):
        print('%6.2f%%  %s' % (100.0 * n / total, sym))
    if bucket:
        print()
        print('%7s ' % 'time' + ' '.join('%12s' % k for k in KINDS))
        for b in sorted(over_time):
            print('%6.2fs ' % (b * bucket) + ' '.join('%12d' % over_time[b][k] for k in KINDS))


if __name__ == '__main__':
    main()
