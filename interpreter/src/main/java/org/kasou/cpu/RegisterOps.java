package org.kasou.cpu;

import org.kasou.cpu.exec.Alu;
import org.kasou.cpu.exec.Conditions;
import org.kasou.cpu.exec.Exec;
import org.kasou.cpu.exec.MulDiv;
import org.kasou.cpu.exec.Operands;
import org.kasou.cpu.exec.Shifts;
import org.kasou.isa.DecodedInsn;

/**
 * Fast forms with register and immediate operands only: they cannot fault, so each does its work
 * and continues with the next instruction. The arithmetic is {@link Alu}'s, {@link Shifts}' and
 * {@link MulDiv}'s (inlined here with the size folded to 4), so the flags are recorded exactly as
 * on the generic path.
 */
final class RegisterOps {
    private RegisterOps() {}

    /** dst, src register numbers (32-bit) and an immediate. */
    abstract static class Rr extends FastOp {
        final int dst, src, imm;

        Rr(int idx, int dst, int src, int imm) {
            super(idx);
            this.dst = dst;
            this.src = src;
            this.imm = imm;
        }
    }

    static final class Nop extends FastOp {
        Nop(int idx) { super(idx); }
        @Override int run(BlockRunner x) { return idx + 1; }
    }

    static final class MovRR extends Rr {
        MovRR(int idx, int dst, int src) { super(idx, dst, src, 0); }
        @Override int run(BlockRunner x) { int[] r = x.r; r[dst] = r[src]; return idx + 1; }
    }

    static final class MovRI extends Rr {
        MovRI(int idx, int dst, int imm) { super(idx, dst, 0, imm); }
        @Override int run(BlockRunner x) { x.r[dst] = imm; return idx + 1; }
    }

    static final class AddRR extends Rr {
        AddRR(int idx, int dst, int src) { super(idx, dst, src, 0); }
        @Override int run(BlockRunner x) { int[] r = x.r; r[dst] = Alu.add(x.s, 4, r[dst], r[src]); return idx + 1; }
    }

    static final class OrRR extends Rr {
        OrRR(int idx, int dst, int src) { super(idx, dst, src, 0); }
        @Override int run(BlockRunner x) { int[] r = x.r; r[dst] = Alu.or(x.s, 4, r[dst], r[src]); return idx + 1; }
    }

    static final class AdcRR extends Rr {
        AdcRR(int idx, int dst, int src) { super(idx, dst, src, 0); }
        @Override int run(BlockRunner x) { int[] r = x.r; r[dst] = Alu.adc(x.s, 4, r[dst], r[src]); return idx + 1; }
    }

    static final class SbbRR extends Rr {
        SbbRR(int idx, int dst, int src) { super(idx, dst, src, 0); }
        @Override int run(BlockRunner x) { int[] r = x.r; r[dst] = Alu.sbb(x.s, 4, r[dst], r[src]); return idx + 1; }
    }

    static final class AndRR extends Rr {
        AndRR(int idx, int dst, int src) { super(idx, dst, src, 0); }
        @Override int run(BlockRunner x) { int[] r = x.r; r[dst] = Alu.and(x.s, 4, r[dst], r[src]); return idx + 1; }
    }

    static final class SubRR extends Rr {
        SubRR(int idx, int dst, int src) { super(idx, dst, src, 0); }
        @Override int run(BlockRunner x) { int[] r = x.r; r[dst] = Alu.sub(x.s, 4, r[dst], r[src]); return idx + 1; }
    }

    static final class XorRR extends Rr {
        XorRR(int idx, int dst, int src) { super(idx, dst, src, 0); }
        @Override int run(BlockRunner x) { int[] r = x.r; r[dst] = Alu.xor(x.s, 4, r[dst], r[src]); return idx + 1; }
    }

    static final class CmpRR extends Rr {
        CmpRR(int idx, int dst, int src) { super(idx, dst, src, 0); }
        @Override int run(BlockRunner x) { int[] r = x.r; Alu.cmp(x.s, 4, r[dst], r[src]); return idx + 1; }
    }

