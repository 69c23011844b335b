#!/usr/bin/env bash
# Compares two JVM settings on one kasou command by running both at the same time, N times, so
# that both see the same load (on a shared machine, alternating runs of the same command differ by
# 20-40%). Each side gets half of the machine: the figures are for comparing, not for reporting.
#
#   bench/ab.sh [-n N] [--pin] [--other LAUNCHER] "OPTS_A" "OPTS_B" KASOU-ARGS...
#   bench/ab.sh -n 3 "" "-Dkasou.jit.multiPage=false" run -L SYSROOT SYSROOT/usr/bin/lua5.4 bench.lua
#
# OPTS_A and OPTS_B go to KASOU_JAVA_OPTS; KASOU-ARGS to ./kasou (--stats added after the command
# name, before a guest program's own arguments). Prints, per pair, the wall time and the guest
# thread's CPU time of each side, then the means.
# --pin: each side on one core of its own (taskset; A on core 0 and B on core 1, swapped every pair),
#   for machines whose cores are not alike; compare a side's figures on the same core.
# --other LAUNCHER: side B runs that launcher (another build's ./kasou, e.g. a git worktree's).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
n=3
pin=0
other="$root/kasou"
while [[ $# -gt 0 ]]; do
    case "$1" in
    -n) n="$2"; shift 2 ;;
    --pin) pin=1; shift ;;
    --other) other="$2"; shift 2 ;;
    *) break ;;
    esac
done
if [[ $# -lt 3 ]]; then
    sed -n '2,14p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//' >&2
    exit 2
fi
if [[ $pin == 1 ]] && ! command -v taskset >/dev/null; then
    echo "ab.sh: --pin needs taskset (util-linux)" >&2
    exit 2
fi
a="$1"; b="$2"; shift 2
"$root/kasou" --version >/dev/null # builds the jars once, before the pairs
"$other" --version >/dev/null
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT

# "WALL CPU" from a --stats report: the run command's "guest threads' CPU time" or boot's "CPU time: X s on the guest's thread".
figures() {
    local wall cpu
    wall="$(grep -o 'guest instructions in [0-9.]* s' "$1" | grep -o '[0-9.]* s' | tr -d ' s')"
    cpu="$(grep -o "guest threads' CPU time [0-9.]* s\|CPU time: [0-9.]* s on the guest" "$1" | grep -o '[0-9.][0-9.]*' | head -1)"
    echo "${wall:-?} ${cpu:-?}"
}

# The command that runs side A or B of pair i: pinned to a core of its own with --pin.
on_core() {
    if [[ $pin == 1 ]]; then taskset -c "$1" "${@:2}"; else "${@:2}"; fi
}

printf '%-6s %10s %10s %10s %10s\n' pair wall_A cpu_A wall_B cpu_B
for i in $(seq "$n"); do
    core_a=$(((i + 1) % 2)) core_b=$((i % 2))
    KASOU_JAVA_OPTS="$a" on_core "$core_a" "$root/kasou" "$1" --stats "${@:2}" >/dev/null 2>"$tmp/a" &
    pa=$!
    KASOU_JAVA_OPTS="$b" on_core "$core_b" "$other" "$1" --stats "${@:2}" >/dev/null 2>"$tmp/b" &
    pb=$!
    wait "$pa" "$pb" || true
    read -r wa ca <<<"$(figures "$tmp/a")"
    read -r wb cb <<<"$(figures "$tmp/b")"
    label="$i"
    [[ $pin == 1 ]] && label="$i A@$core_a"
    printf '%-6s %10s %10s %10s %10s\n' "$label" "$wa" "$ca" "$wb" "$cb"
    echo "$wa $ca $wb $cb $core_a" >>"$tmp/all"
done
awk '{ for (k = 1; k <= 4; k++) s[k] += $k; m++ }
     END { if (m) printf "%-6s %10.3f %10.3f %10.3f %10.3f\n", "mean", s[1]/m, s[2]/m, s[3]/m, s[4]/m }' "$tmp/all"
if [[ $pin == 1 ]]; then
    # Each side's guest CPU on each core: the comparison that the cores' difference does not blur.
    awk '{ ca[$5] += $2; na[$5]++; cb[1 - $5] += $4; nb[1 - $5]++ }
         END { for (c = 0; c <= 1; c++) if (na[c] && nb[c])
                   printf "core %d: cpu_A %.3f (%d runs), cpu_B %.3f (%d runs)\n", c, ca[c]/na[c], na[c], cb[c]/nb[c], nb[c] }' "$tmp/all"
fi
