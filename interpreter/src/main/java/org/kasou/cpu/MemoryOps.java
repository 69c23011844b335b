package org.kasou.cpu;

import org.kasou.cpu.exec.Alu;
import org.kasou.cpu.exec.Conditions;
import org.kasou.cpu.exec.Exec;
import org.kasou.cpu.exec.MulDiv;
import org.kasou.cpu.exec.Operands;
import org.kasou.isa.DecodedInsn;
import org.kasou.mem.Memory;

/**
 * Fast forms with a memory operand addressed with 32-bit registers, and PUSH/POP. Reads (which
 * may fault) come first, then the memory write, then registers and flags; an op that writes
 * checks whether the write hit the running block. A read-modify-write computes its value
 * without flags, writes it, and records the flags only after the write succeeded.
 */
final class MemoryOps {
    private MemoryOps() {}

    /** A memory op with a register operand (reg) and an immediate. */
    abstract static class M extends FastOp.Mem {
        final int reg, imm, next;

        M(int idx, DecodedInsn d, int reg, int imm) {
            super(idx, d);
            this.reg = reg;
            this.imm = imm;
            this.next = d.next;
        }

        /** Continue, or stop after this instruction when its write hit the running block. */
        final int written(BlockRunner x) {
            return x.runningHit ? x.hit(idx, next) : idx + 1;
        }
    }

    static final class MovRM32 extends M {
        MovRM32(int idx, DecodedInsn d) { super(idx, d, d.dstReg, 0); }
        @Override int run(BlockRunner x) { int[] r = x.r; r[reg] = x.read32(seg, ea(r)); return idx + 1; }
    }

    static final class MovMR32 extends M {
        MovMR32(int idx, DecodedInsn d) { super(idx, d, d.srcReg, 0); }
        @Override int run(BlockRunner x) { int[] r = x.r; x.write32(seg, ea(r), r[reg]); return written(x); }
    }

    static final class MovMI32 extends M {
        MovMI32(int idx, DecodedInsn d) { super(idx, d, 0, d.imm); }
        @Override int run(BlockRunner x) { x.write32(seg, ea(x.r), imm); return written(x); }
    }

    static final class MovRM16 extends M {
        MovRM16(int idx, DecodedInsn d) { super(idx, d, d.dstReg, 0); }
        @Override int run(BlockRunner x) { int[] r = x.r; Operands.writeReg(x.s, reg, 2, x.read16(seg, ea(r))); return idx + 1; }
    }

    static final class MovMR16 extends M {
        MovMR16(int idx, DecodedInsn d) { super(idx, d, d.srcReg, 0); }
        @Override int run(BlockRunner x) { int[] r = x.r; x.write16(seg, ea(r), r[reg]); return written(x); }
    }

    static final class MovMI16 extends M {
        MovMI16(int idx, DecodedInsn d) { super(idx, d, 0, d.imm); }
        @Override int run(BlockRunner x) { x.write16(seg, ea(x.r), imm); return written(x); }
    }

    static final class MovRM8 extends M {
        MovRM8(int idx, DecodedInsn d) { super(idx, d, d.dstReg, 0); }
        @Override int run(BlockRunner x) { Operands.writeReg(x.s, reg, 1, x.read8(seg, ea(x.r))); return idx + 1; }
    }

    static final class MovMR8 extends M {
        MovMR8(int idx, DecodedInsn d) { super(idx, d, d.srcReg, 0); }
        @Override int run(BlockRunner x) { x.write8(seg, ea(x.r), Operands.readReg(x.s, reg, 1)); return written(x); }
    }

    static final class MovMI8 extends M {
        MovMI8(int idx, DecodedInsn d) { super(idx, d, 0, d.imm); }
        @Override int run(BlockRunner x) { x.write8(seg, ea(x.r), imm); return written(x); }
    }

    static final class MovzxRM8 extends M {
        MovzxRM8(int idx, DecodedInsn d) { super(idx, d, d.dstReg, 0); }
        @Override int run(BlockRunner x) { int[] r = x.r; r[reg] = x.read8(seg, ea(r)); return idx + 1; }
    }

