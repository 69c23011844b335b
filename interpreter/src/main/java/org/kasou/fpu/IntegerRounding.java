package org.kasou.fpu;

import static org.kasou.fpu.FpuStatus.*;

/**
 * Rounding to an integer by the control word's rounding mode: FRNDINT, and the first step of
 * FIST and FBSTP. Precision control does not apply.
 */
public final class IntegerRounding {
    static final int INEXACT = 1, ROUNDED_UP = 2;

    private IntegerRounding() {}

    /**
     * The magnitude of the finite value {@code sig * 2^(exp - BIAS - 63)} rounded to an integer, as
     * an unsigned long; requires exp - BIAS <= 63. Leaves INEXACT and ROUNDED_UP in r.rounding.
     */
    static long magnitude(FpuResult r, boolean negative, int exp, long sig) {
        int shift = 63 - (exp - Ext80.BIAS);
        long integer, half, rest;
        if (shift == 0) {
            integer = sig;
            half = rest = 0;
        } else if (shift < 64) {
            integer = sig >>> shift;
            long fraction = sig << (64 - shift);
            half = fraction & Long.MIN_VALUE;
            rest = fraction << 1;
        } else {
            integer = 0;
            half = shift == 64 ? sig & Long.MIN_VALUE : 0;
            rest = shift == 64 ? sig << 1 : sig;
        }
        boolean inexact = half != 0 || rest != 0;
        boolean up = inexact && switch (r.roundingControl()) {
            case FpuControl.RC_NEAREST -> half != 0 && (rest != 0 || (integer & 1) != 0);
            case FpuControl.RC_DOWN -> negative;
            case FpuControl.RC_UP -> !negative;
            default -> false;
        };
        r.rounding = (inexact ? INEXACT : 0) | (up ? ROUNDED_UP : 0);
        return up ? integer + 1 : integer;
    }

    /** FRNDINT. */
    public static void roundToInteger(FpuResult r, int se, long sig) {
        r.begin();
        if (Operands.nanOrUnsupported(r, se, sig)) return;
        if (Ext80.isZero(se, sig) || Ext80.isInfinity(se, sig)) {
            r.set(se, sig);
            return;
        }
        if (!Operands.denormalAllowed(r, se, sig)) return;
        int exp = Ext80.effectiveExponent(se);
        if (exp - Ext80.BIAS >= 63) {
            r.set(se, sig);
            return;
        }
        long m = magnitude(r, Ext80.negative(se), exp, sig);
        int sign = se & Ext80.SIGN;
        if (m == 0) {
            r.setZero(sign);
        } else {
            int lz = Long.numberOfLeadingZeros(m);
            r.set(sign | (Ext80.BIAS + 63 - lz), m << lz);
        }
        if ((r.rounding & INEXACT) != 0) r.raise((r.rounding & ROUNDED_UP) != 0 ? PE | C1 : PE);
    }
}
