package org.kasou.fpu;

/**
 * Integer square root of a 128-bit radicand, digit by digit. Besides the 64-bit root it reports
 * what rounding needs: whether the exact root lies at or above root + 1/2 (the remainder exceeds
 * the root; it cannot be exactly half) and whether the root is exact.
 */
final class SquareRoot {
    long root;
    boolean remainderAboveRoot, exact;

    void of(long radHi, long radLo) {
        long res = 0, remHi = 0, remLo = 0;
        for (int i = 63; i >= 0; i--) {
            int pos = 2 * i;
            long pair = pos >= 64 ? (radHi >>> (pos - 64)) & 3 : (radLo >>> pos) & 3;
            remHi = (remHi << 2) | (remLo >>> 62);
            remLo = (remLo << 2) | pair;
            long trialHi = res >>> 62, trialLo = (res << 2) | 1;
            if (Wide.compare(remHi, remLo, trialHi, trialLo) >= 0) {
                long lo = remLo - trialLo;
                remHi = remHi - trialHi - (Long.compareUnsigned(remLo, trialLo) < 0 ? 1 : 0);
                remLo = lo;
                res = (res << 1) | 1;
            } else {
                res <<= 1;
            }
        }
        root = res;
        exact = remHi == 0 && remLo == 0;
        remainderAboveRoot = remHi != 0 || Long.compareUnsigned(remLo, res) > 0;
    }
}
