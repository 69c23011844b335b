#!/usr/bin/env python3
"""Sums `jfr print --events jdk.Compilation,jdk.Deoptimization` (standard input) by compiler and kind of method.

Kinds: units (kasou's compiled guest code, GuestCode_*), kasou's own methods by package
(kasou.cpu, kasou.jit, ...), ASM, and the JDK with everything else. Then the costliest methods
other than units, with how often each was compiled (a method compiled again was deoptimised), and
the deoptimisations of methods other than units by method, reason and action (JFR's jdk.Deoptimization;
the instruction says what an `unloaded` trap was about).
Usage: bench/tools/compiles.sh does it all; argv[1] is how many methods to list.
"""
import collections
import re
import sys


def millis(text):
    value, unit = text.split()[:2]
    scale = {'s': 1000.0, 'ms': 1.0, 'us': 0.001, 'ns': 0.000001}
    return float(value) * scale.get(unit, 1.0)


def kind(method):
    if 'GuestCode' in method:
        return 'units'
    if method.startswith('org.kasou.'):
        return 'kasou.' + method.split('.')[2]
    if method.startswith('org.objectweb.asm'):
        return 'ASM'
    return 'JDK and others'


def main():
    top = int(sys.argv[1]) if len(sys.argv) > 1 else 15
    text = sys.stdin.read()
    events = re.findall(r'jdk\.Compilation \{(.*?)\n\}', text, re.S)
    by_kind = collections.defaultdict(lambda: [0, 0.0])
    by_method = collections.defaultdict(lambda: [0, 0.0])
    for event in events:
        fields = dict(re.findall(r'\n\s+(\w+) = (.*)', event))
        compiler = fields.get('compiler', '?').strip('"')
        method = fields.get('method', '?')
        ms = millis(fields.get('duration', '0 ms'))
        k = kind(method)
        by_kind[(compiler, k)][0] += 1
        by_kind[(compiler, k)][1] += ms
        if k != 'units':
            name = compiler + ' ' + method.split('(')[0]
            by_method[name][0] += 1
            by_method[name][1] += ms
    print('%-4s %-16s %8s %10s' % ('', 'kind', 'compiles', 'ms'))
    for (compiler, k), (count, ms) in sorted(by_kind.items(), key=lambda e: (e[0][0], -e[1][1])):
        print('%-4s %-16s %8d %10.0f' % (compiler, k, count, ms))
    print()
    print('costliest methods other than units (compiler, ms, compiles):')
    for name, (count, ms) in sorted(by_method.items(), key=lambda e: -e[1][1])[:top]:
        print('%8.1f %3d  %s' % (ms, count, name))
    deopts = collections.Counter()
    for event in re.findall(r'jdk\.Deoptimization \{(.*?)\n\}', text, re.S):
        fields = dict(re.findall(r'\n\s+(\w+) = (.*)', event))
        method = fields.get('method', '?')
        if kind(method) == 'units':
            continue
        deopts[(method.split('(')[0], fields.get('reason', '?').strip('"'), fields.get('action', '?').strip('"'),
                fields.get('instruction', '').strip('"'))] += 1
    print()
    print('deoptimisations of methods other than units (count, method, reason, action, instruction):')
    for (method, reason, action, insn), count in deopts.most_common(top):
        print('%4d  %s  %s  %s  %s' % (count, method, reason, action, insn))


if __name__ == '__main__':
    main()