    static final class MovzxM16 extends M {
        MovzxM16(int idx, DecodedInsn d) { super(idx, d, d.dstReg, 0); }
        @Override int run(BlockRunner x) { int[] r = x.r; r[reg] = x.read16(seg, ea(r)); return idx + 1; }
    }

    static final class MovsxM8 extends M {
        MovsxM8(int idx, DecodedInsn d) { super(idx, d, d.dstReg, 0); }
        @Override int run(BlockRunner x) { int[] r = x.r; r[reg] = (byte) x.read8(seg, ea(r)); return idx + 1; }
    }

    static final class MovsxM16 extends M {
        MovsxM16(int idx, DecodedInsn d) { super(idx, d, d.dstReg, 0); }
        @Override int run(BlockRunner x) { int[] r = x.r; r[reg] = (short) x.read16(seg, ea(r)); return idx + 1; }
    }

    /** Group-1 op (imm holds the kind): r32 op= [mem]. */
    static final class AluRM32 extends M {
        AluRM32(int idx, DecodedInsn d) { super(idx, d, d.dstReg, d.aux); }
        @Override int run(BlockRunner x) {
            int[] r = x.r;
            int v = x.read32(seg, ea(r));
            r[reg] = Exec.alu(x.s, imm, 4, r[reg], v);
            return idx + 1;
        }
    }

    /** CMP r32, [mem]. */
    static final class CmpRM32 extends M {
        CmpRM32(int idx, DecodedInsn d) { super(idx, d, d.dstReg, 0); }
        @Override int run(BlockRunner x) {
            int[] r = x.r;
            int v = x.read32(seg, ea(r));
            Alu.cmp(x.s, 4, r[reg], v);
            return idx + 1;
        }
    }

    /** ADD r32, [mem]. */
    static final class AddRM32 extends M {
        AddRM32(int idx, DecodedInsn d) { super(idx, d, d.dstReg, 0); }
        @Override int run(BlockRunner x) {
            int[] r = x.r;
            int v = x.read32(seg, ea(r));
            r[reg] = Alu.add(x.s, 4, r[reg], v);
            return idx + 1;
        }
    }

    /**
     * A group-1 op with a dword in memory as destination and a register or an immediate as source:
     * the source is {@code (r[reg] & regMask) | imm}, so one class serves both.
     */
    abstract static class AluM extends M {
        private final int regMask;

        AluM(int idx, DecodedInsn d) {
            super(idx, d, d.src == DecodedInsn.LOC_REG ? d.srcReg : 0, d.src == DecodedInsn.LOC_REG ? 0 : d.imm);
            this.regMask = d.src == DecodedInsn.LOC_REG ? -1 : 0;
        }

        final int src(int[] r) {
            return (r[reg] & regMask) | imm;
        }
    }

    static final class AddMR32 extends AluM {
        AddMR32(int idx, DecodedInsn d) { super(idx, d); }
        @Override int run(BlockRunner x) {
            int[] r = x.r;
            int ea = ea(r);
            int v = x.read32(seg, ea);
            int src = src(r);
            x.write32(seg, ea, v + src);
            Alu.add(x.s, 4, v, src);
            return written(x);
        }
    }

    static final class SubMR32 extends AluM {
        SubMR32(int idx, DecodedInsn d) { super(idx, d); }
        @Override int run(BlockRunner x) {
            int[] r = x.r;
            int ea = ea(r);
            int v = x.read32(seg, ea);
            int src = src(r);
            x.write32(seg, ea, v - src);
            Alu.sub(x.s, 4, v, src);
            return written(x);
        }
    }

    static final class AndMR32 extends AluM {
        AndMR32(int idx, DecodedInsn d) { super(idx, d); }
        @Override int run(BlockRunner x) {
            int[] r = x.r;
            int ea = ea(r);
            int v = x.read32(seg, ea);
            int src = src(r);
            x.write32(seg, ea, v & src);
            Alu.and(x.s, 4, v, src);
            return written(x);
        }
    }

