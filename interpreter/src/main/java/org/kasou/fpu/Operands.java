package org.kasou.fpu;

import static org.kasou.fpu.FpuStatus.*;

/**
 * The checks every arithmetic operation makes before computing (SDM vol. 1, 4.8.3 and 8.5):
 * unsupported encodings and NaNs decide the result, denormal operands raise DE.
 */
final class Operands {
    private Operands() {}

    /**
     * Decides the result when an operand is unsupported or a NaN: the indefinite for unsupported,
     * otherwise the NaN (quieted; of an SNaN and a QNaN the QNaN, of two alike the larger significand), IE for an SNaN.
     * Returns whether the result is decided.
     */
    static boolean nanOrUnsupported(FpuResult r, int aSe, long aSig, int bSe, long bSig) {
        if (Ext80.isUnsupported(aSe, aSig) || Ext80.isUnsupported(bSe, bSig)) {
            r.invalid();
            return true;
        }
        boolean aNaN = Ext80.isNaN(aSe, aSig), bNaN = Ext80.isNaN(bSe, bSig);
        if (!aNaN && !bNaN) return false;
        if ((Ext80.isSignalingNaN(aSe, aSig) || Ext80.isSignalingNaN(bSe, bSig)) && !r.raiseMaskable(IE)) return true;
        boolean aQuiet = aNaN && (aSig & Ext80.QUIET_BIT) != 0, bQuiet = bNaN && (bSig & Ext80.QUIET_BIT) != 0;
        if (aNaN && bNaN && aQuiet != bQuiet) { // an SNaN and a QNaN: the QNaN
            if (aQuiet) quiet(r, aSe, aSig);
            else quiet(r, bSe, bSig);
        } else if (aNaN && bNaN) {
            int c = Long.compareUnsigned(aSig | Ext80.QUIET_BIT, bSig | Ext80.QUIET_BIT);
            boolean pickA = c > 0 || (c == 0 && (!Ext80.negative(aSe) || Ext80.negative(bSe)));
            if (pickA) quiet(r, aSe, aSig);
            else quiet(r, bSe, bSig);
        } else if (aNaN) {
            quiet(r, aSe, aSig);
        } else {
            quiet(r, bSe, bSig);
        }
        return true;
    }

    /** The one-operand form of {@link #nanOrUnsupported(FpuResult, int, long, int, long)}. */
    static boolean nanOrUnsupported(FpuResult r, int se, long sig) {
        if (Ext80.isUnsupported(se, sig)) {
            r.invalid();
            return true;
        }
        if (!Ext80.isNaN(se, sig)) return false;
        if (Ext80.isSignalingNaN(se, sig) && !r.raiseMaskable(IE)) return true;
        quiet(r, se, sig);
        return true;
    }

    static void quiet(FpuResult r, int se, long sig) {
        r.set(se, sig | Ext80.QUIET_BIT);
    }

    /** Raises DE for a denormal operand; returns false when it is unmasked and the operation stops. */
    static boolean denormalsAllowed(FpuResult r, int aSe, long aSig, int bSe, long bSig) {
        if (Ext80.isDenormal(aSe, aSig) || Ext80.isDenormal(bSe, bSig)) return r.raiseMaskable(DE);
        return true;
    }

    static boolean denormalAllowed(FpuResult r, int se, long sig) {
        return !Ext80.isDenormal(se, sig) || r.raiseMaskable(DE);
    }

    /** The exponent of a finite nonzero operand once its significand is shifted to bit 63. */
    static int normalizedExponent(int se, long sig) {
        return Ext80.effectiveExponent(se) - Long.numberOfLeadingZeros(sig);
    }
}
