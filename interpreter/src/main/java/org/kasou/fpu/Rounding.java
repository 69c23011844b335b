package org.kasou.fpu;

import static org.kasou.fpu.FpuStatus.*;

/**
 * Rounds an exact result to a destination: a precision (24, 53 or 64 significand bits) and an
 * exponent range, with the control word's rounding mode, and produces the overflow, underflow
 * and precision responses of SDM vol. 1, 4.9.1 and 8.5.
 */
final class Rounding {
    /** Exponent range of the register format; stores pass their own. */
    static final int REGISTER_MIN = 1, REGISTER_MAX = 0x7FFE;
    /** The exponent bias adjust of unmasked overflow and underflow on register results (SDM 8.5.4). */
    static final int BIAS_ADJUST = 24576;

    private Rounding() {}

    static void toRegister(FpuResult r, boolean negative, int exp, long hi, long lo) {
        if (hi >= 0) { // normalize: the integer bit to bit 63
            int lz = Wide.leadingZeros(hi, lo);
            if (lz == 128) {
                round(r, negative, exp, hi, lo, r.precisionBits(), REGISTER_MIN, REGISTER_MAX, true);
                return;
            }
            long h = Wide.shiftLeftHigh(hi, lo, lz);
            lo = Wide.shiftLeftLow(lo, lz);
            hi = h;
            exp -= lz;
        }
        if (exp > REGISTER_MIN && exp < REGISTER_MAX && FpuControl.roundingControl(r.control) == FpuControl.RC_NEAREST) {
            toNearestInRange(r, negative, exp, hi, lo);
        } else {
            round(r, negative, exp, hi, lo, r.precisionBits(), REGISTER_MIN, REGISTER_MAX, true);
        }
    }

    /**
     * The common case of {@link #round} for a register: round to nearest even, a normalized value
     * whose exponent stays in range whether or not rounding carries into it (no overflow, no
     * underflow, no denormal).
     */
    private static void toNearestInRange(FpuResult r, boolean negative, int exp, long hi, long lo) {
        if (r.precisionBits() == 64) {
            r.raise(NearestExtended.toNearest(r, negative ? Ext80.SIGN : 0, exp, hi, lo));
            return;
        }
        int dropBits = 64 - r.precisionBits();
        long unit = dropBits == 0 ? 1 : 1L << dropBits; // 1 at bit 0 when all 64 bits are kept
        long dropped = dropBits == 0 ? 0 : hi & (unit - 1);
        boolean up = nearestUp(hi, lo, dropBits);
        hi -= dropped;
        if (up && (hi += unit) == 0) { // carried out of bit 63
            hi = Ext80.INTEGER_BIT;
            exp++;
        }
        if (dropped != 0 || lo != 0) r.raise(up ? PE | C1 : PE);
        r.set((negative ? Ext80.SIGN : 0) | exp, hi);
    }

