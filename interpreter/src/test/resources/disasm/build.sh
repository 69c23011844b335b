#!/bin/sh
# Rebuilds the subject binaries of the disassembler agreement test and their objdump listings.
# Needs gcc with 32-bit support (Debian: gcc-multilib) and binutils' objdump.
set -e
cd "$(dirname "$0")"
gcc -m32 -O2 -Wall -o subject-x87 subject.c -lm
gcc -m32 -O2 -msse4.2 -mfpmath=sse -Wall -o subject-sse subject.c -lm
gcc -m32 -O3 -msse4.2 -mfpmath=sse -funroll-loops -Wall -o subject-sse-o3 subject.c -lm
for f in subject-x87 subject-sse subject-sse-o3; do
    objdump -d -M intel -j .text "$f" | gzip -9n > "$f.lst.gz"
done
# 16-bit code (gcc -m16: 32-bit operations under 66/67 prefixes), as a raw .text image
for v in "x87:" "sse:-msse4.2 -mfpmath=sse"; do
    name=subject16-${v%%:*}
    gcc -m16 -O2 ${v#*:} -fno-pic -fno-reorder-functions -fno-asynchronous-unwind-tables -c -o "$name.o" subject.c
    objcopy -O binary -j .text -j .text.startup "$name.o" "$name.bin"
    rm "$name.o"
    objdump -D -b binary -m i8086 -M intel "$name.bin" | gzip -9n > "$name.lst.gz"
done
