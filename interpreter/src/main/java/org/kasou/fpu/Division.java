package org.kasou.fpu;

/**
 * Unsigned division of a 128-bit dividend by a normalized 64-bit divisor in 32-bit digits
 * (Knuth, TAOCP vol. 2, 4.3.1, algorithm D with two quotient digits). Quotient and remainder
 * are left in fields so nothing is allocated.
 */
final class Division {
    private static final long DIGIT = 0xFFFF_FFFFL;
    long quotient, remainder;

    /** Requires {@code high < divisor} (unsigned) and bit 63 of the divisor set. */
    void divide(long high, long low, long divisor) {
        long d1 = divisor >>> 32, d0 = divisor & DIGIT;
        long u1 = low >>> 32, u0 = low & DIGIT;
        long q1 = Long.divideUnsigned(high, d1);
        long rhat = high - q1 * d1;
        while (q1 > DIGIT || Long.compareUnsigned(q1 * d0, (rhat << 32) | u1) > 0) {
            q1--;
            rhat += d1;
            if (rhat > DIGIT) break;
        }
        long mid = (high << 32) + u1 - q1 * divisor;
        long q0 = Long.divideUnsigned(mid, d1);
        rhat = mid - q0 * d1;
        while (q0 > DIGIT || Long.compareUnsigned(q0 * d0, (rhat << 32) | u0) > 0) {
            q0--;
            rhat += d1;
            if (rhat > DIGIT) break;
        }
        remainder = (mid << 32) + u0 - q0 * divisor;
        quotient = (q1 << 32) | q0;
    }
}
