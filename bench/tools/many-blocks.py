#!/usr/bin/env python3
"""Writes a multiboot guest (nasm source) whose code is spread over many small blocks.

N functions of eight instructions (a load, an add, a store, a test and a branch, a RET), each
called once a turn from its own call site in a shuffled order, the turns repeated until about
TOTAL instructions have run; data and stack on pages of their own. The same program for kasou
and QEMU: how the cost of a block grows with the number of distinct blocks a guest keeps hot
(a kernel's fork and exec paths run thousands of blocks a few dozen times each).

Usage: bench/tools/many-blocks.py N [TOTAL] > g.asm; nasm -f bin -o g.bin g.asm
       ./kasou boot --stats --no-jit --kernel g.bin
       qemu-system-i386 -kernel g.bin -display none -device isa-debug-exit,iobase=0xf4,iosize=4
The guest exits through port 0xF4 (kasou: status 3).
"""
import random
import sys


def main():
    n = int(sys.argv[1])
    total = int(sys.argv[2]) if len(sys.argv) > 2 else 200_000_000
    order = list(range(n))
    random.Random(1).shuffle(order)
    turns = max(1, total // (n * 10))  # about ten instructions a call
    out = [f"""bits 32
org 0x100000
MB_MAGIC equ 0x1BADB002
MB_FLAGS equ 0x00010000
start:  jmp entry
        align 4
header: dd MB_MAGIC, MB_FLAGS, -(MB_MAGIC + MB_FLAGS)
        dd header, start, image_end, bss_end, entry
entry:  mov esp, stack_top
        mov esi, data
        xor eax, eax
        xor ebx, ebx
        xor edx, edx
        mov edi, {turns}
turn:"""]
    out += [f"        call f{k}" for k in order]
    out.append("""        dec edi
        jnz turn
        mov al, 1
        out 0xf4, al
        hlt""")
    for i in range(n):
        out.append(f"""f{i}:    mov eax, [esi + {4 * (i % 64)}]
        add eax, {i}
        mov [esi + {4 * ((i * 7) % 64)}], eax
        xor edx, eax
        test eax, 1
        jz .even
        add ebx, eax
.even:  ret""")
    out.append("""        align 4096             ; data apart from code: no writes into code pages
image_end:
data:   times 256 dd 0
        times 4096 db 0
stack_top:
bss_end:""")
    print("\n".join(out))


if __name__ == "__main__":
    main()
