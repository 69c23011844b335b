package org.kasou.fpu;

import static org.kasou.fpu.FpuStatus.*;

/**
 * FADD, FSUB, FMUL, FDIV and FSQRT: the exact result rounded once to the control word's precision
 * and rounding mode. The reversed forms are the same operations with the operands swapped.
 */
public final class Arithmetic {
    private Arithmetic() {}

    /**
     * One of the D8 group's arithmetic operations by its ModRM.reg number (0 add, 1 multiply,
     * 4 subtract, 5 reversed subtract, 6 divide, 7 reversed divide) on a destination d and another
     * operand o: d op o, or o op d for the reversed ones.
     */
    public static void operation(FpuResult r, int op, int dSe, long dSig, int oSe, long oSig) {
        switch (op) {
            case 0 -> add(r, dSe, dSig, oSe, oSig);
            case 1 -> multiply(r, dSe, dSig, oSe, oSig);
            case 4 -> subtract(r, dSe, dSig, oSe, oSig);
            case 5 -> subtract(r, oSe, oSig, dSe, dSig);
            case 6 -> divide(r, dSe, dSig, oSe, oSig);
            case 7 -> divide(r, oSe, oSig, dSe, dSig);
            default -> throw new IllegalArgumentException("not an arithmetic operation: " + op);
        }
    }

    public static void add(FpuResult r, int aSe, long aSig, int bSe, long bSig) {
        if (!NearestExtended.add(r, aSe, aSig, bSe, bSig)) addOrSubtract(r, aSe, aSig, bSe, bSig, false);
    }

    /** a - b. */
    public static void subtract(FpuResult r, int aSe, long aSig, int bSe, long bSig) {
        if (!NearestExtended.add(r, aSe, aSig, bSe ^ Ext80.SIGN, bSig)) addOrSubtract(r, aSe, aSig, bSe, bSig, true);
    }

    /** a + b, or a - b, in every case ({@link #add} and {@link #subtract} try the common one first). */
    static void addOrSubtract(FpuResult r, int aSe, long aSig, int bSe, long bSig, boolean subtract) {
        r.begin();
        boolean normal = Ext80.bothNormal(aSe, aSig, bSe, bSig);
        if (!normal && Operands.nanOrUnsupported(r, aSe, aSig, bSe, bSig)) return;
        if (subtract) bSe ^= Ext80.SIGN;
        if (!normal && specialSum(r, aSe, aSig, bSe, bSig)) return;
        addFinite(r, aSe, aSig, bSe, bSig);
    }

    /**
     * A sum with an infinity, a zero or a denormal operand (no NaN or unsupported format); returns
     * whether that settled it.
     */
    private static boolean specialSum(FpuResult r, int aSe, long aSig, int bSe, long bSig) {
        boolean aInf = Ext80.isInfinity(aSe, aSig), bInf = Ext80.isInfinity(bSe, bSig);
        if (aInf && bInf && ((aSe ^ bSe) & Ext80.SIGN) != 0) {
            r.invalid();
            return true;
        }
        if (!Operands.denormalsAllowed(r, aSe, aSig, bSe, bSig)) return true;
        if (aInf || bInf) {
            r.set(aInf ? aSe : bSe, Ext80.INTEGER_BIT);
            return true;
        }
        if (Ext80.isZero(aSe, aSig) && Ext80.isZero(bSe, bSig)) {
            boolean bothNegative = Ext80.negative(aSe) && Ext80.negative(bSe);
            r.set(bothNegative || (((aSe ^ bSe) & Ext80.SIGN) != 0 && r.roundingControl() == FpuControl.RC_DOWN)
                    ? Ext80.SIGN : 0, 0);
            return true;
        }
        return false;
    }

