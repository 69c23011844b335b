package org.kasou.cpu;

import static org.kasou.isa.DecodedInsn.LOC_IMM;
import static org.kasou.isa.DecodedInsn.LOC_MEM;
import static org.kasou.isa.DecodedInsn.LOC_REG;

import org.kasou.cpu.exec.Alu;
import org.kasou.cpu.exec.BitOps;
import org.kasou.cpu.exec.Exec;
import org.kasou.cpu.exec.MulDiv;
import org.kasou.cpu.exec.Operands;
import org.kasou.cpu.exec.Shifts;
import org.kasou.isa.DecodedInsn;
import org.kasou.isa.Op;

/**
 * Fast forms for instructions that the handler table leaves to the generic path but that compiled
 * C code runs often, chosen from the decoded instruction as the JIT's Kinds chooses its forms: word
 * register arithmetic (CPython's and gawk's `neg ax`, `test ax, ax`, `shr ax, 8`) and the byte
 * forms without a handler (NEG, NOT, INC, DEC, shifts), byte and word arithmetic with a memory
 * source, PUSH of a memory operand (arguments passed on in i386 code), DIV and IDIV of a 32-bit
 * operand, one-operand IMUL of a 32-bit operand (gcc's signed division by a constant), BSF and BSR
 * of a 32-bit operand (__builtin_ctz and __builtin_clz; TZCNT runs as BSF on a P6), MOVZX and
 * MOVSX of a byte into a word register (a signed char added to a short), NEG and NOT of memory,
 * CBW, BT of a 32-bit register (gcc tests a bit of a mask with it: a switch on character classes),
 * CLD and STD. Each runs the same semantic methods as {@link Exec} (Alu, Shifts, MulDiv),
 * without the generic path's dispatch on the operation, flag save and segment resync. Every read
 * that can fault comes before any change, so a fault leaves the state as it was (no flags to
 * restore).
 */
final class DecodedFormOps {
    private DecodedFormOps() {}

    /** Kind of a TEST among the group-1 kinds (0-7). */
    private static final int TEST = 8;

    /** The op for d, or null when it has none here. */
    static FastOp create(int i, DecodedInsn d) {
        int size = d.dstSize;
        boolean a32 = d.addrSize == 4;
        boolean smallReg = d.dst == LOC_REG && (size == 1 || (size == 2 && d.opSize == 2));
        int alu = d.op.aluIndex();
        if (smallReg && (alu >= 0 || d.op == Op.TEST)) {
            // byte registers with a register or immediate source have handlers of their own (ALU_RR8...)
            int kind = alu >= 0 ? alu : TEST;
            if (size == 2 && d.src == LOC_REG && d.srcSize == 2) return new AluRR16(i, kind, d.dstReg, d.srcReg);
            if (size == 2 && d.src == LOC_IMM) return new AluRI16(i, kind, d.dstReg, d.imm);
            if (d.src == LOC_MEM && a32) return new AluRM(i, d, kind, size);
            return null;
        }
        if (smallReg && (d.op == Op.NEG || d.op == Op.NOT || d.op == Op.INC || d.op == Op.DEC)) {
            return new Unary(i, d.op, size, d.dstReg);
        }
        if (smallReg && d.src == LOC_IMM && isShift(d.op)) {
            int count = d.imm & 0x1F;
            return count == 0 ? null : new ShiftRI(i, d.reg, size, d.dstReg, count);
        }
        if (d.op == Op.PUSH && d.opSize == 4 && d.dst == LOC_MEM && a32) return new PushM32(i, d);
        if ((d.op == Op.DIV || d.op == Op.IDIV) && size == 4) {
            if (d.dst == LOC_REG) return new DivR32(i, d.op == Op.IDIV, d.dstReg);
            if (d.dst == LOC_MEM && a32) return new DivM32(i, d, d.op == Op.IDIV);
            return null;
        }
        if (d.op == Op.IMUL1 && size == 4) {
            if (d.dst == LOC_REG) return new Imul1R32(i, d.dstReg);
            if (d.dst == LOC_MEM && a32) return new Imul1M32(i, d);
            return null;
        }
        if ((d.op == Op.BSF || d.op == Op.BSR) && size == 4) {
            if (d.src == LOC_REG) return new ScanRR32(i, d.op == Op.BSR, d.dstReg, d.srcReg);
            if (d.src == LOC_MEM && a32) return new ScanRM32(i, d, d.op == Op.BSR);
            return null;
        }
        if ((d.op == Op.MOVZX || d.op == Op.MOVSX) && size == 2 && d.srcSize == 1) {
            if (d.src == LOC_REG) return new ExtendR8To16(i, d.op == Op.MOVSX, d.dstReg, d.srcReg);
            if (d.src == LOC_MEM && a32) return new ExtendM8To16(i, d, d.op == Op.MOVSX);
            return null;
        }
        if ((d.op == Op.NEG || d.op == Op.NOT) && d.dst == LOC_MEM && a32 && !d.lock) {
            return new UnaryM(i, d, d.op == Op.NEG, size);
        }
        if (d.op == Op.CBW && d.opSize == 2) return new Cbw16(i);
        if (d.op == Op.BT && size == 4 && d.dst == LOC_REG && (d.src == LOC_REG || d.src == LOC_IMM)) {
            return new BitTestR32(i, d.dstReg, d.src == LOC_REG ? d.srcReg : -1, d.imm);
        }
        if (d.op == Op.CLD || d.op == Op.STD) return new SetDirection(i, d.op == Op.STD);
        return null;
    }

