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
