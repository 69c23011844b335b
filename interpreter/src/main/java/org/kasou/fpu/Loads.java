package org.kasou.fpu;

import static org.kasou.fpu.FpuStatus.*;

/**
 * FLD m32/m64, FILD and FBLD: conversions to the register format, all exact. A denormal float
 * raises DE (and is loaded even when DE is unmasked), an SNaN IE (loaded quieted; nothing is
 * loaded when IE is unmasked).
 */
public final class Loads {
    private Loads() {}

    public static void float32(FpuResult r, int bits) {
        floating(r, bits >>> 31 != 0, (bits >>> 23) & 0xFF, bits & 0x7F_FFFFL, 23, 127);
    }

    public static void float64(FpuResult r, long bits) {
        floating(r, bits < 0, (int) (bits >>> 52) & 0x7FF, bits & 0xF_FFFF_FFFF_FFFFL, 52, 1023);
    }

    private static void floating(FpuResult r, boolean negative, int exp, long fraction, int fractionBits, int bias) {
        r.begin();
        int sign = negative ? Ext80.SIGN : 0;
        int maxExp = 2 * bias + 1;
        long sig = fraction << (63 - fractionBits);
        if (exp == maxExp) {
            if (fraction == 0) {
                r.setInfinity(sign);
            } else if ((sig & Ext80.QUIET_BIT) != 0 || r.raiseMaskable(IE)) {
                r.set(sign | Ext80.EXP_MAX, Ext80.INTEGER_BIT | Ext80.QUIET_BIT | sig);
            }
        } else if (exp == 0) {
            if (fraction == 0) {
                r.setZero(sign);
            } else {
                r.raise(DE); // loaded even when unmasked: the exception is reported afterwards
                int lz = Long.numberOfLeadingZeros(sig);
                r.set(sign | (Ext80.BIAS - bias + 1 - lz), sig << lz);
            }
        } else {
            r.set(sign | (exp - bias + Ext80.BIAS), Ext80.INTEGER_BIT | sig);
        }
    }

    /** FILD m16/m32/m64: the integer, sign-extended. */
    public static void integer(FpuResult r, long value) {
        r.begin();
        Scaling.setInteger(r, value);
    }

    /**
     * FBLD: 18 packed BCD digits in the low 9 bytes ({@code low} and bits 0-7 of {@code high}),
     * the sign in bit 15 of {@code high}. Digits above 9 are undefined on hardware; they are taken
     * at face value here.
     */
    public static void packedBcd(FpuResult r, long low, int high) {
        r.begin();
        long value = 0;
        for (int i = 1; i >= 0; i--) value = value * 10 + ((high >>> (4 * i)) & 0xF);
        for (int i = 15; i >= 0; i--) value = value * 10 + ((low >>> (4 * i)) & 0xF);
        Scaling.setInteger(r, value);
        if ((high & 0x8000) != 0) r.se |= Ext80.SIGN;
    }
}
