package org.kasou.cpu;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import org.kasou.cpu.exec.Alu;
import org.kasou.cpu.exec.Operands;
import org.kasou.isa.DecodedInsn;
import org.kasou.mem.Memory;
import org.kasou.mem.PhysicalMemory;

/**
 * The common atomic read-modify-writes carried out with a compare-and-set on the RAM bytes
 * themselves, so that they stay atomic against plain stores of other CPUs too (a spin lock
 * released with a MOV while another CPU's XCHG tries to take it): XCHG, CMPXCHG, XADD, CMPXCHG8B,
 * and LOCK'd ADD, OR, AND, SUB, XOR, INC, DEC, NEG, NOT on a naturally aligned operand in plain
 * RAM. Anything else (a misaligned operand, a code page, ADC, SBB, bit tests) is left to the
 * generic path, which the caller runs under the memory's atomic lock.
 */
final class AtomicRmw {
    private static final VarHandle I32 = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle I64 = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    private AtomicRmw() {
    }

    /** Carries out {@code d} and returns true, or returns false having changed nothing. */
    static boolean execute(Cpu cpu, DecodedInsn d) {
        if (d.dst != DecodedInsn.LOC_MEM) return false;
        int kind = kind(d);
        if (kind < 0) return false;
        CpuState s = cpu.state;
        int size = d.op == org.kasou.isa.Op.CMPXCHG8B ? 8 : d.dstSize;
        int ea = Operands.ea(s, d);
        int lin = s.seg[d.eaSeg].base + ea;
        if ((lin & (size - 1)) != 0) return false; // misaligned: the generic path
        Memory m = cpu.memory;
        if (size == 8) {
            m.probeWrite(d.eaSeg, ea, 4);
            m.probeWrite(d.eaSeg, ea + 4, 4);
        } else {
            m.probeWrite(d.eaSeg, ea, size); // the faults of the access, before anything changes
        }
        int pa = m.translate(lin, true, s.cpl == 3);
        PhysicalMemory ram = cpu.physical;
        if (!ram.isRam(pa) || ram.isCodePage(pa >>> PhysicalMemory.PAGE_SHIFT)) return false; // code writes must be reported
        byte[] chunk = ram.chunkFor(pa);
        int off = pa & PhysicalMemory.CHUNK_MASK;
        if (size == 8) {
            cmpxchg8b(s, chunk, off);
            return true;
        }
        // Bytes and words are updated through the aligned dword around them.
        int word = off & ~3, shift = (off & 3) << 3, mask = size == 4 ? -1 : size == 2 ? 0xFFFF : 0xFF;
        int src = d.src == DecodedInsn.LOC_IMM ? d.imm : d.src == DecodedInsn.LOC_REG ? Operands.readReg(s, d.srcReg, size) : 0;
        while (true) {
            int w = (int) I32.getVolatile(chunk, word);
            int old = (w >>> shift) & mask;
            int res;
            switch (kind) {
                case XCHG -> res = src;
                case CMPXCHG -> {
                    int acc = Operands.readReg(s, CpuState.EAX, size);
                    Alu.cmp(s, size, acc, old);
                    if (acc != old) { // the destination is written back unchanged: nothing to store
                        Operands.writeReg(s, CpuState.EAX, size, old);
                        return true;
                    }
                    res = src;
                }
                case XADD -> res = Alu.add(s, size, old, src);
                case ADD -> res = Alu.add(s, size, old, src);
                case OR -> res = Alu.or(s, size, old, src);
                case AND -> res = Alu.and(s, size, old, src);
                case SUB -> res = Alu.sub(s, size, old, src);
                case XOR -> res = Alu.xor(s, size, old, src);
                case INC -> res = Alu.inc(s, size, old);
                case DEC -> res = Alu.dec(s, size, old);
                case NEG -> res = Alu.neg(s, size, old);
                default -> res = ~old; // NOT
            }
            int nw = (w & ~(mask << shift)) | ((res & mask) << shift);
            if (I32.compareAndSet(chunk, word, w, nw)) {
                if (kind == XCHG || kind == XADD) Operands.writeReg(s, d.srcReg, size, old);
                return true;
            }
            // another CPU stored meanwhile: again, from the new value (flags are set afresh each time)
        }
    }

    private static void cmpxchg8b(CpuState s, byte[] chunk, int off) {
        int[] r = s.gpr;
        long expected = (r[CpuState.EAX] & 0xFFFFFFFFL) | ((long) r[CpuState.EDX] << 32);
        long replacement = (r[CpuState.EBX] & 0xFFFFFFFFL) | ((long) r[CpuState.ECX] << 32);
        long witness = (long) I64.compareAndExchange(chunk, off, expected, replacement);
        boolean eq = witness == expected;
        if (!eq) {
            r[CpuState.EAX] = (int) witness;
            r[CpuState.EDX] = (int) (witness >>> 32);
        }
        LazyFlags.setArith(s, (LazyFlags.arith(s) & ~Flags.ZF) | (eq ? Flags.ZF : 0));
    }

    private static final int XCHG = 0, CMPXCHG = 1, XADD = 2, ADD = 3, OR = 4, AND = 5, SUB = 6, XOR = 7, INC = 8, DEC = 9, NEG = 10,
            NOT = 11, CMPXCHG8B = 12;

    private static int kind(DecodedInsn d) {
        boolean regOrImm = d.src == DecodedInsn.LOC_REG || d.src == DecodedInsn.LOC_IMM;
        switch (d.op) {
            case XCHG: return d.src == DecodedInsn.LOC_REG ? XCHG : -1;
            case CMPXCHG: return d.src == DecodedInsn.LOC_REG ? CMPXCHG : -1;
            case XADD: return d.src == DecodedInsn.LOC_REG ? XADD : -1;
            case ADD: return regOrImm ? ADD : -1;
            case OR: return regOrImm ? OR : -1;
            case AND: return regOrImm ? AND : -1;
            case SUB: return regOrImm ? SUB : -1;
            case XOR: return regOrImm ? XOR : -1;
            case INC: return INC;
            case DEC: return DEC;
            case NEG: return NEG;
            case NOT: return NOT;
            case CMPXCHG8B: return CMPXCHG8B;
            default: return -1;
        }
    }
}
