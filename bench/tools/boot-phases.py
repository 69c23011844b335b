#!/usr/bin/env python3
"""Splits a Linux boot's serial output into phases by the host's clock.

Reads a boot's serial console on standard input, as it comes, and notes for each line the host
time since START (argv[1], seconds since the epoch: when the emulator was launched). At the end
prints one line: the seconds at which each marker of the Debian guest's kernel log appeared and
how long each phase between them took. Lines are also copied to the file argv[3] when given.

The markers are those of Debian 12's 686 kernel booted with `earlyprintk=serial` and without
`quiet` (bench/tools/boot-phases.sh does that for kasou and QEMU alike):
  start          .. "Linux version"       the emulator's start, firmware and the decompressor
  "Linux version" .. "Loading compiled-in X.509"   early initialisation (device and subsystem setup)
  .. "evm: HMAC attrs"                     the built-in certificate's signature check
  .. "clk: Disabling unused clocks"        late initialisation (the crypto self-tests' arithmetic)
  .. "init reached"                        the rest, up to /init's marker

Usage: COMMAND | boot-phases.py START LABEL [COPY_FILE]
"""
import sys
import time

MARKERS = [
    ('kernel', 'Linux version'),
    ('x509', 'Loading compiled-in X.509'),
    ('evm', 'evm: HMAC attrs'),
    ('late', 'clk: Disabling unused clocks'),
    ('init', 'kasou-guest: init reached'),
]
PHASES = ['decompress', 'early', 'x509', 'late', 'to-init']


def main():
    if len(sys.argv) < 3:
        sys.exit('usage: COMMAND | boot-phases.py START LABEL [COPY_FILE]')
    start, label = float(sys.argv[1]), sys.argv[2]
    copy = open(sys.argv[3], 'w') if len(sys.argv) > 3 else None
    seen = {}
    for raw in sys.stdin.buffer:
        now = time.time() - start
        line = raw.decode('latin-1')
        if copy:
            copy.write('%8.3f %s' % (now, line))
        for name, text in MARKERS:
            if name not in seen and text in line:
                seen[name] = now
    times = [seen.get(name) for name, _ in MARKERS]
    parts = ['%-12s' % label]
    previous = 0.0
    for phase, t in zip(PHASES, times):
        if t is None or previous is None:
            parts.append('%s %6s' % (phase, '-'))
            previous = None
            continue
        parts.append('%s %6.2f' % (phase, t - previous))
        previous = t
    parts.append('total %6s' % ('%.2f' % times[-1] if times[-1] is not None else '-'))
    print('  '.join(parts))
    if copy:
        copy.close()
    return 0 if all(t is not None for t in times) else 1


if __name__ == '__main__':
    sys.exit(main())
