#!/usr/bin/env bash
# What HotSpot's compilers spend on a kasou run: records Java Flight Recorder's compilation events
# (every one, threshold 0) and prints, per compiler, the compilations and their time for units
# (GuestCode_*), kasou's own methods by package, ASM and the JDK, then the costliest methods, and
# the deoptimisations of code other than units with their reasons (an `unloaded` one names the
# class that was not loaded when the method was compiled: see ClassPreload).
# Usage: bench/tools/compiles.sh [--top N] KASOU-ARGS...
#   e.g. bench/tools/compiles.sh boot --stats --kernel recursion.elf
# Needs the JDK's `jfr` tool next to the java that runs kasou (JAVA_HOME, else PATH) and python3.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
top=15
if [[ "${1:-}" == "--top" ]]; then top=$2; shift 2; fi
[[ $# -gt 0 ]] || { echo "usage: $0 [--top N] KASOU-ARGS..." >&2; exit 2; }
jfr_bin="${JAVA_HOME:+$JAVA_HOME/bin/}jfr"
command -v "$jfr_bin" >/dev/null || { echo "compiles.sh: no jfr tool ($jfr_bin)" >&2; exit 2; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cat >"$tmp/settings.jfc" <<'XML'
<?xml version="1.0" encoding="UTF-8"?>
<configuration version="2.0">
  <event name="jdk.Compilation"><setting name="enabled">true</setting><setting name="threshold">0 ms</setting></event>
  <event name="jdk.Deoptimization"><setting name="enabled">true</setting><setting name="stackTrace">false</setting></event>
</configuration>
XML
KASOU_JAVA_OPTS="${KASOU_JAVA_OPTS:-} -XX:StartFlightRecording=filename=$tmp/run.jfr,settings=$tmp/settings.jfc" \
    "$root/kasou" "$@" >/dev/null 2>"$tmp/err" || true
grep -E '^kasou:' "$tmp/err" || true
[[ -s "$tmp/run.jfr" ]] || { echo "compiles.sh: no recording (did the run start?)" >&2; cat "$tmp/err" >&2; exit 1; }
"$jfr_bin" print --events jdk.Compilation,jdk.Deoptimization "$tmp/run.jfr" | python3 "$here/compiles.py" "$top"