    static final class OrMR32 extends AluM {
        OrMR32(int idx, DecodedInsn d) { super(idx, d); }
        @Override int run(BlockRunner x) {
            int[] r = x.r;
            int ea = ea(r);
            int v = x.read32(seg, ea);
            int src = src(r);
            x.write32(seg, ea, v | src);
            Alu.or(x.s, 4, v, src);
            return written(x);
        }
    }

    static final class XorMR32 extends AluM {
        XorMR32(int idx, DecodedInsn d) { super(idx, d); }
        @Override int run(BlockRunner x) {
            int[] r = x.r;
            int ea = ea(r);
            int v = x.read32(seg, ea);
            int src = src(r);
            x.write32(seg, ea, v ^ src);
            Alu.xor(x.s, 4, v, src);
            return written(x);
        }
    }

    /** CMP [mem], r32 / imm. */
    static final class CmpMR32 extends AluM {
        CmpMR32(int idx, DecodedInsn d) { super(idx, d); }
        @Override int run(BlockRunner x) {
            int[] r = x.r;
            Alu.cmp(x.s, 4, x.read32(seg, ea(r)), src(r));
            return idx + 1;
        }
    }

    /** ADC / SBB [mem], r32 / imm (they read CF: the value first, the flags after the write). */
    static final class AluMR32 extends AluM {
        private final int kind;

        AluMR32(int idx, DecodedInsn d) {
            super(idx, d);
            this.kind = d.aux;
        }

        @Override int run(BlockRunner x) {
            int[] r = x.r;
            int ea = ea(r);
            int v = x.read32(seg, ea);
            int src = src(r);
            x.write32(seg, ea, aluValue32(x.s, kind, v, src));
            Exec.alu(x.s, kind, 4, v, src);
            return written(x);
        }
    }

    /** CMP byte [mem], imm8. */
    static final class CmpMI8 extends M {
        CmpMI8(int idx, DecodedInsn d) { super(idx, d, 0, d.imm); }
        @Override int run(BlockRunner x) { Alu.cmp(x.s, 1, x.read8(seg, ea(x.r)), imm); return idx + 1; }
    }

    /** JMP / CALL through a dword in memory (32-bit operand and address size). */
    static final class IndirectM extends M {
        private final boolean call;

        IndirectM(int idx, DecodedInsn d, boolean call) {
            super(idx, d, 0, 0);
            this.call = call;
        }

        @Override int run(BlockRunner x) {
            int t = x.read32(seg, ea(x.r));
            return BranchOps.Indirect.transfer(x, t, call, next, idx);
        }
    }

    /** CMP r8, byte [mem]. */
    static final class CmpRM8 extends M {
        CmpRM8(int idx, DecodedInsn d) { super(idx, d, d.dstReg, 0); }
        @Override int run(BlockRunner x) {
            int v = x.read8(seg, ea(x.r));
            Alu.cmp(x.s, 1, Operands.readReg(x.s, reg, 1), v);
            return idx + 1;
        }
    }

    /** CMP byte [mem], r8. */
    static final class CmpMR8 extends M {
        CmpMR8(int idx, DecodedInsn d) { super(idx, d, d.srcReg, 0); }
        @Override int run(BlockRunner x) {
            int v = x.read8(seg, ea(x.r));
            Alu.cmp(x.s, 1, v, Operands.readReg(x.s, reg, 1));
            return idx + 1;
        }
    }

    /** TEST [mem], r32 / imm32. */
    static final class TestM32 extends M {
        private final boolean useImm;

        TestM32(int idx, DecodedInsn d) {
            super(idx, d, d.srcReg, d.imm);
            this.useImm = d.src == DecodedInsn.LOC_IMM;
        }

