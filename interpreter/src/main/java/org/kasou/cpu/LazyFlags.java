package org.kasou.cpu;

/**
 * Lazy arithmetic flags (CF, PF, AF, ZF, SF, OF). Flag-setting instructions record what they did in
 * {@link CpuState}; the flags are computed only when something reads them.
 *
 * <p>Representation: {@code lfOp} is one of the {@code OP_*} kinds below; {@code lfRes},
 * {@code lfDst} and {@code lfSrc} hold the result and operands <em>sign-extended</em> from the
 * operand size to 32 bits. Sign extension makes every derivation size-independent, so the size
 * need not be recorded: bit 31 is the operand's sign bit, ZF is {@code lfRes == 0}, SF is
 * {@code lfRes < 0}, and unsigned order is preserved (sign extension is monotone on unsigned
 * values), so CF after SUB/CMP is one unsigned compare of lfDst and lfSrc. Every kind except
 * {@link #OP_KNOWN} derives ZF, SF and PF from lfRes; what each kind keeps in {@code lfKnown}
 * is documented on the kind.
 */
public final class LazyFlags {
    /** All six flags are in lfKnown (after POPF, SAHF, rotates, BT, ...). */
    public static final int OP_KNOWN = 0;
    /** ADD and ADC: res = dst + src (+ carry in). */
    public static final int OP_ADD = 1;
    /** SUB, CMP, NEG (dst = 0), CMPXCHG: res = dst - src, no borrow in. */
    public static final int OP_SUB = 2;
    /** SBB: res = dst - src - borrow in. */
    public static final int OP_SBB = 3;
    /** INC: res = dst + 1; lfKnown holds CF (unchanged by INC). */
    public static final int OP_INC = 4;
    /** DEC: res = dst - 1; lfKnown holds CF (unchanged by DEC). */
    public static final int OP_DEC = 5;
    /** ZF, SF and PF from lfRes; CF, AF and OF in lfKnown (logic ops, shifts, BCD, ...). */
    public static final int OP_RESULT = 6;

    private static final int RESULT_FLAGS = Flags.ZF | Flags.SF | Flags.PF;

    private LazyFlags() {}

    /** Sign-extends a value of {@code size} bytes (1, 2 or 4) to 32 bits. */
    public static int sx(int size, int v) {
        int sh = (4 - size) << 3;
        return v << sh >> sh;
    }

    /** The mask of an operand of {@code size} bytes. */
    public static int mask(int size) {
        return -1 >>> ((4 - size) << 3);
    }

    /** Records an operation whose ZF, SF, PF come from {@code res} and whose CF, AF, OF are given. */
    public static void setResult(CpuState s, int size, int res, int cfAfOf) {
        s.lfOp = OP_RESULT;
        s.lfRes = sx(size, res);
        s.lfKnown = cfAfOf;
    }

    /** The six arithmetic flags as EFLAGS bits. */
    public static int arith(CpuState s) {
        int op = s.lfOp;
        if (op == OP_KNOWN) {
            return s.lfKnown;
        }
        int res = s.lfRes;
        int f = resultFlags(res);
        int dst = s.lfDst, src = s.lfSrc;
        switch (op) {
            case OP_ADD:
                f |= (carryOfAdd(dst, src, res) ? Flags.CF : 0)
                        | ((dst ^ src ^ res) & Flags.AF)
                        | (overflowOfAdd(dst, src, res) ? Flags.OF : 0);
                break;
            case OP_SUB:
                f |= (below(dst, src) ? Flags.CF : 0)
                        | ((dst ^ src ^ res) & Flags.AF)
                        | (overflowOfSub(dst, src, res) ? Flags.OF : 0);
                break;
            case OP_SBB:
                f |= (borrowOfSbb(dst, src, res) ? Flags.CF : 0)
                        | ((dst ^ src ^ res) & Flags.AF)
                        | (overflowOfSub(dst, src, res) ? Flags.OF : 0);
                break;
            case OP_INC:
                f |= s.lfKnown
                        | ((res & 0xF) == 0 ? Flags.AF : 0)
                        | (overflowOfInc(dst, res) ? Flags.OF : 0);
                break;
            case OP_DEC:
                f |= s.lfKnown
                        | ((res & 0xF) == 0xF ? Flags.AF : 0)
                        | (overflowOfDec(dst, res) ? Flags.OF : 0);
                break;
            default: // OP_RESULT
                f |= s.lfKnown;
                break;
        }
        return f;
    }

