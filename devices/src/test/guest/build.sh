#!/usr/bin/env bash
# Rebuilds the shipped guest binaries from their sources (needs nasm and GNU ld).
# GuestBinariesTest checks that the shipped files match what these commands produce.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
out="$here/../resources/org/kasou/pc/guest"
demo_out="$here/../../main/resources/org/kasou/pc/guest"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
nasm -f bin -o "$demo_out/demo.bin" "$here/../../main/guest/demo.asm"
for g in strings triple mbinfo realmode selfmod ring3 serial sysregs gates tasks tasks16 iomap v86 protect; do
    nasm -f bin -i "$here/" -o "$out/$g.bin" "$here/$g.asm"
done
nasm -f elf32 -i "$here/" -o "$tmp/exceptions.o" "$here/exceptions.asm"
ld -m elf_i386 -n -s -Ttext=0x100000 -e entry --build-id=none --no-warn-rwx-segments \
    -o "$out/exceptions.elf" "$tmp/exceptions.o"