        @Override int run(BlockRunner x) {
            int[] r = x.r;
            int v = x.read32(seg, ea(r));
            Alu.test(x.s, 4, v, useImm ? imm : r[reg]);
            return idx + 1;
        }
    }

    /** TEST byte [mem], r8 / imm8. */
    static final class TestM8 extends M {
        private final boolean useImm;

        TestM8(int idx, DecodedInsn d) {
            super(idx, d, d.srcReg, d.imm);
            this.useImm = d.src == DecodedInsn.LOC_IMM;
        }

        @Override int run(BlockRunner x) {
            int v = x.read8(seg, ea(x.r));
            Alu.test(x.s, 1, v, useImm ? imm : Operands.readReg(x.s, reg, 1));
            return idx + 1;
        }
    }

    /** CMOVcc r32, [mem] (imm holds the condition); the read happens (and may fault) either way. */
    static final class CmovRM32 extends M {
        CmovRM32(int idx, DecodedInsn d) { super(idx, d, d.dstReg, d.cc); }
        @Override int run(BlockRunner x) {
            int[] r = x.r;
            int v = x.read32(seg, ea(r));
            if (Conditions.test(x.s, imm)) r[reg] = v;
            return idx + 1;
        }
    }

    static final class ImulRM32 extends M {
        ImulRM32(int idx, DecodedInsn d) { super(idx, d, d.dstReg, 0); }
        @Override int run(BlockRunner x) {
            int[] r = x.r;
            int v = x.read32(seg, ea(r));
            r[reg] = MulDiv.imul(x.s, 4, r[reg], v);
            return idx + 1;
        }
    }

    static final class ImulRMI32 extends M {
        ImulRMI32(int idx, DecodedInsn d) { super(idx, d, d.dstReg, d.imm); }
        @Override int run(BlockRunner x) {
            int[] r = x.r;
            int v = x.read32(seg, ea(r));
            r[reg] = MulDiv.imul(x.s, 4, v, imm);
            return idx + 1;
        }
    }

    /** SETcc byte [mem] (imm holds the condition). */
    static final class SetccM8 extends M {
        SetccM8(int idx, DecodedInsn d) { super(idx, d, 0, d.cc); }
        @Override int run(BlockRunner x) { x.write8(seg, ea(x.r), Conditions.test(x.s, imm) ? 1 : 0); return written(x); }
    }

    // The stack (32-bit operand size; SS.B chooses ESP or SP).

    static final class PushR32 extends FastOp {
        private final int reg, next;

        PushR32(int idx, DecodedInsn d) {
            super(idx);
            this.reg = d.dstReg;
            this.next = d.next;
        }

        @Override int run(BlockRunner x) {
            x.push32(x.r[reg]);
            return x.runningHit ? x.hit(idx, next) : idx + 1;
        }
    }

    static final class PushI32 extends FastOp {
        private final int imm, next;

        PushI32(int idx, DecodedInsn d) {
            super(idx);
            this.imm = d.imm;
            this.next = d.next;
        }

        @Override int run(BlockRunner x) {
            x.push32(imm);
            return x.runningHit ? x.hit(idx, next) : idx + 1;
        }
    }

    static final class PopR32 extends FastOp {
        private final int reg;

        PopR32(int idx, DecodedInsn d) {
            super(idx);
            this.reg = d.dstReg;
        }

        @Override int run(BlockRunner x) {
            int v = x.pop32();
            x.r[reg] = v;
            return idx + 1;
        }
    }

    /** The value of group-1 operation {@code kind} without recording flags (ADC/SBB read CF). */
    static int aluValue32(CpuState s, int kind, int a, int b) {
        switch (kind) {
            case 0: return a + b;
            case 1: return a | b;
            case 2: return a + b + (org.kasou.cpu.LazyFlags.cf(s) ? 1 : 0);
            case 3: return a - b - (org.kasou.cpu.LazyFlags.cf(s) ? 1 : 0);
            case 4: return a & b;
            case 5: return a - b;
            case 6: return a ^ b;
            default: return a;
        }
    }
}
