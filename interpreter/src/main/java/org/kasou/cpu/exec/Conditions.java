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

    /** Whether condition {@code cc} (the low four bits of the Jcc/SETcc/CMOVcc opcode) holds. */
    public static boolean test(CpuState s, int cc) {
        boolean r;
        switch (cc >> 1) {
            case 0: r = LazyFlags.of(s); break;
            case 1: r = LazyFlags.cf(s); break;
            case 2: r = LazyFlags.zf(s); break;
            case 3: r = LazyFlags.cfOrZf(s); break;
            case 4: r = LazyFlags.sf(s); break;
            case 5: r = LazyFlags.pf(s); break;
            case 6: r = LazyFlags.less(s); break;
            default: r = LazyFlags.lessOrEqual(s); break;
        }
        return r ^ ((cc & 1) != 0);
    }
}
