#!/usr/bin/python3
"""The guest code of org.kasou.bench.EmbedBench, run in Unicorn (python3-unicorn), in the same units:
ns per guest instruction with no hooks, ns per run call of a 43-instruction function, ns per hooked
instruction (a Python code hook), ns per hooked memory write (a Python memory hook)."""
import struct
import sys
import time

from unicorn import Uc, UC_ARCH_X86, UC_MODE_32, UC_HOOK_CODE, UC_HOOK_MEM_WRITE, __version__
from unicorn.x86_const import UC_X86_REG_EAX, UC_X86_REG_EDI, UC_X86_REG_ESP

CODE, DATA, STACK = 0x400000, 0x600000, 0x7FF00000
LOOP, STORE, FUNCTION, EXIT = CODE, CODE + 0x20, CODE + 0x40, CODE + 0x1000
ALU_ITERATIONS, HOOKED_ITERATIONS = 1_000_000, 100_000


def le32(v):
    return struct.pack("<I", v & 0xFFFFFFFF)


def alu_loop(n):
    return b"\xB9" + le32(n) + bytes([0x01, 0xC8, 0x31, 0xC2, 0x49, 0x75, 0xF9, 0xE9]) + le32(EXIT - (LOOP + 0x11))


def store_loop(n):
    return b"\xB9" + le32(n) + bytes([0x89, 0x07, 0x40, 0x49, 0x75, 0xFA, 0xE9]) + le32(EXIT - (STORE + 0x10))


FUNCTION_CODE = bytes([0xB9, 13, 0, 0, 0, 0x31, 0xC0, 0x90, 0x01, 0xC8, 0x49, 0x75, 0xFB, 0xC3])


def engine(n):
    uc = Uc(UC_ARCH_X86, UC_MODE_32)
    uc.mem_map(CODE, 0x2000)
    uc.mem_map(DATA, 0x1000)
    uc.mem_map(STACK, 0x10000)
    uc.mem_write(LOOP, alu_loop(n))
    uc.mem_write(STORE, store_loop(n))
    uc.mem_write(FUNCTION, FUNCTION_CODE)
    uc.mem_write(EXIT, b"\xF4")
    uc.reg_write(UC_X86_REG_EDI, DATA)
    return uc


def best_of(f, repeats):
    best = None
    for _ in range(repeats):
        t0 = time.perf_counter()
        f()
        dt = time.perf_counter() - t0
        best = dt if best is None or dt < best else best
    return best


def main():
    plain = engine(ALU_ITERATIONS)
    alu = best_of(lambda: plain.emu_start(LOOP, EXIT), 5) / (4 * ALU_ITERATIONS + 2) * 1e9

    def call():
        plain.reg_write(UC_X86_REG_ESP, STACK + 0x8000)
        plain.mem_write(STACK + 0x8000, le32(EXIT))
        plain.emu_start(FUNCTION, EXIT)
    calls = 2000
    call_ns = best_of(lambda: [call() for _ in range(calls)], 3) / calls * 1e9
    assert plain.reg_read(UC_X86_REG_EAX) == 91

    hooked = engine(HOOKED_ITERATIONS)
    count = [0]

    def on_code(uc, address, size, user):
        count[0] += 1
    hooked.hook_add(UC_HOOK_CODE, on_code, begin=LOOP, end=LOOP + 0x10)
    code_ns = best_of(lambda: hooked.emu_start(LOOP, EXIT), 3) / (4 * HOOKED_ITERATIONS + 2) * 1e9

    mem = engine(HOOKED_ITERATIONS)

    def on_write(uc, access, address, size, value, user):
        count[0] += 1
    mem.hook_add(UC_HOOK_MEM_WRITE, on_write, begin=DATA, end=DATA + 0xFFF)
    mem_ns = best_of(lambda: mem.emu_start(STORE, EXIT), 3) / HOOKED_ITERATIONS * 1e9

    print("unicorn %s (python%d.%d)" % (__version__, sys.version_info[0], sys.version_info[1]))
    print("aluLoop %.3f" % alu)
    print("callFunction %.1f" % call_ns)
    print("codeHook %.1f" % code_ns)
    print("memoryHook %.1f" % mem_ns)


if __name__ == "__main__":
    main()