    static final class AddRI extends Rr {
        AddRI(int idx, int dst, int imm) { super(idx, dst, 0, imm); }
        @Override int run(BlockRunner x) { int[] r = x.r; r[dst] = Alu.add(x.s, 4, r[dst], imm); return idx + 1; }
    }

    static final class OrRI extends Rr {
        OrRI(int idx, int dst, int imm) { super(idx, dst, 0, imm); }
        @Override int run(BlockRunner x) { int[] r = x.r; r[dst] = Alu.or(x.s, 4, r[dst], imm); return idx + 1; }
    }

    static final class AdcRI extends Rr {
        AdcRI(int idx, int dst, int imm) { super(idx, dst, 0, imm); }
        @Override int run(BlockRunner x) { int[] r = x.r; r[dst] = Alu.adc(x.s, 4, r[dst], imm); return idx + 1; }
    }

    static final class SbbRI extends Rr {
        SbbRI(int idx, int dst, int imm) { super(idx, dst, 0, imm); }
        @Override int run(BlockRunner x) { int[] r = x.r; r[dst] = Alu.sbb(x.s, 4, r[dst], imm); return idx + 1; }
    }

    static final class AndRI extends Rr {
        AndRI(int idx, int dst, int imm) { super(idx, dst, 0, imm); }
        @Override int run(BlockRunner x) { int[] r = x.r; r[dst] = Alu.and(x.s, 4, r[dst], imm); return idx + 1; }
    }

    static final class SubRI extends Rr {
        SubRI(int idx, int dst, int imm) { super(idx, dst, 0, imm); }
        @Override int run(BlockRunner x) { int[] r = x.r; r[dst] = Alu.sub(x.s, 4, r[dst], imm); return idx + 1; }
    }

    static final class XorRI extends Rr {
        XorRI(int idx, int dst, int imm) { super(idx, dst, 0, imm); }
        @Override int run(BlockRunner x) { int[] r = x.r; r[dst] = Alu.xor(x.s, 4, r[dst], imm); return idx + 1; }
    }

    static final class CmpRI extends Rr {
        CmpRI(int idx, int dst, int imm) { super(idx, dst, 0, imm); }
        @Override int run(BlockRunner x) { Alu.cmp(x.s, 4, x.r[dst], imm); return idx + 1; }
    }

    static final class TestRR extends Rr {
        TestRR(int idx, int dst, int src) { super(idx, dst, src, 0); }
        @Override int run(BlockRunner x) { int[] r = x.r; Alu.test(x.s, 4, r[dst], r[src]); return idx + 1; }
    }

    static final class TestRI extends Rr {
        TestRI(int idx, int dst, int imm) { super(idx, dst, 0, imm); }
        @Override int run(BlockRunner x) { Alu.test(x.s, 4, x.r[dst], imm); return idx + 1; }
    }

    static final class IncR extends Rr {
        IncR(int idx, int dst) { super(idx, dst, 0, 0); }
        @Override int run(BlockRunner x) { int[] r = x.r; r[dst] = Alu.inc(x.s, 4, r[dst]); return idx + 1; }
    }

    static final class DecR extends Rr {
        DecR(int idx, int dst) { super(idx, dst, 0, 0); }
        @Override int run(BlockRunner x) { int[] r = x.r; r[dst] = Alu.dec(x.s, 4, r[dst]); return idx + 1; }
    }

    static final class NotR extends Rr {
        NotR(int idx, int dst) { super(idx, dst, 0, 0); }
        @Override int run(BlockRunner x) { int[] r = x.r; r[dst] = ~r[dst]; return idx + 1; }
    }

    static final class NegR extends Rr {
        NegR(int idx, int dst) { super(idx, dst, 0, 0); }
        @Override int run(BlockRunner x) { int[] r = x.r; r[dst] = Alu.neg(x.s, 4, r[dst]); return idx + 1; }
    }

