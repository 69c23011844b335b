#!/usr/bin/env bash
# Builds the C test guest (needs gcc with 32-bit support, nasm and GNU ld) into the test resources.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
out="$here/../../resources/org/kasou/pc/guest/cguest.elf"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
nasm -f elf32 -o "$tmp/crt0.o" "$here/crt0.asm"
gcc -m32 -O2 -ffreestanding -fno-pic -fno-pie -fno-stack-protector -fno-asynchronous-unwind-tables \
    -mno-sse -mno-mmx -mno-80387 -c -o "$tmp/cguest.o" "$here/cguest.c"
gcc -m32 -nostdlib -static -no-pie -Wl,-T,"$here/link.ld" -Wl,--build-id=none -Wl,-s -Wl,-n \
    -Wl,--no-warn-rwx-segments -Wl,-z,noexecstack -o "$out" "$tmp/crt0.o" "$tmp/cguest.o" -lgcc
