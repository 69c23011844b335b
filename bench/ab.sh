#!/usr/bin/env bash
# Compares two JVM settings on one kasou command by running both at the same time, N times, so
# that both see the same load (on a shared machine, alternating runs of the same command differ by
# 20-40%). Each side gets half of the machine: the figures are for comparing, not for reporting.
#
#   bench/ab.sh [-n N] "OPTS_A" "OPTS_B" KASOU-ARGS...
#   bench/ab.sh -n 3 "" "-Dkasou.jit.multiPage=false" run -L SYSROOT SYSROOT/usr/bin/lua5.4 bench.lua
#
# OPTS_A and OPTS_B go to KASOU_JAVA_OPTS; KASOU-ARGS to ./kasou (--stats added after the command
# name, before a guest program's own arguments). Prints, per pair, the wall time and the guest
# thread's CPU time of each side, then the means.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
n=3
if [[ "${1:-}" == -n ]]; then n="$2"; shift 2; fi
if [[ $# -lt 3 ]]; then
    sed -n '2,11p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//' >&2
    exit 2
fi
a="$1"; b="$2"; shift 2
"$root/kasou" --version >/dev/null # builds the jar once, before the pairs
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT

# "WALL CPU" from a --stats report: the run command's "guest threads' CPU time" or boot's "CPU time: X s on the guest's thread".
figures() {
    local wall cpu
    wall="$(grep -o 'guest instructions in [0-9.]* s' "$1" | grep -o '[0-9.]* s' | tr -d ' s')"
    cpu="$(grep -o "guest threads' CPU time [0-9.]* s\|CPU time: [0-9.]* s on the guest" "$1" | grep -o '[0-9.][0-9.]*' | head -1)"
    echo "${wall:-?} ${cpu:-?}"
}

printf '%-6s %10s %10s %10s %10s\n' pair wall_A cpu_A wall_B cpu_B
for i in $(seq "$n"); do
    KASOU_JAVA_OPTS="$a" "$root/kasou" "$1" --stats "${@:2}" >/dev/null 2>"$tmp/a" &
    pa=$!
    KASOU_JAVA_OPTS="$b" "$root/kasou" "$1" --stats "${@:2}" >/dev/null 2>"$tmp/b" &
    pb=$!
    wait "$pa" "$pb" || true
    read -r wa ca <<<"$(figures "$tmp/a")"
    read -r wb cb <<<"$(figures "$tmp/b")"
    printf '%-6s %10s %10s %10s %10s\n' "$i" "$wa" "$ca" "$wb" "$cb"
    echo "$wa $ca $wb $cb" >>"$tmp/all"
done
awk '{ for (k = 1; k <= 4; k++) s[k] += $k; m++ }
     END { if (m) printf "%-6s %10.3f %10.3f %10.3f %10.3f\n", "mean", s[1]/m, s[2]/m, s[3]/m, s[4]/m }' "$tmp/all"
