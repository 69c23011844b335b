#!/usr/bin/env bash
# The Debian guest's boot in phases, kasou against qemu-system-i386 on the same kernel, initramfs
# and command line, by the host's clock at each marker of the kernel's log (boot-phases.py names
# them): the decompressor, early initialisation, the certificate check, late initialisation (the
# crypto self-tests' multi-precision arithmetic), the rest to /init. Runs each N times, alternating.
#
#   bench/tools/boot-phases.sh [-n N] [--no-qemu] [--keep DIR] [KASOU-LINUX-ARGS...]
#   bench/tools/boot-phases.sh -n 3 --jit-threshold=2000
#   KASOU_JAVA_OPTS=-Dkasou.jit.runSpacing=2000 bench/tools/boot-phases.sh --no-qemu
#
# KASOU-LINUX-ARGS go to `./kasou linux` (with --append "earlyprintk=serial nokaslr kasou.poweroff",
# so that the kernel prints its log and the addresses match /proc/kallsyms of a nokaslr boot);
# --keep DIR keeps each run's time-stamped console. Needs the guest in target/debian-guest (the
# ./kasou launcher fetches it on first use) and python3.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
n=1
qemu_on=1
keep=""
while [[ $# -gt 0 ]]; do
    case "$1" in
    -n) n=$2; shift 2 ;;
    --no-qemu) qemu_on=0; shift ;;
    --keep) keep=$2; mkdir -p "$keep"; shift 2 ;;
    *) break ;;
    esac
done
guest="$root/target/debian-guest"
append="earlyprintk=serial nokaslr kasou.poweroff"
qemu=""
[[ $qemu_on == 1 ]] && qemu=$(command -v qemu-system-i386 || true)
[[ $qemu_on == 1 && -z "$qemu" ]] && echo "boot-phases.sh: qemu-system-i386 not found; kasou only" >&2
"$root/kasou" --version >/dev/null # builds the jar once, before the runs
[[ -f "$guest/vmlinuz" && -f "$guest/initrd.gz" ]] || { echo "boot-phases.sh: no guest in $guest (./kasou linux fetches it)" >&2; exit 2; }

copy() { [[ -n "$keep" ]] && echo "$keep/$1-$2.txt" || true; }
for ((i = 1; i <= n; i++)); do
    start=$(date +%s.%N)
    timeout 300 "$root/kasou" linux "$@" --append "$append" 2>&1 \
        | python3 "$here/boot-phases.py" "$start" kasou $(copy kasou "$i") || true
    if [[ -n "$qemu" ]]; then
        start=$(date +%s.%N)
        timeout 300 "$qemu" -kernel "$guest/vmlinuz" -initrd "$guest/initrd.gz" -append "console=ttyS0 $append" \
            -nographic -m 128 -no-reboot -accel tcg </dev/null 2>&1 \
            | python3 "$here/boot-phases.py" "$start" qemu $(copy qemu "$i") || true
    fi
done
