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
                f |= (((dst & src) | ((dst | src) & ~res)) >>> 31) // CF: carry out of the top bit
                        | (((dst ^ src ^ res) & 0x10)) // AF
                        | ((((dst ^ res) & (src ^ res)) >>> 31) << 11); // OF
                break;
            case OP_SUB:
                f |= (Integer.compareUnsigned(dst, src) < 0 ? Flags.CF : 0)
                        | ((dst ^ src ^ res) & 0x10)
                        | ((((dst ^ src) & (dst ^ res)) >>> 31) << 11);
                break;
            case OP_SBB:
                f |= (((~dst & src) | (~(dst ^ src) & res)) >>> 31) // CF: borrow out of the top bit
                        | ((dst ^ src ^ res) & 0x10)
                        | ((((dst ^ src) & (dst ^ res)) >>> 31) << 11);
                break;
            case OP_INC:
                f |= s.lfKnown
                        | ((res & 0xF) == 0 ? Flags.AF : 0)
                        | (((~dst & res) >>> 31) << 11);
                break;
            case OP_DEC:
                f |= s.lfKnown
                        | ((res & 0xF) == 0xF ? Flags.AF : 0)
                        | (((dst & ~res) >>> 31) << 11);
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
        int dst = s.lfDst, src = s.lfSrc;
        switch (s.lfOp) {
            case OP_SUB:
                return Integer.compareUnsigned(dst, src) < 0;
            case OP_ADD:
                return ((dst & src) | ((dst | src) & ~s.lfRes)) < 0;
            case OP_SBB:
                return ((~dst & src) | (~(dst ^ src) & s.lfRes)) < 0;
            default: // KNOWN, INC, DEC, RESULT keep CF in lfKnown
                return (s.lfKnown & Flags.CF) != 0;
        }
    }

    public static boolean zf(CpuState s) {
        return s.lfOp != OP_KNOWN ? s.lfRes == 0 : (s.lfKnown & Flags.ZF) != 0;
    }

    public static boolean sf(CpuState s) {
        return s.lfOp != OP_KNOWN ? s.lfRes < 0 : (s.lfKnown & Flags.SF) != 0;
    }

    public static boolean pf(CpuState s) {
        return s.lfOp != OP_KNOWN ? parityEven(s.lfRes) : (s.lfKnown & Flags.PF) != 0;
    }

    public static boolean af(CpuState s) {
        return (arith(s) & Flags.AF) != 0;
    }

    public static boolean of(CpuState s) {
        int res = s.lfRes, dst = s.lfDst, src = s.lfSrc;
        switch (s.lfOp) {
            case OP_ADD:
                return ((dst ^ res) & (src ^ res)) < 0;
            case OP_SUB:
            case OP_SBB:
                return ((dst ^ src) & (dst ^ res)) < 0;
            case OP_INC:
                return (~dst & res) < 0;
            case OP_DEC:
                return (dst & ~res) < 0;
            default:
                return (s.lfKnown & Flags.OF) != 0;
        }
    }

    /** CF or ZF (the BE condition); one unsigned compare after SUB/CMP. */
    public static boolean cfOrZf(CpuState s) {
        if (s.lfOp == OP_SUB) {
            return Integer.compareUnsigned(s.lfDst, s.lfSrc) <= 0;
        }
        return cf(s) || zf(s);
    }

    /** SF != OF (the L condition); one signed compare after SUB/CMP. */
    public static boolean less(CpuState s) {
        if (s.lfOp == OP_SUB) {
            return s.lfDst < s.lfSrc;
        }
        return sf(s) != of(s);
    }

    /** ZF or SF != OF (the LE condition). */
    public static boolean lessOrEqual(CpuState s) {
        if (s.lfOp == OP_SUB) {
            return s.lfDst <= s.lfSrc;
        }
        return zf(s) || sf(s) != of(s);
    }
}
