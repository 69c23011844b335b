package org.kasou.cpu;

import org.kasou.cpu.exec.Alu;
import org.kasou.cpu.exec.Conditions;
import org.kasou.cpu.exec.Operands;
import org.kasou.isa.DecodedInsn;

/**
 * A compare or test followed by a conditional branch, run as one op: the lazy flags are recorded
 * exactly as the compare alone records them (they stay visible after the branch), and the
 * condition is then read from them in the same compiled method, where C2 folds the lazy-flags
 * dispatch away because it knows the operation it just stored. Counts as two instructions.
 *
 * <p>The branch itself is the op after this one in the block, kept as it is: a taken branch whose
 * target is beyond the CS limit continues there, so that it raises its #GP(0) as itself, with the
 * compare retired. Blocks run partly (single-step, budget) use the unfused ops.
 */
final class FusedOps {
    private FusedOps() {}

    /** The compare's operands (a register, another register or an immediate) and the branch. */
    abstract static class CmpJcc extends FastOp {
        final int dst, src, imm, cc, target;
        final boolean self;

        CmpJcc(int idx, DecodedInsn cmp, DecodedInsn jcc, int blockEip) {
            super(idx);
            this.dst = cmp.dstReg;
            this.src = cmp.srcReg;
            this.imm = cmp.imm;
            this.cc = jcc.cc;
            this.target = jcc.target;
            this.self = jcc.target == blockEip;
        }

        final int branch(BlockRunner x) {
            CpuState s = x.s;
            if (Conditions.test(s, cc)) {
                if (Integer.compareUnsigned(target, x.csLimit) > 0) return idx + 1;
                s.eip = target;
                return self ? restart(idx + 2) : exit(idx + 2);
            }
            return idx + 2;
        }
    }

    static final class CmpRRJcc extends CmpJcc {
        CmpRRJcc(int idx, DecodedInsn cmp, DecodedInsn jcc, int blockEip) { super(idx, cmp, jcc, blockEip); }
        @Override int run(BlockRunner x) { int[] r = x.r; Alu.cmp(x.s, 4, r[dst], r[src]); return branch(x); }
    }

    static final class CmpRIJcc extends CmpJcc {
        CmpRIJcc(int idx, DecodedInsn cmp, DecodedInsn jcc, int blockEip) { super(idx, cmp, jcc, blockEip); }
        @Override int run(BlockRunner x) { Alu.cmp(x.s, 4, x.r[dst], imm); return branch(x); }
    }

    static final class TestRRJcc extends CmpJcc {
        TestRRJcc(int idx, DecodedInsn cmp, DecodedInsn jcc, int blockEip) { super(idx, cmp, jcc, blockEip); }
        @Override int run(BlockRunner x) { int[] r = x.r; Alu.test(x.s, 4, r[dst], r[src]); return branch(x); }
    }

    static final class TestRIJcc extends CmpJcc {
        TestRIJcc(int idx, DecodedInsn cmp, DecodedInsn jcc, int blockEip) { super(idx, cmp, jcc, blockEip); }
        @Override int run(BlockRunner x) { Alu.test(x.s, 4, x.r[dst], imm); return branch(x); }
    }

    static final class CmpRI8Jcc extends CmpJcc {
        CmpRI8Jcc(int idx, DecodedInsn cmp, DecodedInsn jcc, int blockEip) { super(idx, cmp, jcc, blockEip); }
        @Override int run(BlockRunner x) { Alu.cmp(x.s, 1, Operands.readReg(x.s, dst, 1), imm); return branch(x); }
    }

    static final class TestRR8Jcc extends CmpJcc {
        TestRR8Jcc(int idx, DecodedInsn cmp, DecodedInsn jcc, int blockEip) { super(idx, cmp, jcc, blockEip); }
        @Override int run(BlockRunner x) {
            CpuState s = x.s;
            Alu.test(s, 1, Operands.readReg(s, dst, 1), Operands.readReg(s, src, 1));
            return branch(x);
        }
    }

