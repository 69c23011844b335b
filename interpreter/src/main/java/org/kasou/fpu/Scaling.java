package org.kasou.fpu;

import static org.kasou.fpu.FpuStatus.*;

/** FSCALE and FXTRACT: moving a value's exponent in and out of its significand. */
public final class Scaling {
    /** Scale factors beyond this saturate: no finite operand survives them. */
    private static final int SCALE_LIMIT = 1 << 20;

    private Scaling() {}

    /** FSCALE: a * 2^trunc(b). */
    public static void scale(FpuResult r, int aSe, long aSig, int bSe, long bSig) {
        r.begin();
        if (Operands.nanOrUnsupported(r, aSe, aSig, bSe, bSig)) return;
        boolean aInf = Ext80.isInfinity(aSe, aSig), aZero = Ext80.isZero(aSe, aSig);
        if (Ext80.isInfinity(bSe, bSig)) {
            boolean down = Ext80.negative(bSe);
            if (down ? aInf : aZero) {
                r.invalid();
                return;
            }
            if (!Operands.denormalAllowed(r, aSe, aSig)) return;
            r.set(down ? aSe & Ext80.SIGN : aSe | Ext80.EXP_MAX, down ? 0 : Ext80.INTEGER_BIT);
            return;
        }
        if (!Operands.denormalsAllowed(r, aSe, aSig, bSe, bSig)) return;
        if (aInf || aZero) {
            r.set(aSe, aSig);
            return;
        }
        int n = truncatedScale(bSe, bSig);
        // exact unless it underflows or overflows: precision control does not apply
        Rounding.round(r, Ext80.negative(aSe), Ext80.effectiveExponent(aSe) + n, aSig, 0, 64,
                Rounding.REGISTER_MIN, Rounding.REGISTER_MAX, true);
    }

    private static int truncatedScale(int se, long sig) {
        int e = Ext80.effectiveExponent(se) - Ext80.BIAS;
        if (e < 0 || sig == 0) return 0;
        int n = e >= 20 ? SCALE_LIMIT : (int) (sig >>> (63 - e));
        return Ext80.negative(se) ? -n : n;
    }

    /** FXTRACT: r.se/sig get the unbiased exponent (the new ST(1)), r.se2/sig2 the significand (ST(0)). */
    public static void extract(FpuResult r, int se, long sig) {
        r.begin();
        if (Operands.nanOrUnsupported(r, se, sig)) {
            r.se2 = r.se;
            r.sig2 = r.sig;
            return;
        }
        if (Ext80.isZero(se, sig)) {
            if (r.raiseMaskable(ZE)) {
                r.setInfinity(Ext80.SIGN);
                r.se2 = se;
                r.sig2 = sig;
            }
            return;
        }
        if (Ext80.isInfinity(se, sig)) {
            r.set(Ext80.EXP_MAX, Ext80.INTEGER_BIT);
            r.se2 = se;
            r.sig2 = sig;
            return;
        }
        if (!Operands.denormalAllowed(r, se, sig)) return;
        int lz = Long.numberOfLeadingZeros(sig);
        int e = Ext80.effectiveExponent(se) - lz - Ext80.BIAS;
        r.se2 = (se & Ext80.SIGN) | Ext80.BIAS;
        r.sig2 = sig << lz;
        setInteger(r, e);
    }

    /** An int as an exact register value. */
    static void setInteger(FpuResult r, long value) {
        if (value == 0) {
            r.set(0, 0);
            return;
        }
        long m = Math.abs(value);
        int lz = Long.numberOfLeadingZeros(m);
        r.set((value < 0 ? Ext80.SIGN : 0) | (Ext80.BIAS + 63 - lz), m << lz);
    }
}
