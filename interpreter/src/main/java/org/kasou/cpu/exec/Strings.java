package org.kasou.cpu.exec;

import org.kasou.cpu.Cpu;
import org.kasou.cpu.CpuState;
import org.kasou.cpu.Flags;
import org.kasou.cpu.LazyFlags;
import org.kasou.cpu.Segment;
import org.kasou.cpu.sys.SystemOps;
import org.kasou.isa.DecodedInsn;
import org.kasou.isa.Op;
import org.kasou.mem.Memory;

/**
 * The string instructions MOVS, CMPS, SCAS, LODS, STOS, INS and OUTS with REP/REPE/REPNE, in both
 * directions and both address sizes (SDM vol. 2, the instruction pages and "REP/REPE/REPZ/REPNE/
 * REPNZ"). Each iteration updates ECX/ESI/EDI only after its memory accesses succeeded, so a fault
 * leaves them at the faulting iteration, and the instruction restarts there. A repeated
 * instruction runs at most {@link #CHUNK} iterations at a time and then asks to be executed again
 * (EIP left on it), so that interrupts and stop requests are seen during long copies.
 */
public final class Strings {
    private Strings() {}

    /** Iterations per execution of a repeated string instruction. */
    public static final int CHUNK = 1 << 16;

    /** Returns true when the instruction finished, false when it must run again (EIP left on it). */
    public static boolean execute(Cpu cpu, DecodedInsn d) {
        CpuState s = cpu.state;
        int[] r = s.gpr;
        boolean a32 = d.addrSize == 4;
        if (d.op == Op.INS || d.op == Op.OUTS) {
            // The I/O permission check comes before the count: a REP INS/OUTS with ECX = 0 on a
            // denied port is #GP(0) too (as the host CPU and QEMU do); nothing moves before it.
            SystemOps.checkIo(cpu, r[CpuState.EDX] & 0xFFFF, elementSize(d));
        }
        if (d.rep == 0) {
            once(cpu, d, a32);
            return true;
        }
        Op op = d.op;
        boolean cond = op == Op.CMPS || op == Op.SCAS;
        if (!cond && (op == Op.MOVS || op == Op.STOS) && FastStrings.tryFast(cpu, d, a32)) {
            return true;
        }
        int budget = CHUNK;
        while (true) {
            int count = a32 ? r[CpuState.ECX] : r[CpuState.ECX] & 0xFFFF;
            if (count == 0) return true;
            if (budget-- == 0) {
                s.eip = d.eip;
                return false;
            }
            once(cpu, d, a32);
            count--;
            r[CpuState.ECX] = a32 ? count : (r[CpuState.ECX] & 0xFFFF0000) | count;
            if (cond) {
                boolean zf = LazyFlags.zf(s);
                if (d.rep == DecodedInsn.P_REP ? !zf : zf) return true;
            }
        }
    }

    static int step(CpuState s, int size) {
        return (s.eflagsRest & Flags.DF) != 0 ? -size : size;
    }

    static int index(int[] r, int reg, boolean a32) {
        return a32 ? r[reg] : r[reg] & 0xFFFF;
    }

    static void advance(int[] r, int reg, boolean a32, int delta) {
        r[reg] = a32 ? r[reg] + delta : (r[reg] & 0xFFFF0000) | ((r[reg] + delta) & 0xFFFF);
    }

    private static int elementSize(DecodedInsn d) {
        return d.op == Op.OUTS || d.op == Op.LODS || d.op == Op.CMPS ? d.srcSize : d.dstSize;
    }

    /** One iteration without the repeat logic (INS and OUTS: the port already checked). */
    private static void once(Cpu cpu, DecodedInsn d, boolean a32) {
        CpuState s = cpu.state;
        int[] r = s.gpr;
        Memory m = cpu.memory;
        int size = elementSize(d);
        int delta = step(s, size);
        switch (d.op) {
            case MOVS: {
                int v = m.read(d.eaSeg, index(r, CpuState.ESI, a32), size);
                m.write(Segment.ES, index(r, CpuState.EDI, a32), size, v);
                advance(r, CpuState.ESI, a32, delta);
                advance(r, CpuState.EDI, a32, delta);
                break;
            }
            case CMPS: {
                // The host CPU checks ES:EDI's segment first (with both operands beyond their
                // limits it reports the ES:EDI fault; MOVS its source's), but reads the source
                // first (with both pages absent the #PF is the source's, as for MOVS).
                int di = index(r, CpuState.EDI, a32);
                m.checkSlow(Segment.ES, di, size, false);
                int a = m.read(d.eaSeg, index(r, CpuState.ESI, a32), size);
                int b = m.read(Segment.ES, di, size);
                Alu.cmp(s, size, a, b);
                advance(r, CpuState.ESI, a32, delta);
                advance(r, CpuState.EDI, a32, delta);
                break;
            }
            case SCAS: {
                int b = m.read(Segment.ES, index(r, CpuState.EDI, a32), size);
                Alu.cmp(s, size, Operands.readReg(s, CpuState.EAX, size), b);
                advance(r, CpuState.EDI, a32, delta);
                break;
            }
            case LODS: {
                int v = m.read(d.eaSeg, index(r, CpuState.ESI, a32), size);
                Operands.writeReg(s, CpuState.EAX, size, v);
                advance(r, CpuState.ESI, a32, delta);
                break;
            }
            case STOS:
                m.write(Segment.ES, index(r, CpuState.EDI, a32), size, Operands.readReg(s, CpuState.EAX, size));
                advance(r, CpuState.EDI, a32, delta);
                break;
            case INS: {
                int port = r[CpuState.EDX] & 0xFFFF;
                int di = index(r, CpuState.EDI, a32);
                m.probeWrite(Segment.ES, di, size);
                int v = cpu.io.in(port, size);
                m.write(Segment.ES, di, size, v);
                advance(r, CpuState.EDI, a32, delta);
                break;
            }
            case OUTS: {
                int port = r[CpuState.EDX] & 0xFFFF;
                int v = m.read(d.eaSeg, index(r, CpuState.ESI, a32), size);
                cpu.io.out(port, size, v);
                advance(r, CpuState.ESI, a32, delta);
                break;
            }
            default:
                throw Operands.ud(cpu);
        }
    }
}
