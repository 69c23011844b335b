package org.kasou.fpu;

import static org.kasou.fpu.FpuStatus.*;

/**
 * FPREM (quotient truncated, the 8087's) and FPREM1 (quotient rounded to nearest, IEEE). The
 * remainder is exact. When the exponents differ by 64 or more only a partial reduction is made
 * (C2 = 1) and the program loops; otherwise C0, C3 and C1 receive quotient bits 2, 1 and 0.
 */
public final class Remainder {
    private Remainder() {}

    public static void partial(FpuResult r, int aSe, long aSig, int bSe, long bSig) {
        remainder(r, aSe, aSig, bSe, bSig, false);
    }

    public static void ieee(FpuResult r, int aSe, long aSig, int bSe, long bSig) {
        remainder(r, aSe, aSig, bSe, bSig, true);
    }

    private static void remainder(FpuResult r, int aSe, long aSig, int bSe, long bSig, boolean nearest) {
        r.begin(C0 | C1 | C2 | C3);
        if (Operands.nanOrUnsupported(r, aSe, aSig, bSe, bSig)) return;
        if (Ext80.isInfinity(aSe, aSig) || Ext80.isZero(bSe, bSig)) {
            r.invalid();
            return;
        }
        if (!Operands.denormalsAllowed(r, aSe, aSig, bSe, bSig)) return;
        if (Ext80.isZero(aSe, aSig)) {
            r.set(aSe, aSig);
            return;
        }
        if (Ext80.isInfinity(bSe, bSig)) {
            unchanged(r, aSe, aSig);
            return;
        }
        int la = Long.numberOfLeadingZeros(aSig), lb = Long.numberOfLeadingZeros(bSig);
        long ma = aSig << la, mb = bSig << lb;
        int ea = Ext80.effectiveExponent(aSe) - la, eb = Ext80.effectiveExponent(bSe) - lb;
        int d = ea - eb;
        boolean negative = Ext80.negative(aSe);
        if (d < (nearest ? -1 : 0)) {
            unchanged(r, aSe, aSig);
            return;
        }
        if (d == -1) { // FPREM1 only: |a| > |b|/2 rounds the quotient to 1
            if (Long.compareUnsigned(ma, mb) > 0) {
                pack(r, !negative, ea, mb - (ma - mb));
                r.raise(C1);
            } else {
                unchanged(r, aSe, aSig);
            }
            return;
        }
        int steps = d, resultExp = eb;
        if (d >= 64) {
            steps = 32 + (d & 31);
            resultExp = eb + d - steps;
            nearest = false;
        }
        long rem = ma, q = 0;
        if (Long.compareUnsigned(rem, mb) >= 0) {
            rem -= mb;
            q = 1;
        }
        for (int i = 0; i < steps; i++) {
            boolean carry = rem < 0;
            rem <<= 1;
            q <<= 1;
            if (carry || Long.compareUnsigned(rem, mb) >= 0) {
                rem -= mb;
                q |= 1;
            }
        }
        if (nearest) {
            int c = rem < 0 ? 1 : Long.compareUnsigned(rem << 1, mb);
            if (c > 0 || (c == 0 && (q & 1) != 0)) {
                rem = mb - rem;
                q++;
                negative = !negative;
            }
        }
        if (rem == 0) {
            r.setZero(aSe & Ext80.SIGN);
        } else {
            pack(r, negative, resultExp, rem);
        }
        if (d >= 64) {
            r.raise(C2);
        } else {
            r.raise(((q & 4) != 0 ? C0 : 0) | ((q & 2) != 0 ? C3 : 0) | ((q & 1) != 0 ? C1 : 0));
        }
    }

    /** ST(0) as it is, though a pseudo-denormal comes back in the normal encoding. */
    private static void unchanged(FpuResult r, int aSe, long aSig) {
        pack(r, Ext80.negative(aSe), Ext80.effectiveExponent(aSe), aSig);
    }

    private static void pack(FpuResult r, boolean negative, int exp, long magnitude) {
        Rounding.round(r, negative, exp, magnitude, 0, 64, Rounding.REGISTER_MIN, Rounding.REGISTER_MAX, true);
    }
}
