package org.kasou.fpu;

import static org.kasou.fpu.FpuStatus.*;

/**
 * FST m32/m64, FIST and FBSTP: conversions from the register format, rounded by the control
 * word's rounding mode to the destination's precision (precision control does not apply). The
 * bytes go to {@link FpuResult#memory} (and {@link FpuResult#memoryHigh} for BCD); an unmasked
 * exception stores nothing.
 */
public final class Stores {
    /** The integer indefinite's sign bit and BCD indefinite (SDM vol. 1, 4.8.3.8). */
    public static final long BCD_INDEFINITE_LOW = 0xC000_0000_0000_0000L;
    public static final int BCD_INDEFINITE_HIGH = 0xFFFF;
    private static final long BCD_LIMIT = 1_000_000_000_000_000_000L;

    private Stores() {}

    public static void float32(FpuResult r, int se, long sig) {
        floating(r, se, sig, 23, 127);
    }

    public static void float64(FpuResult r, int se, long sig) {
        int e = se & Ext80.EXP_MAX;
        if (sig < 0 && e >= Ext80.BIAS - 1022 && e < Ext80.BIAS + 1023) {
            normalToFloat64(r, se, sig, e);
            return;
        }
        floating(r, se, sig, 52, 1023);
    }

    /**
     * A normal value whose exponent a double holds, with room for the carry of rounding up: no
     * underflow or overflow can happen, only the rounding of the low 11 bits.
     */
    private static void normalToFloat64(FpuResult r, int se, long sig, int e) {
        r.begin();
        boolean negative = Ext80.negative(se);
        long kept = sig >>> 11;
        int rest = (int) sig & 0x7FF;
        int up; // 0 or 1; to nearest without branches, the dropped bits being as good as random
        if (r.roundingControl() == FpuControl.RC_NEAREST) {
            up = (0x400 - rest - ((int) kept & 1)) >>> 31; // above half, or half with kept odd
        } else {
            up = rest != 0 && switch (r.roundingControl()) {
                case FpuControl.RC_DOWN -> negative;
                case FpuControl.RC_UP -> !negative;
                default -> false;
            } ? 1 : 0;
        }
        // the integer bit of kept adds one to the biased exponent field; a carry out of 53 bits two
        long bits = ((long) (e - Ext80.BIAS + 1022) << 52) + kept + up;
        r.memory = bits | (long) (se & Ext80.SIGN) << 48;
        r.raise((-rest >>> 31) * PE | up * C1); // rest != 0: inexact
    }

    private static void floating(FpuResult r, int se, long sig, int fractionBits, int bias) {
        r.begin();
        long signBit = fractionBits == 23 ? 1L << 31 : 1L << 63;
        long sign = Ext80.negative(se) ? signBit : 0;
        long infinity = (long) (2 * bias + 1) << fractionBits;
        int dropped = 63 - fractionBits;
        long fractionMask = (1L << fractionBits) - 1;
        if (Ext80.isUnsupported(se, sig)) {
            if (r.raiseMaskable(IE)) r.memory = signBit | infinity | (1L << (fractionBits - 1));
            return;
        }
        if (Ext80.isNaN(se, sig)) {
            if (!Ext80.isSignalingNaN(se, sig) || r.raiseMaskable(IE)) {
                r.memory = sign | infinity | (((sig | Ext80.QUIET_BIT) >>> dropped) & fractionMask);
            }
            return;
        }
        if (Ext80.isInfinity(se, sig)) {
            r.memory = sign | infinity;
            return;
        }
        if (sig == 0) {
            r.memory = sign;
            return;
        }
        int minExp = Ext80.BIAS - bias + 1;
        Rounding.round(r, Ext80.negative(se), Ext80.effectiveExponent(se), sig, 0, fractionBits + 1,
                minExp, Ext80.BIAS + bias, false);
        if (!r.written) return;
        int e = Ext80.exponent(r.se);
        if (e == Ext80.EXP_MAX) r.memory = sign | infinity;
        else if (r.sig < 0) r.memory = sign | ((long) (e - minExp + 1) << fractionBits) | ((r.sig >>> dropped) & fractionMask);
        else r.memory = sign | (r.sig >>> dropped);
    }

    /** FIST/FISTP m16, m32, m64 ({@code bits}); out of range stores the integer indefinite. */
    public static void integer(FpuResult r, int se, long sig, int bits) {
        r.begin();
        long indefinite = 1L << (bits - 1);
        long mask = bits == 64 ? -1L : (1L << bits) - 1;
        if (!Ext80.isFiniteNonzero(se, sig)) {
            if (Ext80.isZero(se, sig)) r.memory = 0;
            else if (r.raiseMaskable(IE)) r.memory = indefinite;
            return;
        }
        boolean negative = Ext80.negative(se);
        int exp = Ext80.effectiveExponent(se);
        long m = exp - Ext80.BIAS > 63 ? -1 : IntegerRounding.magnitude(r, negative, exp, sig);
        long limit = negative ? indefinite : indefinite - 1;
        if (exp - Ext80.BIAS > 63 || Long.compareUnsigned(m, limit) > 0) {
            if (r.raiseMaskable(IE)) r.memory = indefinite;
            return;
        }
        r.memory = (negative ? -m : m) & mask;
        raisePrecision(r);
    }

    /** FBSTP: 18 digits and a sign; |value| >= 10^18 stores the BCD indefinite. */
    public static void packedBcd(FpuResult r, int se, long sig) {
        r.begin();
        int sign = Ext80.negative(se) ? 0x8000 : 0;
        if (!Ext80.isFiniteNonzero(se, sig)) {
            if (Ext80.isZero(se, sig)) {
                r.memory = 0;
                r.memoryHigh = sign;
            } else {
                bcdInvalid(r);
            }
            return;
        }
        int exp = Ext80.effectiveExponent(se);
        long m = exp - Ext80.BIAS > 63 ? -1 : IntegerRounding.magnitude(r, sign != 0, exp, sig);
        if (exp - Ext80.BIAS > 63 || Long.compareUnsigned(m, BCD_LIMIT) >= 0) {
            bcdInvalid(r);
            return;
        }
        long low = 0;
        for (int i = 0; i < 16; i++) {
            low |= (m % 10) << (4 * i);
            m /= 10;
        }
        r.memory = low;
        r.memoryHigh = sign | (int) (m % 10) | (int) (m / 10) << 4;
        raisePrecision(r);
    }

    private static void bcdInvalid(FpuResult r) {
        if (r.raiseMaskable(IE)) {
            r.memory = BCD_INDEFINITE_LOW;
            r.memoryHigh = BCD_INDEFINITE_HIGH;
        }
    }

    private static void raisePrecision(FpuResult r) {
        if ((r.rounding & IntegerRounding.INEXACT) != 0) {
            r.raise((r.rounding & IntegerRounding.ROUNDED_UP) != 0 ? PE | C1 : PE);
        }
    }
}
