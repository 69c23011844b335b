package org.kasou.fpu;

/**
 * Integer square root of a 128-bit radicand in [2^126, 2^128). Besides the 64-bit root it reports
 * what rounding needs: whether the exact root lies at or above root + 1/2 (the remainder exceeds
 * the root; it cannot be exactly half) and whether the root is exact.
 *
 * <p>The host's double square root of the radicand's high word gives the root to about 53 bits; a
 * Newton step on the exact residual brings it to the integer root but in rare cases, which the
 * remainder of the result shows. Those step from there until the squares agree. The common path
 * has no branch that goes either way by chance.
 */
final class SquareRoot {
    /** The largest double below 2^64. */
    private static final double BELOW_TWO_64 = 0x1.fffffffffffffp63;

    long root;
    boolean remainderAboveRoot, exact;

    void of(long radHi, long radLo) {
        // the root of the high word's top 53 bits: in [2^63, 2^64], an integer, within about 2^11
        double x = Math.sqrt((double) (radHi >>> 1) * 0x1p65);
        double halfInverse = 0.5 / x; // apart from the residual's chain, so the two overlap
        long r = (long) (Math.min(x, BELOW_TWO_64) - 0x1p63) ^ Long.MIN_VALUE;
        long sqLo = r * r, sqHi = Wide.multiplyHigh(r, r);
        long dLo = radLo - sqLo, dHi = radHi - sqHi - (Long.compareUnsigned(radLo, sqLo) < 0 ? 1 : 0);
        // a Newton step on the residual R - r^2 (|residual| < 2^77; its low 11 bits do not matter)
        r += (long) Math.floor((dHi * Wide.TWO_64 + (double) (dLo >>> 11) * 0x1p11) * halfInverse);
        // the root when r^2 <= R <= r^2 + 2r, r at least 2^63 (bit 63 set) as every root here
        sqLo = r * r;
        sqHi = Wide.multiplyHigh(r, r);
        long remLo = radLo - sqLo, remHi = radHi - sqHi - (Long.compareUnsigned(radLo, sqLo) < 0 ? 1 : 0);
        if (r < 0 && (remHi == 0 || (remHi == 1 && Long.compareUnsigned(remLo, r << 1) <= 0))) {
            set(r, remHi, remLo);
            return;
        }
        // Rarely a unit or two off (below 2^63 at worst when the root is 2^63): step until
        // r^2 <= R < (r + 1)^2. The step cannot pass 2^64 - 1: where x is clamped below 2^64 the
        // residual over 2x is under 2^11, and elsewhere the root is more than 2^11 below 2^64.
        while (squareAbove(r, radHi, radLo)) r--;
        while (r != -1L && !squareAbove(r + 1, radHi, radLo)) r++;
        sqLo = r * r;
        sqHi = Wide.multiplyHigh(r, r);
        set(r, radHi - sqHi - (Long.compareUnsigned(radLo, sqLo) < 0 ? 1 : 0), radLo - sqLo);
    }

    /** The outcome for root r and remainder R - r^2 (in [0, 2r]). */
    private void set(long r, long remHi, long remLo) {
        root = r;
        exact = remHi == 0 && remLo == 0;
        remainderAboveRoot = remHi != 0 || Long.compareUnsigned(remLo, r) > 0;
    }

    /** Whether r^2 > R, exactly. */
    private static boolean squareAbove(long r, long radHi, long radLo) {
        return Wide.compare(Wide.multiplyHigh(r, r), r * r, radHi, radLo) > 0;
    }
}
