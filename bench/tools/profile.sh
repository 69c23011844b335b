#!/usr/bin/env bash
# Profiles a kasou command with perf and prints where its guest thread's time goes, by HotSpot
# code heap (units in C2's or C1's code, HotSpot's bytecode interpreter, kasou's own methods),
# with the hottest symbols; units are named after their guest EIP (GuestCode_EIP).
# Usage: bench/tools/profile.sh [--every SECONDS] KASOU-ARGS...
#   e.g. bench/tools/profile.sh --every 0.1 boot --stats --kernel recursion.elf
# Needs perf (Debian: linux-perf) and python3.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
every=0
if [[ "${1:-}" == "--every" ]]; then every=$2; shift 2; fi
[[ $# -gt 0 ]] || { echo "usage: $0 [--every SECONDS] KASOU-ARGS..." >&2; exit 2; }
command -v perf >/dev/null || { echo "profile.sh: perf is not installed" >&2; exit 2; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
KASOU_JAVA_OPTS="${KASOU_JAVA_OPTS:-} -XX:+UnlockDiagnosticVMOptions -XX:+DumpPerfMapAtExit -XX:+PrintCodeCache" \
    perf record -q -F 1999 -o "$tmp/perf.data" "$root/kasou" "$@" >"$tmp/out" 2>&1 || true
grep -E '^kasou:' "$tmp/out" || true
perf script -i "$tmp/perf.data" -F comm,tid,time,ip,sym 2>/dev/null | python3 "$here/heaps.py" "$tmp/out" java,guest- "$every"
