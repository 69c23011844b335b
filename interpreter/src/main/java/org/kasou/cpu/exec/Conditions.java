package org.kasou.cpu.exec;

import org.kasou.cpu.CpuState;
import org.kasou.cpu.LazyFlags;

/**
 * The sixteen condition codes of Jcc, SETcc and CMOVcc (SDM vol. 1, appendix B). Each computes
 * only the flags it needs from the lazy state: ZF and SF straight from the recorded result, and
 * after SUB/CMP the unsigned and signed orders as one compare of the recorded operands.
 */
public final class Conditions {
    public static final int O = 0, NO = 1, B = 2, AE = 3, E = 4, NE = 5, BE = 6, A = 7,
            S = 8, NS = 9, P = 10, NP = 11, L = 12, GE = 13, LE = 14, G = 15;

    private Conditions() {}

    /**
     * Whether condition {@code cc} holds for a lazy record given field by field (as compiled code
     * keeps it in locals): the same derivations as {@link #test(CpuState, int)}.
     */
    public static boolean test(int cc, int op, int res, int dst, int src, int known) {
        boolean sub = op == LazyFlags.OP_SUB; // after SUB/CMP, B, BE, L and LE are one compare of the operands
        boolean r;
        switch (cc >> 1) {
            case 0: r = LazyFlags.of(op, res, dst, src, known); break;
            case 1: r = LazyFlags.cf(op, res, dst, src, known); break;
            case 2: r = LazyFlags.zf(op, res, known); break;
            case 3: r = sub ? LazyFlags.belowOrEqual(dst, src) : LazyFlags.cf(op, res, dst, src, known) || LazyFlags.zf(op, res, known); break;
            case 4: r = LazyFlags.sf(op, res, known); break;
            case 5: r = LazyFlags.pf(op, res, known); break;
            case 6: r = sub ? LazyFlags.less(dst, src) : LazyFlags.sf(op, res, known) != LazyFlags.of(op, res, dst, src, known); break;
            default: r = sub ? LazyFlags.lessOrEqual(dst, src)
                    : LazyFlags.zf(op, res, known) || LazyFlags.sf(op, res, known) != LazyFlags.of(op, res, dst, src, known); break;
        }
        return r ^ ((cc & 1) != 0);
    }

    /** Whether condition {@code cc} (the low four bits of the Jcc/SETcc/CMOVcc opcode) holds. */
    public static boolean test(CpuState s, int cc) {
        return test(cc, s.lfOp, s.lfRes, s.lfDst, s.lfSrc, s.lfKnown);
    }
}