    private static boolean isShift(Op op) {
        switch (op) {
            case ROL: case ROR: case RCL: case RCR: case SHL: case SHR: case SAR:
                return true;
            default:
                return false;
        }
    }

    /** Group-1 operation (or TEST) {@code kind} with flags; the value written back unless a compare or test. */
    private static int alu(CpuState s, int kind, int size, int a, int b) {
        if (kind == TEST) {
            Alu.test(s, size, a, b);
            return a;
        }
        return Exec.alu(s, kind, size, a, b);
    }

    private static boolean writes(int kind) {
        return kind != 7 && kind != TEST;
    }

    /** ALU r16, r16. */
    static final class AluRR16 extends RegisterOps.Rr {
        private final int kind;

        AluRR16(int idx, int kind, int dst, int src) {
            super(idx, dst, src, 0);
            this.kind = kind;
        }

        @Override int run(BlockRunner x) {
            CpuState s = x.s;
            int res = alu(s, kind, 2, Operands.readReg(s, dst, 2), Operands.readReg(s, src, 2));
            if (writes(kind)) Operands.writeReg(s, dst, 2, res);
            return idx + 1;
        }
    }

    /** ALU r16, imm. */
    static final class AluRI16 extends RegisterOps.Rr {
        private final int kind;

        AluRI16(int idx, int kind, int dst, int imm) {
            super(idx, dst, 0, imm);
            this.kind = kind;
        }

        @Override int run(BlockRunner x) {
            CpuState s = x.s;
            int res = alu(s, kind, 2, Operands.readReg(s, dst, 2), imm);
            if (writes(kind)) Operands.writeReg(s, dst, 2, res);
            return idx + 1;
        }
    }

    /** ALU r8/r16, m8/m16 (32-bit addressing): the read first, which may fault. */
    static final class AluRM extends FastOp.Mem {
        private final int kind, size, reg;

        AluRM(int idx, DecodedInsn d, int kind, int size) {
            super(idx, d);
            this.kind = kind;
            this.size = size;
            this.reg = d.dstReg;
        }

        @Override int run(BlockRunner x) {
            CpuState s = x.s;
            int b = size == 1 ? x.read8(seg, ea(x.r)) : x.read16(seg, ea(x.r));
            int res = alu(s, kind, size, Operands.readReg(s, reg, size), b);
            if (writes(kind)) Operands.writeReg(s, reg, size, res);
            return idx + 1;
        }
    }

    /** NEG, NOT, INC or DEC of r8/r16. */
    static final class Unary extends RegisterOps.Rr {
        private final Op op;
        private final int size;

