#!/usr/bin/env bash
# Builds the compiled C benchmarks into the directory given as argument:
#   NAME.elf     the multiboot kernel (kasou boot --kernel, qemu-system-i386 -kernel)
#   NAME.native  the same object code as a 32-bit Linux program (the reference output and time)
# Usage: bench/c/build.sh OUTDIR [NAME...]   (default: every benchmark)
# Needs gcc with 32-bit support (gcc-multilib), nasm and GNU ld.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
[[ $# -ge 1 ]] || { echo "usage: $0 OUTDIR [NAME...]" >&2; exit 2; }
out="$1"
shift
mkdir -p "$out"
names=("$@")
if [[ ${#names[@]} -eq 0 ]]; then
    names=($(cd "$here" && ls *.c | sed 's/\.c$//' | grep -v '^rt_'))
fi
obj="$out/obj"
mkdir -p "$obj"

# Integer code only, SSE/MMX kept out of the guests; a program marked KASOU_X87 may use the x87
# (doubles in x87 registers, sqrt as FSQRT).
cflags=(-m32 -O2 -fno-pic -fno-pie -fno-stack-protector -fno-asynchronous-unwind-tables
        -fcf-protection=none -mno-80387 -mno-sse -mno-mmx -Wall -Wextra -Wno-unused-parameter)
freestanding=(-ffreestanding -fno-tree-loop-distribute-patterns)

nasm -f elf32 -o "$obj/crt0.o" "$here/crt0.asm"
gcc "${cflags[@]}" "${freestanding[@]}" -c -o "$obj/rt_common.o" "$here/rt_common.c"
gcc "${cflags[@]}" "${freestanding[@]}" -c -o "$obj/rt_bare.o" "$here/rt_bare.c"
gcc "${cflags[@]}" -c -o "$obj/rt_host.o" "$here/rt_host.c"

for n in "${names[@]}"; do
    [[ -f "$here/$n.c" ]] || { echo "build.sh: no benchmark $n ($here/$n.c)" >&2; exit 2; }
    # One object file for both builds, so kasou, QEMU and the host run the same compiled code.
    flags=()
    for f in "${cflags[@]}"; do
        if [[ $f != -mno-80387 ]] || ! grep -q KASOU_X87 "$here/$n.c"; then flags+=("$f"); fi
    done
    grep -q KASOU_X87 "$here/$n.c" && flags+=(-fno-math-errno)
    gcc "${flags[@]}" "${freestanding[@]}" -c -o "$obj/$n.o" "$here/$n.c"
    gcc -m32 -nostdlib -static -no-pie -Wl,-T,"$here/link.ld" -Wl,--build-id=none -Wl,-n \
        -Wl,--no-warn-rwx-segments -Wl,-z,noexecstack -o "$out/$n.elf" \
        "$obj/crt0.o" "$obj/rt_bare.o" "$obj/rt_common.o" "$obj/$n.o" -lgcc
    gcc -m32 -no-pie -o "$out/$n.native" "$obj/rt_host.o" "$obj/rt_common.o" "$obj/$n.o"
done
