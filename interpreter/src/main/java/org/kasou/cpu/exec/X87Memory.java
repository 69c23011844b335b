package org.kasou.cpu.exec;

import org.kasou.cpu.Cpu;
import org.kasou.isa.DecodedInsn;
import org.kasou.mem.Memory;

/**
 * The x87's wide memory operands (64- and 80-bit values, environment and save images) as
 * 32- and 16-bit accesses. Callers probe a whole operand first so that a fault leaves nothing
 * half-written.
 */
final class X87Memory {
    private X87Memory() {}

    static int offset(DecodedInsn d, int ea, int k) {
        return d.addrSize == 2 ? (ea + k) & 0xFFFF : ea + k;
    }

    /** Whether {@code size} bytes at ea + k wrap around the end of a 16-bit address space. */
    private static boolean wraps(DecodedInsn d, int ea, int k, int size) {
        return d.addrSize == 2 && offset(d, ea, k) > 0x10000 - size;
    }

    static int read16(Cpu cpu, DecodedInsn d, int ea, int k) {
        return cpu.memory.read16(d.eaSeg, offset(d, ea, k));
    }

    static int read32(Cpu cpu, DecodedInsn d, int ea, int k) {
        return cpu.memory.read32(d.eaSeg, offset(d, ea, k));
    }

    static long read64(Cpu cpu, DecodedInsn d, int ea, int k) {
        if (!wraps(d, ea, k, 8)) return cpu.memory.read64(d.eaSeg, offset(d, ea, k));
        Memory m = cpu.memory;
        m.probeRead(d.eaSeg, offset(d, ea, k), 8);
        return (m.read32(d.eaSeg, offset(d, ea, k)) & 0xFFFF_FFFFL) | (long) m.read32(d.eaSeg, offset(d, ea, k + 4)) << 32;
    }

    static void write16(Cpu cpu, DecodedInsn d, int ea, int k, int v) {
        cpu.memory.write16(d.eaSeg, offset(d, ea, k), v);
    }

    static void write32(Cpu cpu, DecodedInsn d, int ea, int k, int v) {
        cpu.memory.write32(d.eaSeg, offset(d, ea, k), v);
    }

    /** Writes 64 bits; the caller has probed them. */
    static void write64(Cpu cpu, DecodedInsn d, int ea, int k, long v) {
        if (!wraps(d, ea, k, 8)) {
            cpu.memory.write64(d.eaSeg, offset(d, ea, k), v);
            return;
        }
        write32(cpu, d, ea, k, (int) v);
        write32(cpu, d, ea, k + 4, (int) (v >>> 32));
    }

    /** An 80-bit register image: significand, then the sign/exponent word; the caller has probed it. */
    static void write80(Cpu cpu, DecodedInsn d, int ea, int k, int se, long sig) {
        write64(cpu, d, ea, k, sig);
        write16(cpu, d, ea, k + 8, se);
    }

    /** A whole operand; one that runs past the end of a 16-bit segment faults like any other. */
    static void probeWrite(Cpu cpu, DecodedInsn d, int ea, int size) {
        cpu.memory.probeWrite(d.eaSeg, ea, size);
    }

    static void probeRead(Cpu cpu, DecodedInsn d, int ea, int size) {
        cpu.memory.probeRead(d.eaSeg, ea, size);
    }
}
