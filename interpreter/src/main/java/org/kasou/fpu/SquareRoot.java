package org.kasou.fpu;

/**
 * Integer square root of a 128-bit radicand in [2^126, 2^128). Besides the 64-bit root it reports
 * what rounding needs: whether the exact root lies at or above root + 1/2 (the remainder exceeds
 * the root; it cannot be exactly half) and whether the root is exact.
 *
 * <p>The host's double square root gives the root to about 53 bits; one correction step with the
 * exact residual brings it within one of the integer root, and exact comparisons of squares settle
 * the last unit. About ten times faster than taking the root digit by digit.
 */
final class SquareRoot {
    long root;
    boolean remainderAboveRoot, exact;

    void of(long radHi, long radLo) {
        long r = approximate(radHi, radLo);
        // r^2 <= R < (r + 1)^2, with r + 1 never past 2^64 - 1 since R < 2^128. The approximation is
        // within one: one step each way without a branch (which way is as good as random), then
        // loops that only a worse approximation would enter.
        r -= above(r, radHi, radLo);
        r += notAllOnes(r) & (1 - above(r + 1, radHi, radLo));
        while (above(r, radHi, radLo) != 0) r--;
        while (r != -1L && above(r + 1, radHi, radLo) == 0) r++;
        long sqHi = Wide.multiplyHigh(r, r), sqLo = r * r;
        long remLo = radLo - sqLo;
        long remHi = radHi - sqHi - below(radLo, sqLo);
        root = r;
        exact = (remHi | remLo) == 0;
        remainderAboveRoot = (remHi | below(r, remLo)) != 0;
    }

    /** 1 when a < b as unsigned numbers, else 0, without a branch. */
    private static long below(long a, long b) {
        return ((~a & b) | (~(a ^ b) & (a - b))) >>> 63;
    }

    /** 1 when r is not 2^64 - 1, else 0. */
    private static long notAllOnes(long r) {
        long x = ~r;
        return (x | -x) >>> 63;
    }

    /** 1 when r^2 > R exactly, else 0: whether R - r^2 borrows. */
    private static long above(long r, long radHi, long radLo) {
        long sqHi = Wide.multiplyHigh(r, r), sqLo = r * r;
        long borrow = below(radLo, sqLo);
        // sqHi + borrow cannot wrap: sqHi is at most 2^64 - 2
        return below(radHi, sqHi + borrow);
    }

    /** The root within one or two units: the double root, then a Newton step on the exact residual. */
    private static long approximate(long radHi, long radLo) {
        double x = Math.sqrt(Wide.unsignedToDouble(radHi) * Wide.TWO_64 + Wide.unsignedToDouble(radLo));
        long r = x >= Wide.TWO_64 ? -1L : Wide.doubleToUnsigned(x);
        long sqHi = Wide.multiplyHigh(r, r), sqLo = r * r;
        long dLo = radLo - sqLo;
        long dHi = radHi - sqHi - (Long.compareUnsigned(radLo, sqLo) < 0 ? 1 : 0);
        double residual = dHi * Wide.TWO_64 + Wide.unsignedToDouble(dLo); // signed, |residual| < 2^77
        long step = (long) Math.floor(residual / (2 * Wide.unsignedToDouble(r)));
        long next = r + step;
        // a step that would wrap past either end of the range keeps the approximation
        if (step > 0 && Long.compareUnsigned(next, r) < 0) return -1L;
        if (step < 0 && Long.compareUnsigned(next, r) > 0) return r;
        return next;
    }
}