    private static int resultFlags(int res) {
        return (res == 0 ? Flags.ZF : 0) | ((res >>> 31) << 7) | (parityEven(res) ? Flags.PF : 0);
    }

    /**
     * Sets CF and OF to {@code cfOf} (Flags.CF and Flags.OF bits) and keeps the other four
     * flags, without evaluating them: ZF, SF and PF stay derived from lfRes (every lazy kind
     * derives them so) and only AF is computed. For rotates, BT*, MUL/IMUL.
     */
    public static void setCfOf(CpuState s, int cfOf) {
        int op = s.lfOp;
        if (op == OP_KNOWN) {
            s.lfKnown = (s.lfKnown & ~(Flags.CF | Flags.OF)) | cfOf;
            return;
        }
        int af;
        switch (op) {
            case OP_INC: af = (s.lfRes & 0xF) == 0 ? Flags.AF : 0; break;
            case OP_DEC: af = (s.lfRes & 0xF) == 0xF ? Flags.AF : 0; break;
            case OP_RESULT: af = s.lfKnown & Flags.AF; break;
            default: af = (s.lfDst ^ s.lfSrc ^ s.lfRes) & Flags.AF; break; // ADD, SUB, SBB
        }
        s.lfOp = OP_RESULT;
        s.lfKnown = af | cfOf;
    }

    /** Sets CF and keeps the other five flags (BT, BTS, BTR, BTC). */
    public static void setCf(CpuState s, boolean cf) {
        setCfOf(s, (cf ? Flags.CF : 0) | (of(s) ? Flags.OF : 0));
    }

    /** Makes all six flags known: used by POPF, SAHF, IRET and by instructions that change only some flags. */
    public static void setArith(CpuState s, int flags) {
        s.lfOp = OP_KNOWN;
        s.lfKnown = flags & Flags.ARITH;
    }

    /** PF: set when the low byte of the value has an even number of set bits. */
    public static boolean parityEven(int v) {
        return (Integer.bitCount(v & 0xFF) & 1) == 0;
    }

    public static boolean cf(CpuState s) {
        return cf(s.lfOp, s.lfRes, s.lfDst, s.lfSrc, s.lfKnown);
    }

    /** CF of a lazy record given field by field (compiled code keeps the record in locals). */
    public static boolean cf(int op, int res, int dst, int src, int known) {
        switch (op) {
            case OP_SUB:
                return below(dst, src);
            case OP_ADD:
                return carryOfAdd(dst, src, res);
            case OP_SBB:
                return borrowOfSbb(dst, src, res);
            default: // KNOWN, INC, DEC, RESULT keep CF in lfKnown
                return (known & Flags.CF) != 0;
        }
    }

    public static boolean zf(CpuState s) {
        return zf(s.lfOp, s.lfRes, s.lfKnown);
    }

    public static boolean sf(CpuState s) {
        return sf(s.lfOp, s.lfRes, s.lfKnown);
    }

    public static boolean pf(CpuState s) {
        return pf(s.lfOp, s.lfRes, s.lfKnown);
    }

    /** ZF of a lazy record given field by field. */
    public static boolean zf(int op, int res, int known) {
        return op != OP_KNOWN ? res == 0 : (known & Flags.ZF) != 0;
    }

    /** SF of a lazy record given field by field. */
    public static boolean sf(int op, int res, int known) {
        return op != OP_KNOWN ? res < 0 : (known & Flags.SF) != 0;
    }

    /** PF of a lazy record given field by field. */
    public static boolean pf(int op, int res, int known) {
        return op != OP_KNOWN ? parityEven(res) : (known & Flags.PF) != 0;
    }

    public static boolean af(CpuState s) {
        return (arith(s) & Flags.AF) != 0;
    }