    /** SHL r32, imm (count 1..31). */
    static final class ShlRI extends Rr {
        ShlRI(int idx, int dst, int count) { super(idx, dst, 0, count); }
        @Override int run(BlockRunner x) { int[] r = x.r; r[dst] = Shifts.shl(x.s, 4, r[dst], imm); return idx + 1; }
    }

    static final class ShrRI extends Rr {
        ShrRI(int idx, int dst, int count) { super(idx, dst, 0, count); }
        @Override int run(BlockRunner x) { int[] r = x.r; r[dst] = Shifts.shr(x.s, 4, r[dst], imm); return idx + 1; }
    }

    static final class SarRI extends Rr {
        SarRI(int idx, int dst, int count) { super(idx, dst, 0, count); }
        @Override int run(BlockRunner x) { int[] r = x.r; r[dst] = Shifts.sar(x.s, 4, r[dst], imm); return idx + 1; }
    }

    static final class RolRI extends Rr {
        RolRI(int idx, int dst, int count) { super(idx, dst, 0, count); }
        @Override int run(BlockRunner x) { int[] r = x.r; r[dst] = Shifts.rol(x.s, 4, r[dst], imm); return idx + 1; }
    }

    static final class RorRI extends Rr {
        RorRI(int idx, int dst, int count) { super(idx, dst, 0, count); }
        @Override int run(BlockRunner x) { int[] r = x.r; r[dst] = Shifts.ror(x.s, 4, r[dst], imm); return idx + 1; }
    }

    /** Any group-2 kind (src holds it) of r32 by an immediate count 1..31. */
    static final class ShiftRI extends Rr {
        ShiftRI(int idx, int dst, int kind, int count) { super(idx, dst, kind, count); }
        @Override int run(BlockRunner x) { int[] r = x.r; r[dst] = Shifts.shift(x.s, src, 4, r[dst], imm); return idx + 1; }
    }

    /** Group-2 kind (src holds it) of r32 by CL. */
    static final class ShiftRC extends Rr {
        ShiftRC(int idx, int dst, int kind) { super(idx, dst, kind, 0); }
        @Override int run(BlockRunner x) {
            int[] r = x.r;
            int c = r[CpuState.ECX] & 0x1F;
            if (c != 0) r[dst] = Shifts.shift(x.s, src, 4, r[dst], c);
            return idx + 1;
        }
    }

    static final class MovzxR8 extends Rr {
        MovzxR8(int idx, int dst, int src) { super(idx, dst, src, 0); }
        @Override int run(BlockRunner x) { x.r[dst] = Operands.readReg(x.s, src, 1); return idx + 1; }
    }

    static final class MovsxR8 extends Rr {
        MovsxR8(int idx, int dst, int src) { super(idx, dst, src, 0); }
        @Override int run(BlockRunner x) { x.r[dst] = (byte) Operands.readReg(x.s, src, 1); return idx + 1; }
    }

    static final class MovzxR16 extends Rr {
        MovzxR16(int idx, int dst, int src) { super(idx, dst, src, 0); }
        @Override int run(BlockRunner x) { int[] r = x.r; r[dst] = r[src] & 0xFFFF; return idx + 1; }
    }

    static final class MovsxR16 extends Rr {
        MovsxR16(int idx, int dst, int src) { super(idx, dst, src, 0); }
        @Override int run(BlockRunner x) { int[] r = x.r; r[dst] = (short) r[src]; return idx + 1; }
    }

    static final class ImulRR extends Rr {
        ImulRR(int idx, int dst, int src) { super(idx, dst, src, 0); }
        @Override int run(BlockRunner x) { int[] r = x.r; r[dst] = MulDiv.imul(x.s, 4, r[dst], r[src]); return idx + 1; }
    }

    static final class ImulRRI extends Rr {
        ImulRRI(int idx, int dst, int src, int imm) { super(idx, dst, src, imm); }
        @Override int run(BlockRunner x) { int[] r = x.r; r[dst] = MulDiv.imul(x.s, 4, r[src], imm); return idx + 1; }
    }

