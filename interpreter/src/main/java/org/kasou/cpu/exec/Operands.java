package org.kasou.cpu.exec;

import static org.kasou.isa.DecodedInsn.LOC_IMM;
import static org.kasou.isa.DecodedInsn.LOC_MEM;
import static org.kasou.isa.DecodedInsn.LOC_REG;
import static org.kasou.isa.DecodedInsn.LOC_SREG;

import org.kasou.cpu.Cpu;
import org.kasou.cpu.CpuFault;
import org.kasou.cpu.CpuState;
import org.kasou.isa.DecodedInsn;

/**
 * Operand access for decoded instructions: effective addresses, sized register views and the
 * generic read/write of operand 0 (dst) and operand 1 (src) wherever they live. The decoder has
 * resolved every operand to a location (register number, memory recipe, immediate), so nothing
 * here looks at operand kinds.
 */
public final class Operands {
    private Operands() {}

    /** The effective address (offset in d.eaSeg), wrapped to the address size. */
    public static int ea(CpuState s, DecodedInsn d) {
        int a = d.eaDisp;
        if (d.eaBase >= 0) a += s.gpr[d.eaBase];
        if (d.eaIndex >= 0) a += s.gpr[d.eaIndex] << d.eaScale;
        return d.addrSize == 2 ? a & 0xFFFF : a;
    }

    /** Register {@code reg} viewed at {@code size} bytes (8-bit numbering AL, CL, DL, BL, AH, CH, DH, BH). */
    public static int readReg(CpuState s, int reg, int size) {
        if (size == 4) return s.gpr[reg];
        if (size == 2) return s.gpr[reg] & 0xFFFF;
        return reg < 4 ? s.gpr[reg] & 0xFF : (s.gpr[reg - 4] >>> 8) & 0xFF;
    }

    public static void writeReg(CpuState s, int reg, int size, int v) {
        int[] r = s.gpr;
        if (size == 4) {
            r[reg] = v;
        } else if (size == 2) {
            r[reg] = (r[reg] & 0xFFFF0000) | (v & 0xFFFF);
        } else if (reg < 4) {
            r[reg] = (r[reg] & ~0xFF) | (v & 0xFF);
        } else {
            r[reg - 4] = (r[reg - 4] & ~0xFF00) | ((v & 0xFF) << 8);
        }
    }

    /** Reads operand 0; {@code ea} is used when it is in memory. */
    public static int readDst(Cpu cpu, DecodedInsn d, int ea) {
        switch (d.dst) {
            case LOC_REG: return readReg(cpu.state, d.dstReg, d.dstSize);
            case LOC_MEM: return cpu.memory.read(d.eaSeg, ea, d.dstSize);
            case LOC_IMM: return d.imm;
            case LOC_SREG: return cpu.state.seg[d.dstReg].selector;
            default: throw cpu.fault.set(CpuFault.UD, CpuFault.NO_ERROR_CODE);
        }
    }

    /** Reads operand 1; {@code ea} is used when it is in memory. */
    public static int readSrc(Cpu cpu, DecodedInsn d, int ea) {
        switch (d.src) {
            case LOC_REG: return readReg(cpu.state, d.srcReg, d.srcSize);
            case LOC_MEM: return cpu.memory.read(d.eaSeg, ea, d.srcSize);
            case LOC_IMM: return d.imm;
            case LOC_SREG: return cpu.state.seg[d.srcReg].selector;
            default: throw cpu.fault.set(CpuFault.UD, CpuFault.NO_ERROR_CODE);
        }
    }

    public static void writeDst(Cpu cpu, DecodedInsn d, int ea, int v) {
        if (d.dst == LOC_REG) writeReg(cpu.state, d.dstReg, d.dstSize, v);
        else if (d.dst == LOC_MEM) cpu.memory.write(d.eaSeg, ea, d.dstSize, v);
        else throw cpu.fault.set(CpuFault.UD, CpuFault.NO_ERROR_CODE);
    }

    public static void writeSrc(Cpu cpu, DecodedInsn d, int ea, int v) {
        if (d.src == LOC_REG) writeReg(cpu.state, d.srcReg, d.srcSize, v);
        else if (d.src == LOC_MEM) cpu.memory.write(d.eaSeg, ea, d.srcSize, v);
        else throw cpu.fault.set(CpuFault.UD, CpuFault.NO_ERROR_CODE);
    }

    /** The effective address if either operand is in memory, else 0. */
    public static int eaIfMem(CpuState s, DecodedInsn d) {
        return d.dst == LOC_MEM || d.src == LOC_MEM ? ea(s, d) : 0;
    }

    /** Raises #UD. */
    public static CpuFault ud(Cpu cpu) {
        return cpu.fault.set(CpuFault.UD, CpuFault.NO_ERROR_CODE);
    }

    public static CpuFault gp0(Cpu cpu) {
        return cpu.fault.set(CpuFault.GP, 0);
    }
}
