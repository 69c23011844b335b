#!/usr/bin/env bash
# Times whole multiboot guests in kasou (JIT and interpreter) and in qemu-system-i386 (TCG) in one
# run and prints the ratios. Usage: bench/guest-vs-qemu.sh [--no-interpreter]
# JAVA selects the JVM (default: java on the PATH), e.g. JAVA=/usr/lib/jvm/temurin-25-jdk-amd64/bin/java.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
java=${JAVA:-java}
interp=1
[[ "${1:-}" == "--no-interpreter" ]] && interp=0
command -v nasm >/dev/null || { echo "guest-vs-qemu: nasm is needed to build the guests" >&2; exit 2; }
qemu=$(command -v qemu-system-i386 || true)
jar="$root/cli/target/kasou.jar"
[[ -f "$jar" ]] || "$root/kasou" --help >/dev/null
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

guests=()
for w in ALU MEMORY CALL X87; do
    nasm -f bin -D "WORKLOAD_$w" -o "$tmp/${w,,}.bin" "$root/bench/guests/loops.asm"
    guests+=("$tmp/${w,,}.bin")
done
nasm -f bin -I "$root/devices/src/main/guest/" -o "$tmp/demo.bin" "$root/devices/src/main/guest/demo.asm"
guests+=("$tmp/demo.bin")

# seconds COMMAND...: wall time of a command (its output dropped, its exit status ignored).
seconds() {
    local t0 t1
    t0=$(date +%s%N)
    "$@" >/dev/null 2>&1 || true
    t1=$(date +%s%N)
    awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.2f", (b - a) / 1e9 }'
}

echo "java: $("$java" -version 2>&1 | head -1)"
printf '%-8s %10s %10s %10s %14s %14s\n' guest qemu_s jit_s interp_s qemu/jit interp/jit
for g in "${guests[@]}"; do
    name=$(basename "$g" .bin)
    tq="-"
    if [[ -n "$qemu" ]]; then
        tq=$(seconds "$qemu" -kernel "$g" -display none -no-reboot -m 128 -accel tcg \
            -device isa-debug-exit,iobase=0xf4,iosize=4 -debugcon file:/dev/null)
    fi
    tj=$(seconds "$java" -jar "$jar" boot --kernel "$g")
    ti="-"
    [[ $interp == 1 ]] && ti=$(seconds "$java" -jar "$jar" boot --no-jit --kernel "$g")
    rq=$([[ "$tq" != "-" ]] && awk -v a="$tq" -v b="$tj" 'BEGIN { printf "%.2f", a / b }' || echo "-")
    ri=$([[ "$ti" != "-" ]] && awk -v a="$ti" -v b="$tj" 'BEGIN { printf "%.2f", a / b }' || echo "-")
    printf '%-8s %10s %10s %10s %14s %14s\n' "$name" "$tq" "$tj" "$ti" "$rq" "$ri"
done
