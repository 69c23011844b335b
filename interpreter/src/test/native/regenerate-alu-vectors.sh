#!/bin/sh
# Rebuilds the host-CPU test vectors of the arithmetic helpers (needs gcc with -m32 support,
# e.g. Debian's gcc-multilib, on an x86-64 host). The output is deterministic for a given CPU.
set -eu
here="$(cd "$(dirname "$0")" && pwd)"
out="$here/../resources/org/kasou/cpu/exec/alu-vectors.bin.gz"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
gcc -m32 -O1 -fno-pie -no-pie -o "$tmp/alu_vectors" "$here/alu_vectors.c"
"$tmp/alu_vectors" | gzip -9n > "$out"
echo "wrote $out ($(wc -c < "$out") bytes) from $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2)"