    /** The sum of two finite values, not both zero. */
    private static void addFinite(FpuResult r, int aSe, long aSig, int bSe, long bSig) {
        boolean aZero = Ext80.isZero(aSe, aSig), bZero = Ext80.isZero(bSe, bSig);
        int ea = Ext80.effectiveExponent(aSe), eb = Ext80.effectiveExponent(bSe);
        if (aZero || (!bZero && (eb > ea || (eb == ea && Long.compareUnsigned(bSig, aSig) > 0)))) {
            int t = aSe; aSe = bSe; bSe = t;
            long s = aSig; aSig = bSig; bSig = s;
            int e = ea; ea = eb; eb = e;
        }
        int shift = ea - eb;
        long bHi = Wide.shiftRightHigh(bSig, 0, shift), bLo = Wide.shiftRightLowSticky(bSig, 0, shift);
        boolean negative = Ext80.negative(aSe);
        long hi, lo;
        if (((aSe ^ bSe) & Ext80.SIGN) == 0) {
            lo = bLo;
            hi = aSig + bHi;
            if (Long.compareUnsigned(hi, aSig) < 0) { // carry out: keep 128 bits, the lost one as sticky
                lo = (lo >>> 1) | (lo & 1) | (hi << 63);
                hi = (hi >>> 1) | Ext80.INTEGER_BIT;
                ea++;
            }
        } else {
            lo = -bLo;
            hi = aSig - bHi - (bLo != 0 ? 1 : 0);
            if (hi == 0 && lo == 0) {
                r.set(r.roundingControl() == FpuControl.RC_DOWN ? Ext80.SIGN : 0, 0);
                return;
            }
        }
        Rounding.toRegister(r, negative, ea, hi, lo);
    }

    public static void multiply(FpuResult r, int aSe, long aSig, int bSe, long bSig) {
        if (!NearestExtended.multiply(r, aSe, aSig, bSe, bSig)) multiplyGeneral(r, aSe, aSig, bSe, bSig);
    }

    /** a * b in every case ({@link #multiply} tries the common one first). */
    static void multiplyGeneral(FpuResult r, int aSe, long aSig, int bSe, long bSig) {
        r.begin();
        if (Ext80.bothNormal(aSe, aSig, bSe, bSig)) { // no special case applies, no shift is needed
            int exp = (aSe & Ext80.EXP_MAX) + (bSe & Ext80.EXP_MAX) - Ext80.BIAS + 1;
            Rounding.toRegister(r, ((aSe ^ bSe) & Ext80.SIGN) != 0, exp, Wide.multiplyHigh(aSig, bSig), aSig * bSig);
            return;
        }
        if (Operands.nanOrUnsupported(r, aSe, aSig, bSe, bSig)) return;
        boolean aInf = Ext80.isInfinity(aSe, aSig), bInf = Ext80.isInfinity(bSe, bSig);
        boolean aZero = Ext80.isZero(aSe, aSig), bZero = Ext80.isZero(bSe, bSig);
        if ((aInf && bZero) || (bInf && aZero)) {
            r.invalid();
            return;
        }
        if (!Operands.denormalsAllowed(r, aSe, aSig, bSe, bSig)) return;
        int sign = (aSe ^ bSe) & Ext80.SIGN;
        if (infinityOrZero(r, sign, aInf || bInf, aZero || bZero)) return;
        int exp = Operands.normalizedExponent(aSe, aSig) + Operands.normalizedExponent(bSe, bSig) - Ext80.BIAS + 1;
        aSig <<= Long.numberOfLeadingZeros(aSig);
        bSig <<= Long.numberOfLeadingZeros(bSig);
        Rounding.toRegister(r, sign != 0, exp, Wide.multiplyHigh(aSig, bSig), aSig * bSig);
    }

