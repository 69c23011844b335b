package org.kasou.fpu;

import static org.kasou.fpu.FpuStatus.*;

/**
 * FCOM/FUCOM (and the FCOMI forms, whose ZF, PF and CF are C3, C2 and C0), FTST and FXAM. The
 * outcome is in the condition codes: greater 000, less C0, equal C3, unordered C3|C2|C0.
 */
public final class Comparison {
    public static final int GREATER = 0, LESS = C0, EQUAL = C3, UNORDERED = C3 | C2 | C0;

    private Comparison() {}

    /**
     * Compares a with b. Ordered comparisons (FCOM) raise IE for any NaN, unordered ones (FUCOM)
     * only for SNaNs; unsupported encodings always. The outcome is set even when the exception
     * is unmasked.
     */
    public static void compare(FpuResult r, int aSe, long aSig, int bSe, long bSig, boolean quiet) {
        r.begin(C0 | C1 | C2 | C3);
        boolean aNaN = Ext80.isNaN(aSe, aSig), bNaN = Ext80.isNaN(bSe, bSig);
        boolean unsupported = Ext80.isUnsupported(aSe, aSig) || Ext80.isUnsupported(bSe, bSig);
        if (aNaN || bNaN || unsupported) {
            boolean signals = unsupported || !quiet || Ext80.isSignalingNaN(aSe, aSig) || Ext80.isSignalingNaN(bSe, bSig);
            if (signals) r.raise(IE);
            r.raise(UNORDERED);
            return;
        }
        if (Ext80.isDenormal(aSe, aSig) || Ext80.isDenormal(bSe, bSig)) r.raise(DE);
        r.raise(order(aSe, aSig, bSe, bSig));
    }

    /** FCOMI's EFLAGS from a comparison's condition codes: ZF = C3, PF = C2, CF = C0. */
    public static int eflags(int status) {
        return ((status & C3) != 0 ? 0x40 : 0) | ((status & C2) != 0 ? 0x04 : 0) | ((status & C0) != 0 ? 0x01 : 0);
    }

    /** FTST: ST(0) against +0.0. */
    public static void test(FpuResult r, int se, long sig) {
        compare(r, se, sig, 0, 0, false);
    }

    private static int order(int aSe, long aSig, int bSe, long bSig) {
        boolean aZero = Ext80.isZero(aSe, aSig), bZero = Ext80.isZero(bSe, bSig);
        if (aZero && bZero) return EQUAL;
        boolean aNeg = !aZero && Ext80.negative(aSe), bNeg = !bZero && Ext80.negative(bSe);
        if (aNeg != bNeg) return aNeg ? LESS : GREATER;
        int c = compareMagnitude(aSe, aSig, aZero, bSe, bSig, bZero);
        if (c == 0) return EQUAL;
        return (c > 0) != aNeg ? GREATER : LESS;
    }

    private static int compareMagnitude(int aSe, long aSig, boolean aZero, int bSe, long bSig, boolean bZero) {
        if (aZero || bZero) return aZero ? -1 : 1;
        int la = Long.numberOfLeadingZeros(aSig), lb = Long.numberOfLeadingZeros(bSig);
        int ea = Ext80.effectiveExponent(aSe) - la, eb = Ext80.effectiveExponent(bSe) - lb;
        if (ea != eb) return Integer.compare(ea, eb);
        return Long.compareUnsigned(aSig << la, bSig << lb);
    }

    /** FXAM: the class in C3, C2, C0 and the sign in C1; never raises an exception. */
    public static void examine(FpuResult r, int se, long sig, boolean empty) {
        r.begin(C0 | C1 | C2 | C3);
        int c;
        if (empty) c = C3 | C0;
        else if (Ext80.isUnsupported(se, sig)) c = 0;
        else if (Ext80.isNaN(se, sig)) c = C0;
        else if (Ext80.isInfinity(se, sig)) c = C2 | C0;
        else if (Ext80.isZero(se, sig)) c = C3;
        else if (Ext80.isDenormal(se, sig)) c = C3 | C2;
        else c = C2;
        r.raise(c | (Ext80.negative(se) ? C1 : 0));
    }
}
