package org.kasou.fpu;

/** Unsigned 128-bit helpers on (hi, lo) pairs of longs, with a sticky bit folded into bit 0. */
final class Wide {
    private Wide() {}

    static long multiplyHigh(long a, long b) {
        return Math.multiplyHigh(a, b) + ((a >> 63) & b) + ((b >> 63) & a);
    }

    /** High word of (hi:lo) shifted right by n, 0 <= n. */
    static long shiftRightHigh(long hi, long lo, int n) {
        return n >= 64 ? 0 : hi >>> n;
    }

    /** Low word of (hi:lo) shifted right by n, with every bit shifted out ORed into bit 0. */
    static long shiftRightLowSticky(long hi, long lo, int n) {
        if (n == 0) return lo;
        if (n < 64) return (hi << (64 - n)) | (lo >>> n) | ((lo << (64 - n)) != 0 ? 1 : 0);
        if (n == 64) return hi | (lo != 0 ? 1 : 0);
        if (n < 128) return (hi >>> (n - 64)) | (((hi << (128 - n)) | lo) != 0 ? 1 : 0);
        return (hi | lo) != 0 ? 1 : 0;
    }

    static long shiftLeftHigh(long hi, long lo, int n) {
        if (n == 0) return hi;
        return n >= 64 ? lo << (n - 64) : (hi << n) | (lo >>> (64 - n));
    }

    static long shiftLeftLow(long lo, int n) {
        return n >= 64 ? 0 : lo << n;
    }

    /** Leading zeros of (hi:lo), 128 when both are zero. */
    static int leadingZeros(long hi, long lo) {
        return hi != 0 ? Long.numberOfLeadingZeros(hi) : 64 + Long.numberOfLeadingZeros(lo);
    }

    static int compare(long aHi, long aLo, long bHi, long bLo) {
        int c = Long.compareUnsigned(aHi, bHi);
        return c != 0 ? c : Long.compareUnsigned(aLo, bLo);
    }

    /** 2^64 as a double. */
    static final double TWO_64 = 0x1p64;

    /** The unsigned value of v as a double, to within a unit of its last place (for first guesses). */
    static double unsignedToDouble(long v) {
        return (double) (v >>> 1) * 2.0 + (v & 1);
    }

    /** A double in [0, 2^64) as an unsigned long, truncated. */
    static long doubleToUnsigned(double x) {
        return x >= 0x1p63 ? (long) (x - 0x1p63) ^ Long.MIN_VALUE : (long) x;
    }
}