    public static boolean of(CpuState s) {
        return of(s.lfOp, s.lfRes, s.lfDst, s.lfSrc, s.lfKnown);
    }

    /** OF of a lazy record given field by field. */
    public static boolean of(int op, int res, int dst, int src, int known) {
        switch (op) {
            case OP_ADD:
                return overflowOfAdd(dst, src, res);
            case OP_SUB:
            case OP_SBB:
                return overflowOfSub(dst, src, res);
            case OP_INC:
                return overflowOfInc(dst, res);
            case OP_DEC:
                return overflowOfDec(dst, res);
            default:
                return (known & Flags.OF) != 0;
        }
    }

    /** CF or ZF (the BE condition); one unsigned compare after SUB/CMP. */
    public static boolean cfOrZf(CpuState s) {
        if (s.lfOp == OP_SUB) {
            return belowOrEqual(s.lfDst, s.lfSrc);
        }
        return cf(s) || zf(s);
    }

    /** SF != OF (the L condition); one signed compare after SUB/CMP. */
    public static boolean less(CpuState s) {
        if (s.lfOp == OP_SUB) {
            return less(s.lfDst, s.lfSrc);
        }
        return sf(s) != of(s);
    }

    /** ZF or SF != OF (the LE condition). */
    public static boolean lessOrEqual(CpuState s) {
        if (s.lfOp == OP_SUB) {
            return lessOrEqual(s.lfDst, s.lfSrc);
        }
        return zf(s) || sf(s) != of(s);
    }

    // The flag derivations themselves, on recorded operands (sign-extended, see the class comment).
    // Compiled code calls these too (HotSpot inlines them), so each formula exists once.

    /** CF after ADD/ADC: a carry out of the top bit. */
    public static boolean carryOfAdd(int dst, int src, int res) {
        return ((dst & src) | ((dst | src) & ~res)) < 0;
    }

    /** CF after SBB: a borrow out of the top bit. */
    public static boolean borrowOfSbb(int dst, int src, int res) {
        return ((~dst & src) | (~(dst ^ src) & res)) < 0;
    }

    /** OF after ADD/ADC: both operands' sign differs from the result's. */
    public static boolean overflowOfAdd(int dst, int src, int res) {
        return ((dst ^ res) & (src ^ res)) < 0;
    }

    /** OF after SUB/SBB/CMP: the operands' signs differ and the result's differs from dst's. */
    public static boolean overflowOfSub(int dst, int src, int res) {
        return ((dst ^ src) & (dst ^ res)) < 0;
    }

    /** OF after INC. */
    public static boolean overflowOfInc(int dst, int res) {
        return (~dst & res) < 0;
    }

    /** OF after DEC. */
    public static boolean overflowOfDec(int dst, int res) {
        return (dst & ~res) < 0;
    }

    /*
     * The unsigned conditions compare the operands zero-extended to long rather than through
     * Integer.compareUnsigned (x + MIN_VALUE < y + MIN_VALUE): Java 17's C2 folds two such
     * compares of one value that branch to one place (CMP x, lo / JB L / CMP x, hi / JAE L, a C
     * compiler's range test) into a single wrong range check. A compiled unit then took JB for
     * 0xc4d921b5 below 0xc4000000; the interpreter, C1 and Java 25's C2 did not.
     */

    /** After SUB/CMP dst, src: CF, the B condition (unsigned dst &lt; src). */
    public static boolean below(int dst, int src) {
        return (dst & 0xFFFFFFFFL) < (src & 0xFFFFFFFFL);
    }

    /** After SUB/CMP dst, src: CF or ZF, the BE condition. */
    public static boolean belowOrEqual(int dst, int src) {
        return (dst & 0xFFFFFFFFL) <= (src & 0xFFFFFFFFL);
    }

    /** After SUB/CMP dst, src: SF != OF, the L condition (signed dst &lt; src). */
    public static boolean less(int dst, int src) {
        return dst < src;
    }

    /** After SUB/CMP dst, src: ZF or SF != OF, the LE condition. */
    public static boolean lessOrEqual(int dst, int src) {
        return dst <= src;
    }
}