    /**
     * Rounds {@code ±(hi:lo) * 2^(exp - BIAS - 63)}; hi:lo must be nonzero; any bit lost before the
     * call must be ORed into bit 0 of lo. Writes r.se/r.sig with the exponent in the register's
     * bias; a result below {@code minExp} that stays denormal gets exponent 0 and a clear integer
     * bit. For a memory destination unmasked overflow and underflow store nothing.
     */
    static void round(FpuResult r, boolean negative, int exp, long hi, long lo, int precision,
                      int minExp, int maxExp, boolean register) {
        int lz = Wide.leadingZeros(hi, lo);
        if (lz != 0) {
            long h = Wide.shiftLeftHigh(hi, lo, lz);
            lo = Wide.shiftLeftLow(lo, lz);
            hi = h;
            exp -= lz;
        }
        int sign = negative ? Ext80.SIGN : 0;
        int dropBits = 64 - precision;
        // tininess is detected after rounding: just below the smallest normal may round up to it
        boolean tiny = exp < minExp - 1 || (exp == minExp - 1 && !carriesOut(r, negative, hi, lo, dropBits));
        if (tiny) {
            if (!r.masked(UE)) {
                r.raise(UE);
                if (!register) {
                    r.written = false;
                    return;
                }
                if (exp + BIAS_ADJUST < minExp) { // too tiny even for the bias adjust (FSCALE)
                    r.raise(PE);
                    r.setZero(sign);
                    return;
                }
                exp += BIAS_ADJUST;
                tiny = false;
            } else {
                int shift = minExp - exp;
                long h = Wide.shiftRightHigh(hi, lo, shift);
                lo = Wide.shiftRightLowSticky(hi, lo, shift);
                hi = h;
                exp = minExp;
            }
        }
        long unit = dropBits == 0 ? 0 : 1L << dropBits; // 0 stands for 2^64 (the unit is in lo)
        long droppedHi = dropBits == 0 ? 0 : hi & (unit - 1);
        boolean inexact = droppedHi != 0 || lo != 0;
        boolean up = roundsUp(r, negative, hi, lo, dropBits);
        hi -= droppedHi;
        if (up) {
            long sum = hi + (dropBits == 0 ? 1 : unit);
            if (Long.compareUnsigned(sum, hi) < 0) { // carried out of bit 63
                sum = Ext80.INTEGER_BIT;
                exp++;
            }
            hi = sum;
        }
        if (exp > maxExp) {
            r.raise(OE);
            if (!r.masked(OE) && !register) {
                r.written = false;
                return;
            }
            if (!r.masked(OE) && exp - BIAS_ADJUST > maxExp) { // too large even for the bias adjust (FSCALE)
                r.raise(PE | C1);
                r.setInfinity(sign);
                return;
            }
            if (!r.masked(OE)) {
                exp -= BIAS_ADJUST;
            } else {
                overflowed(r, sign, precision, maxExp);
                return;
            }
        }
        if (tiny) {
            if (inexact) r.raise(UE);
            if (hi >= 0) exp = 0; // still denormal
        }
        if (inexact) r.raise(up ? PE | C1 : PE);
        r.set(sign | exp, hi);
    }

    /** Whether rounding hi:lo to nearest even, keeping all but the low dropBits bits of hi, increments it. */
    private static boolean nearestUp(long hi, long lo, int dropBits) {
        if (dropBits == 0) return lo < 0 && ((lo << 1) != 0 || (hi & 1) != 0);
        long unit = 1L << dropBits, half = unit >>> 1, dropped = hi & (unit - 1);
        return (dropped & half) != 0 && ((dropped & (half - 1)) != 0 || lo != 0 || (hi & unit) != 0);
    }

    /** Whether rounding hi:lo, keeping all but the low dropBits bits of hi, increments it. */
    private static boolean roundsUp(FpuResult r, boolean negative, long hi, long lo, int dropBits) {
        long unit = dropBits == 0 ? 0 : 1L << dropBits;
        long droppedHi = dropBits == 0 ? 0 : hi & (unit - 1);
        if (droppedHi == 0 && lo == 0) return false;
        return switch (r.roundingControl()) {
            case FpuControl.RC_NEAREST -> nearestUp(hi, lo, dropBits);
            case FpuControl.RC_DOWN -> negative;
            case FpuControl.RC_UP -> !negative;
            default -> false;
        };
    }

    /** Whether rounding increments the kept bits past all ones, a carry into a new exponent. */
    private static boolean carriesOut(FpuResult r, boolean negative, long hi, long lo, int dropBits) {
        return (hi | (dropBits == 0 ? 0 : (1L << dropBits) - 1)) == -1L && roundsUp(r, negative, hi, lo, dropBits);
    }

    /** The masked overflow response: infinity or the largest finite value, by rounding mode and sign. */
    private static void overflowed(FpuResult r, int sign, int precision, int maxExp) {
        boolean toInfinity = switch (r.roundingControl()) {
            case FpuControl.RC_NEAREST -> true;
            case FpuControl.RC_DOWN -> sign != 0;
            case FpuControl.RC_UP -> sign == 0;
            default -> false;
        };
        if (toInfinity) {
            r.raise(PE | C1);
            r.setInfinity(sign);
        } else {
            r.raise(PE);
            r.set(sign | maxExp, -1L << (64 - precision));
        }
    }
}
