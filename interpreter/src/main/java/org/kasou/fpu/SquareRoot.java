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
        // r^2 <= R < (r + 1)^2, with r + 1 never past 2^64 - 1 since R < 2^128
        while (squareAbove(r, radHi, radLo)) r--;
        while (r != -1L && !squareAbove(r + 1, radHi, radLo)) r++;
        long sqHi = Wide.multiplyHigh(r, r), sqLo = r * r;
        long remLo = radLo - sqLo;
        long remHi = radHi - sqHi - (Long.compareUnsigned(radLo, sqLo) < 0 ? 1 : 0);
        root = r;
        exact = remHi == 0 && remLo == 0;
        remainderAboveRoot = remHi != 0 || Long.compareUnsigned(remLo, r) > 0;
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

    /** Whether r^2 > R, exactly. */
    private static boolean squareAbove(long r, long radHi, long radLo) {
        return Wide.compare(Wide.multiplyHigh(r, r), r * r, radHi, radLo) > 0;
    }
}
