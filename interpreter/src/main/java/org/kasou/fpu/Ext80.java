package org.kasou.fpu;

/**
 * The 80-bit extended-precision format (SDM vol. 1, 4.2.2 and 8.2.2): a 16-bit sign/exponent word
 * ({@code se}: sign in bit 15, biased exponent in bits 0-14) and a 64-bit significand whose bit 63
 * is the explicit integer bit. Classification follows the P6: encodings the 387 accepted
 * (unnormals, pseudo-NaNs, pseudo-infinities) are unsupported and invalid as operands.
 */
public final class Ext80 {
    public static final int BIAS = 16383;
    public static final int EXP_MAX = 0x7FFF;
    public static final int SIGN = 0x8000;
    public static final long INTEGER_BIT = 1L << 63;
    public static final long QUIET_BIT = 1L << 62;
    /** The QNaN floating-point indefinite, the masked response to invalid operations. */
    public static final int INDEFINITE_SE = 0xFFFF;
    public static final long INDEFINITE_SIG = 0xC000_0000_0000_0000L;

    private Ext80() {}

    public static int exponent(int se) {
        return se & EXP_MAX;
    }

    public static boolean negative(int se) {
        return (se & SIGN) != 0;
    }

    public static boolean isZero(int se, long sig) {
        return (se & EXP_MAX) == 0 && sig == 0;
    }

    /**
     * Denormal or pseudo-denormal, or a denormal float widened from memory: all raise the
     * denormal-operand exception.
     */
    public static boolean isDenormal(int se, long sig) {
        return ((se & EXP_MAX) == 0 && sig != 0) || (se & MemoryOperands.DENORMAL_SOURCE) != 0;
    }

    public static boolean isInfinity(int se, long sig) {
        return (se & EXP_MAX) == EXP_MAX && sig == INTEGER_BIT;
    }

    public static boolean isNaN(int se, long sig) {
        return (se & EXP_MAX) == EXP_MAX && sig < 0 && sig != INTEGER_BIT;
    }

    public static boolean isSignalingNaN(int se, long sig) {
        return isNaN(se, sig) && (sig & QUIET_BIT) == 0;
    }

    /** Unnormals, pseudo-NaNs and pseudo-infinities: a nonzero exponent without the integer bit. */
    public static boolean isUnsupported(int se, long sig) {
        return (se & EXP_MAX) != 0 && sig >= 0;
    }

    /** Finite and nonzero: normal, denormal or pseudo-denormal. */
    public static boolean isFiniteNonzero(int se, long sig) {
        int e = se & EXP_MAX;
        return e != EXP_MAX && sig != 0 && (e == 0 || sig < 0);
    }

    /** The exponent an operand's significand is scaled by: denormals share the smallest normal one. */
    /**
     * Whether both values are normal: integer bit set, exponent neither zero nor all ones (no NaN,
     * infinity, zero, denormal, widened denormal float or unsupported format, so no operation's
     * special cases apply).
     */
    public static boolean bothNormal(int aSe, long aSig, int bSe, long bSig) {
        return (aSig & bSig) < 0 && ((aSe + 1) & EXP_MAX) > 1 && ((bSe + 1) & EXP_MAX) > 1
                && ((aSe | bSe) & MemoryOperands.DENORMAL_SOURCE) == 0;
    }

    public static int effectiveExponent(int se) {
        int e = se & EXP_MAX;
        return e == 0 ? 1 : e;
    }

    public static String toString(int se, long sig) {
        return String.format("%04x:%016x", se & 0xFFFF, sig);
    }
}