        Unary(int idx, Op op, int size, int dst) {
            super(idx, dst, 0, 0);
            this.op = op;
            this.size = size;
        }

        @Override int run(BlockRunner x) {
            CpuState s = x.s;
            int v = Operands.readReg(s, dst, size);
            int res;
            switch (op) {
                case NEG: res = Alu.neg(s, size, v); break;
                case INC: res = Alu.inc(s, size, v); break;
                case DEC: res = Alu.dec(s, size, v); break;
                default: res = ~v; break; // NOT: no flags
            }
            Operands.writeReg(s, dst, size, res);
            return idx + 1;
        }
    }

    /** Group-2 shift or rotate of r8/r16 by an immediate count of 1 to 31. */
    static final class ShiftRI extends RegisterOps.Rr {
        private final int kind, size;

        ShiftRI(int idx, int kind, int size, int dst, int count) {
            super(idx, dst, 0, count);
            this.kind = kind;
            this.size = size;
        }

        @Override int run(BlockRunner x) {
            CpuState s = x.s;
            Operands.writeReg(s, dst, size, Shifts.shift(s, kind, size, Operands.readReg(s, dst, size), imm));
            return idx + 1;
        }
    }

    /** PUSH m32: the operand's address from ESP before the push. */
    static final class PushM32 extends FastOp.Mem {
        private final int next;

        PushM32(int idx, DecodedInsn d) {
            super(idx, d);
            this.next = d.next;
        }

        @Override int run(BlockRunner x) {
            x.push32(x.read32(seg, ea(x.r)));
            return x.runningHit ? x.hit(idx, next) : idx + 1;
        }
    }

    private static void divide(Cpu cpu, boolean signed, int divisor) {
        if (signed) MulDiv.idiv(cpu, 4, divisor);
        else MulDiv.div(cpu, 4, divisor);
    }

    /** DIV or IDIV of EDX:EAX by r32 (#DE before anything changes). */
    static final class DivR32 extends RegisterOps.Rr {
        private final boolean signed;

        DivR32(int idx, boolean signed, int src) {
            super(idx, 0, src, 0);
            this.signed = signed;
        }

        @Override int run(BlockRunner x) {
            divide(x.cpu, signed, x.r[src]);
            return idx + 1;
        }
    }

    /** DIV or IDIV of EDX:EAX by m32. */
    static final class DivM32 extends FastOp.Mem {
        private final boolean signed;

        DivM32(int idx, DecodedInsn d, boolean signed) {
            super(idx, d);
            this.signed = signed;
        }

        @Override int run(BlockRunner x) {
            divide(x.cpu, signed, x.read32(seg, ea(x.r)));
            return idx + 1;
        }
    }

    /** IMUL r32: EDX:EAX = EAX * r32, signed. */
    static final class Imul1R32 extends RegisterOps.Rr {
        Imul1R32(int idx, int src) {
            super(idx, 0, src, 0);
        }

        @Override int run(BlockRunner x) {
            MulDiv.imul1(x.s, 4, x.r[src]);
            return idx + 1;
        }
    }

    /** IMUL m32: EDX:EAX = EAX * m32, signed. */
    static final class Imul1M32 extends FastOp.Mem {
        Imul1M32(int idx, DecodedInsn d) {
            super(idx, d);
        }

        @Override int run(BlockRunner x) {
            MulDiv.imul1(x.s, 4, x.read32(seg, ea(x.r)));
            return idx + 1;
        }
    }

    private static int scan(CpuState s, boolean reverse, int dst, int src) {
        return reverse ? BitOps.bsr(s, 4, dst, src) : BitOps.bsf(s, 4, dst, src);
    }

    /** BSF or BSR r32, r32. */
    static final class ScanRR32 extends RegisterOps.Rr {
        private final boolean reverse;

        ScanRR32(int idx, boolean reverse, int dst, int src) {
            super(idx, dst, src, 0);
            this.reverse = reverse;
        }

        @Override int run(BlockRunner x) {
            int[] r = x.r;
            r[dst] = scan(x.s, reverse, r[dst], r[src]);
            return idx + 1;
        }
    }