    /** CMOVcc r32, r32 (imm holds the condition). */
    static final class CmovRR extends Rr {
        CmovRR(int idx, int dst, int src, int cc) { super(idx, dst, src, cc); }
        @Override int run(BlockRunner x) { int[] r = x.r; if (Conditions.test(x.s, imm)) r[dst] = r[src]; return idx + 1; }
    }

    /** SETcc r8 (imm holds the condition). */
    static final class SetccR8 extends Rr {
        SetccR8(int idx, int dst, int cc) { super(idx, dst, 0, cc); }
        @Override int run(BlockRunner x) { Operands.writeReg(x.s, dst, 1, Conditions.test(x.s, imm) ? 1 : 0); return idx + 1; }
    }

    static final class Cdq extends FastOp {
        Cdq(int idx) { super(idx); }
        @Override int run(BlockRunner x) { int[] r = x.r; r[CpuState.EDX] = r[CpuState.EAX] >> 31; return idx + 1; }
    }

    /** LEA r32 with 32-bit addressing (the address computed as {@link FastOp.Mem#ea}). */
    static final class Lea extends FastOp.Mem {
        private final int dst;

        Lea(int idx, DecodedInsn d) {
            super(idx, d);
            this.dst = d.dstReg;
        }

        @Override int run(BlockRunner x) {
            int[] r = x.r;
            r[dst] = ea(r);
            return idx + 1;
        }
    }

    // Byte registers (8-bit numbering AL, CL, DL, BL, AH, CH, DH, BH).

    static final class MovRR8 extends Rr {
        MovRR8(int idx, int dst, int src) { super(idx, dst, src, 0); }
        @Override int run(BlockRunner x) { Operands.writeReg(x.s, dst, 1, Operands.readReg(x.s, src, 1)); return idx + 1; }
    }

    static final class MovRI8 extends Rr {
        MovRI8(int idx, int dst, int imm) { super(idx, dst, 0, imm); }
        @Override int run(BlockRunner x) { Operands.writeReg(x.s, dst, 1, imm); return idx + 1; }
    }

    /** Group-1 op {@code kind} on r8, r8. */
    static final class AluRR8 extends Rr {
        private final int kind;

        AluRR8(int idx, int kind, int dst, int src) {
            super(idx, dst, src, 0);
            this.kind = kind;
        }

        @Override int run(BlockRunner x) {
            CpuState s = x.s;
            int res = Exec.alu(s, kind, 1, Operands.readReg(s, dst, 1), Operands.readReg(s, src, 1));
            if (kind != 7) Operands.writeReg(s, dst, 1, res);
            return idx + 1;
        }
    }

    /** CMP r8, imm8. */
    static final class CmpRI8 extends Rr {
        CmpRI8(int idx, int dst, int imm) { super(idx, dst, 0, imm); }
        @Override int run(BlockRunner x) { Alu.cmp(x.s, 1, Operands.readReg(x.s, dst, 1), imm); return idx + 1; }
    }

    /** Group-1 op {@code kind} on r8, imm8. */
    static final class AluRI8 extends Rr {
        private final int kind;

        AluRI8(int idx, int kind, int dst, int imm) {
            super(idx, dst, 0, imm);
            this.kind = kind;
        }

        @Override int run(BlockRunner x) {
            CpuState s = x.s;
            int res = Exec.alu(s, kind, 1, Operands.readReg(s, dst, 1), imm);
            if (kind != 7) Operands.writeReg(s, dst, 1, res);
            return idx + 1;
        }
    }

    static final class TestRR8 extends Rr {
        TestRR8(int idx, int dst, int src) { super(idx, dst, src, 0); }
        @Override int run(BlockRunner x) { Alu.test(x.s, 1, Operands.readReg(x.s, dst, 1), Operands.readReg(x.s, src, 1)); return idx + 1; }
    }

    static final class TestRI8 extends Rr {
        TestRI8(int idx, int dst, int imm) { super(idx, dst, 0, imm); }
        @Override int run(BlockRunner x) { Alu.test(x.s, 1, Operands.readReg(x.s, dst, 1), imm); return idx + 1; }
    }
}
