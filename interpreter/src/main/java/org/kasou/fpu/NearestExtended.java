package org.kasou.fpu;

import static org.kasou.fpu.FpuStatus.C1;
import static org.kasou.fpu.FpuStatus.PE;

/**
 * The common case of FADD, FSUB and FMUL, kept apart so that it is small: the control word at
 * round to nearest with 64-bit precision (Linux's and FNINIT's), two normal operands and a result
 * whose exponent stays in range whatever the rounding. The general operations in
 * {@link Arithmetic} try this first and handle everything it declines, so there is one meaning;
 * compiled code gets it inlined where the general path (several hundred bytes of bytecode with
 * its special cases) would not fit HotSpot's inlining budget.
 *
 * <p>Each method either writes the whole outcome into the result (value, PE and C1, C1 as the
 * defined condition code, written) and returns true, or returns false having written nothing.
 */
final class NearestExtended {
    private NearestExtended() {}

    /** Control-word bits 8-11 (precision and rounding control) at 64 bits, to nearest. */
    private static final int PC_RC = 0xF00, PC64_NEAREST = 0x300;
    /** Exponents before rounding that stay normal and finite whatever it does (Rounding's in-range case). */
    private static final int MIN_EXP = 2, MAX_EXP = 0x7FFD;

    /** a * b. */
    static boolean multiply(FpuResult r, int aSe, long aSig, int bSe, long bSig) {
        // the exponent of a product of significands below 2 (bit 127 clear); one more when it is not
        int exp = (aSe & Ext80.EXP_MAX) + (bSe & Ext80.EXP_MAX) - Ext80.BIAS;
        if ((r.control & PC_RC) != PC64_NEAREST || !Ext80.bothNormal(aSe, aSig, bSe, bSig) || exp < MIN_EXP || exp >= MAX_EXP) {
            return false;
        }
        long lo = aSig * bSig;
        long hi = Math.multiplyHigh(aSig, bSig) + aSig + bSig; // the unsigned high word: both have bit 63 set
        int shift = (int) (~hi >>> 63); // 1 when bit 127 is clear: normalize by one
        hi = hi << shift | (lo >>> 63 & shift);
        return rounded(r, (aSe ^ bSe) & Ext80.SIGN, exp + 1 - shift, hi, lo << shift);
    }

    /** a + b (a - b is a + (b with its sign flipped)). */
    static boolean add(FpuResult r, int aSe, long aSig, int bSe, long bSig) {
        if ((r.control & PC_RC) != PC64_NEAREST || !Ext80.bothNormal(aSe, aSig, bSe, bSig)) return false;
        int ea = aSe & Ext80.EXP_MAX, eb = bSe & Ext80.EXP_MAX;
        if (eb > ea || (eb == ea && Long.compareUnsigned(bSig, aSig) > 0)) { // a the larger magnitude
            int t = aSe; aSe = bSe; bSe = t;
            long s = aSig; aSig = bSig; bSig = s;
            int e = ea; ea = eb; eb = e;
        }
        int shift = ea - eb;
        if (shift > 63) return false; // b only sticky bits: the general path
        long bHi = bSig >>> shift, bLo = (bSig << 1) << (63 - shift); // b aligned to a, exact in 128 bits
        long hi, lo;
        if (((aSe ^ bSe) & Ext80.SIGN) == 0) {
            hi = aSig + bHi;
            lo = bLo;
            if (Long.compareUnsigned(hi, aSig) < 0) { // carried out: one bit right, the lost one as sticky
                lo = lo >>> 1 | (lo & 1) | hi << 63;
                hi = hi >>> 1 | Ext80.INTEGER_BIT;
                ea++;
            }
        } else {
            lo = -bLo;
            hi = aSig - bHi - (bLo != 0 ? 1 : 0);
            if (hi == 0) return false; // massive or total cancellation
            int lz = Long.numberOfLeadingZeros(hi);
            hi = hi << lz | (lo >>> 1 >>> (63 - lz));
            lo <<= lz;
            ea -= lz;
        }
        if (ea < MIN_EXP || ea > MAX_EXP) return false;
        return rounded(r, aSe & Ext80.SIGN, ea, hi, lo);
    }

    /** Rounds hi:lo into r (see {@link #toNearest}) as the whole outcome of the operation. */
    private static boolean rounded(FpuResult r, int sign, int exp, long hi, long lo) {
        r.status = toNearest(r, sign, exp, hi, lo);
        r.codes = C1;
        r.written = true;
        return true;
    }

    /**
     * Rounds hi:lo (bit 127 set, exponent exp within [2, 0x7FFD]) to 64 bits, to nearest even,
     * into r.se and r.sig; returns the flags that raises (PE, and C1 when it rounded up).
     */
    static int toNearest(FpuResult r, int sign, int exp, long hi, long lo) {
        // Without branches (the dropped bits are as good as random): x | -x has bit 63 set when x != 0.
        long tieBreak = lo << 1 | hi & 1;
        long up = lo >>> 63 & (tieBreak | -tieBreak) >>> 63;
        long inexact = (lo | -lo) >>> 63;
        hi += up;
        if (hi == 0) { // all ones rounded up: carried into the exponent
            hi = Ext80.INTEGER_BIT;
            exp++;
        }
        r.se = sign | exp;
        r.sig = hi;
        return (int) (inexact * PE | up * C1);
    }
}