    /** a / b. */
    public static void divide(FpuResult r, int aSe, long aSig, int bSe, long bSig) {
        r.begin();
        if (Ext80.bothNormal(aSe, aSig, bSe, bSig)) {
            divideFinite(r, (aSe ^ bSe) & Ext80.SIGN, (aSe & Ext80.EXP_MAX) - (bSe & Ext80.EXP_MAX) + Ext80.BIAS, aSig, bSig);
            return;
        }
        if (Operands.nanOrUnsupported(r, aSe, aSig, bSe, bSig)) return;
        boolean aInf = Ext80.isInfinity(aSe, aSig), bInf = Ext80.isInfinity(bSe, bSig);
        boolean aZero = Ext80.isZero(aSe, aSig), bZero = Ext80.isZero(bSe, bSig);
        if ((aInf && bInf) || (aZero && bZero)) {
            r.invalid();
            return;
        }
        int sign = (aSe ^ bSe) & Ext80.SIGN;
        if (bZero && !aInf) { // zero-divide takes precedence over a denormal dividend
            if (r.raiseMaskable(ZE)) r.setInfinity(sign);
            return;
        }
        if (!Operands.denormalsAllowed(r, aSe, aSig, bSe, bSig)) return;
        if (infinityOrZero(r, sign, aInf, bInf || aZero)) return;
        int exp = Operands.normalizedExponent(aSe, aSig) - Operands.normalizedExponent(bSe, bSig) + Ext80.BIAS;
        aSig <<= Long.numberOfLeadingZeros(aSig);
        bSig <<= Long.numberOfLeadingZeros(bSig);
        divideFinite(r, sign, exp, aSig, bSig);
    }

    /** The quotient of significands with bit 63 set, the exponent for aSig >= bSig given. */
    private static void divideFinite(FpuResult r, int sign, int exp, long aSig, long bSig) {
        Division d = r.division;
        // aSig >= bSig: the dividend one bit right, else one less in the exponent; chosen without a
        // branch, the comparison being as good as random
        int atLeast = (int) (~(aSig - bSig) >>> 63); // both have bit 63 set: the difference cannot overflow
        d.divide(aSig >>> atLeast, aSig << 63 & -atLeast, bSig);
        exp -= 1 - atLeast;
        // the fraction remainder / bSig as rounding sees it: its first bit, and whether any other is set
        long rem = d.remainder, other = bSig - rem;
        long differs = rem ^ other;
        long lo = (Long.compareUnsigned(rem, other) >= 0 ? Long.MIN_VALUE : 0) | ((rem | -rem) & (differs | -differs)) >>> 63;
        Rounding.toRegister(r, sign != 0, exp, d.quotient, lo);
    }

    /** Settles a product or quotient that is an infinity or a zero; returns whether it was one. */
    private static boolean infinityOrZero(FpuResult r, int sign, boolean infinity, boolean zero) {
        if (infinity) r.setInfinity(sign);
        else if (zero) r.setZero(sign);
        return infinity || zero;
    }

    public static void squareRoot(FpuResult r, int se, long sig) {
        r.begin();
        if (Operands.nanOrUnsupported(r, se, sig)) return;
        if (Ext80.isZero(se, sig)) {
            r.set(se, 0);
            return;
        }
        if (Ext80.negative(se)) { // invalid takes precedence over a denormal operand
            r.invalid();
            return;
        }
        if (!Operands.denormalAllowed(r, se, sig)) return;
        if (Ext80.isInfinity(se, sig)) {
            r.set(se, sig);
            return;
        }
        int s = Long.numberOfLeadingZeros(sig);
        sig <<= s;
        int e = Ext80.effectiveExponent(se) - s - Ext80.BIAS;
        // radicand sig * 2^k with e - 63 - k even, so the root of a 127/128-bit integer has 64 bits
        int k = ((e - 63) & 1) == 0 ? 64 : 63;
        long radHi = k == 64 ? sig : sig >>> 1, radLo = k == 64 ? 0 : sig << 63;
        SquareRoot root = r.squareRoot;
        root.of(radHi, radLo);
        long lo = (root.remainderAboveRoot ? Ext80.INTEGER_BIT : 0) | (root.exact ? 0 : 1);
        Rounding.toRegister(r, false, (e + 63 - k) / 2 + Ext80.BIAS, root.root, lo);
    }
}