    /** A compare with a memory operand (32-bit addressing) + Jcc; the read may fault: that is the compare's fault. */
    abstract static class CmpMemJcc extends CmpJcc {
        private final int seg, base, index, scale, disp, baseMask, indexMask;

        CmpMemJcc(int idx, DecodedInsn cmp, DecodedInsn jcc, int blockEip) {
            super(idx, cmp, jcc, blockEip);
            seg = cmp.eaSeg;
            base = Math.max(cmp.eaBase, 0);
            index = Math.max(cmp.eaIndex, 0);
            baseMask = cmp.eaBase >= 0 ? -1 : 0;
            indexMask = cmp.eaIndex >= 0 ? -1 : 0;
            scale = cmp.eaScale;
            disp = cmp.eaDisp;
        }

        final int read32(BlockRunner x) {
            int[] r = x.r;
            return x.read32(seg, disp + (r[base] & baseMask) + ((r[index] & indexMask) << scale));
        }

        final int read8(BlockRunner x) {
            int[] r = x.r;
            return x.read8(seg, disp + (r[base] & baseMask) + ((r[index] & indexMask) << scale));
        }
    }

    /** CMP r32, [mem] + Jcc. */
    static final class CmpRMJcc extends CmpMemJcc {
        CmpRMJcc(int idx, DecodedInsn cmp, DecodedInsn jcc, int blockEip) { super(idx, cmp, jcc, blockEip); }
        @Override int run(BlockRunner x) {
            int v = read32(x);
            Alu.cmp(x.s, 4, x.r[dst], v);
            return branch(x);
        }
    }

    /** CMP [mem], r32 / imm + Jcc (the source is {@code (r[src] & srcMask) | imm}). */
    static final class CmpMRJcc extends CmpMemJcc {
        private final int srcReg, srcMask, srcImm;

        CmpMRJcc(int idx, DecodedInsn cmp, DecodedInsn jcc, int blockEip) {
            super(idx, cmp, jcc, blockEip);
            boolean reg = cmp.src == DecodedInsn.LOC_REG;
            srcReg = reg ? cmp.srcReg : 0;
            srcMask = reg ? -1 : 0;
            srcImm = reg ? 0 : cmp.imm;
        }

        @Override int run(BlockRunner x) {
            int v = read32(x);
            Alu.cmp(x.s, 4, v, (x.r[srcReg] & srcMask) | srcImm);
            return branch(x);
        }
    }

    /** CMP byte [mem], imm8 + Jcc. */
    static final class CmpMI8Jcc extends CmpMemJcc {
        CmpMI8Jcc(int idx, DecodedInsn cmp, DecodedInsn jcc, int blockEip) { super(idx, cmp, jcc, blockEip); }
        @Override int run(BlockRunner x) {
            Alu.cmp(x.s, 1, read8(x), imm);
            return branch(x);
        }
    }

    /** CMP r8, byte [mem] + Jcc. */
    static final class CmpRM8Jcc extends CmpMemJcc {
        CmpRM8Jcc(int idx, DecodedInsn cmp, DecodedInsn jcc, int blockEip) { super(idx, cmp, jcc, blockEip); }
        @Override int run(BlockRunner x) {
            int v = read8(x);
            Alu.cmp(x.s, 1, Operands.readReg(x.s, dst, 1), v);
            return branch(x);
        }
    }

    /** CMP byte [mem], r8 + Jcc. */
    static final class CmpMR8Jcc extends CmpMemJcc {
        CmpMR8Jcc(int idx, DecodedInsn cmp, DecodedInsn jcc, int blockEip) { super(idx, cmp, jcc, blockEip); }
        @Override int run(BlockRunner x) {
            int v = read8(x);
            Alu.cmp(x.s, 1, v, Operands.readReg(x.s, src, 1));
            return branch(x);
        }
    }
}