    /** BSF or BSR r32, m32. */
    static final class ScanRM32 extends FastOp.Mem {
        private final boolean reverse;
        private final int reg;

        ScanRM32(int idx, DecodedInsn d, boolean reverse) {
            super(idx, d);
            this.reverse = reverse;
            this.reg = d.dstReg;
        }

        @Override int run(BlockRunner x) {
            int v = x.read32(seg, ea(x.r));
            int[] r = x.r;
            r[reg] = scan(x.s, reverse, r[reg], v);
            return idx + 1;
        }
    }

    /** A byte zero- or sign-extended into word register dst (its upper half kept), as Exec's MOVZX/MOVSX. */
    private static void extendToWord(CpuState s, boolean signed, int dst, int b) {
        Operands.writeReg(s, dst, 2, signed ? LazyFlags.sx(1, b) : b);
    }

    /** MOVZX or MOVSX r16, r8. */
    static final class ExtendR8To16 extends RegisterOps.Rr {
        private final boolean signed;

        ExtendR8To16(int idx, boolean signed, int dst, int src) {
            super(idx, dst, src, 0);
            this.signed = signed;
        }

        @Override int run(BlockRunner x) {
            CpuState s = x.s;
            extendToWord(s, signed, dst, Operands.readReg(s, src, 1));
            return idx + 1;
        }
    }

    /** MOVZX or MOVSX r16, m8. */
    static final class ExtendM8To16 extends FastOp.Mem {
        private final boolean signed;
        private final int reg;

        ExtendM8To16(int idx, DecodedInsn d, boolean signed) {
            super(idx, d);
            this.signed = signed;
            this.reg = d.dstReg;
        }

        @Override int run(BlockRunner x) {
            extendToWord(x.s, signed, reg, x.read8(seg, ea(x.r)));
            return idx + 1;
        }
    }

    /** NEG or NOT of a byte, word or dword in memory: the result stored, then NEG's flags (Alu.neg's). */
    static final class UnaryM extends FastOp.Mem {
        private final boolean neg;
        private final int size, next;

        UnaryM(int idx, DecodedInsn d, boolean neg, int size) {
            super(idx, d);
            this.neg = neg;
            this.size = size;
            this.next = d.next;
        }

        @Override int run(BlockRunner x) {
            int ea = ea(x.r);
            int v = size == 1 ? x.read8(seg, ea) : size == 2 ? x.read16(seg, ea) : x.read32(seg, ea);
            int res = neg ? -v : ~v;
            if (size == 1) x.write8(seg, ea, res);
            else if (size == 2) x.write16(seg, ea, res);
            else x.write32(seg, ea, res);
            if (neg) Alu.neg(x.s, size, v);
            return x.runningHit ? x.hit(idx, next) : idx + 1;
        }
    }

    /** CBW: AX = AL sign-extended. */
    static final class Cbw16 extends FastOp {
        Cbw16(int idx) {
            super(idx);
        }

        @Override int run(BlockRunner x) {
            Operands.writeReg(x.s, CpuState.EAX, 2, (byte) x.r[CpuState.EAX]);
            return idx + 1;
        }
    }

    /** BT r32, r32 or r32, imm8 (src -1): CF = the bit, the other flags kept, as BitOps.bt. */
    static final class BitTestR32 extends RegisterOps.Rr {
        BitTestR32(int idx, int dst, int src, int imm) {
            super(idx, dst, src, imm);
        }

        @Override int run(BlockRunner x) {
            int[] r = x.r;
            BitOps.bt(x.s, 4, r[dst], src < 0 ? imm : r[src]);
            return idx + 1;
        }
    }

    /** CLD or STD. */
    static final class SetDirection extends FastOp {
        private final boolean down;

        SetDirection(int idx, boolean down) {
            super(idx);
            this.down = down;
        }

        @Override int run(BlockRunner x) {
            if (down) x.s.eflagsRest |= Flags.DF;
            else x.s.eflagsRest &= ~Flags.DF;
            return idx + 1;
        }
    }
}
