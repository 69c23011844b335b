package org.kasou.cpu;

/**
 * Lazy arithmetic flags: the last flag-setting operation is recorded in CpuState
 * (lfOp, lfRes, lfDst, lfSrc, lfKnown) and CF..OF are computed only when read.
 * PLACEHOLDER: eager representation until the real implementation lands.
 */
public final class LazyFlags {
    public static final int OP_KNOWN = 0; // lfKnown holds all six flags

    private LazyFlags() {}

    public static int arith(CpuState s) { return s.lfKnown & Flags.ARITH; }

    public static void setArith(CpuState s, int flags) {
        s.lfOp = OP_KNOWN;
        s.lfKnown = flags & Flags.ARITH;
    }
}
