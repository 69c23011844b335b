package org.kasou.fpu;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.math.BigInteger;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The 128-by-64-bit division (normalized divisors) against BigInteger's, on random operands and near the ends. */
class DivisionTest {
    @Test
    void matchesBigIntegerOnNormalizedDivisors() {
        SplittableRandom random = new SplittableRandom(5);
        for (int i = 0; i < 300_000; i++) {
            long divisor = random.nextLong() | Long.MIN_VALUE;
            long high = random.nextLong();
            while (Long.compareUnsigned(high, divisor) >= 0) high >>>= 1;
            check(high, random.nextLong(), divisor);
        }
    }

    @Test
    void matchesBigIntegerAtTheEnds() {
        long[] divisors = {Long.MIN_VALUE, -1L, Long.MIN_VALUE + 1, -2L, 0x8000_0000_FFFF_FFFFL, 0xFFFF_FFFF_0000_0000L};
        for (long divisor : divisors) {
            for (long high : new long[] {0, 1, divisor - 1, divisor - 2, divisor >>> 1}) {
                if (Long.compareUnsigned(high, divisor) >= 0) continue;
                for (long low : new long[] {0, -1L, 1, Long.MIN_VALUE, -divisor, divisor}) check(high, low, divisor);
            }
        }
    }

    private static void check(long high, long low, long divisor) {
        BigInteger n = unsigned(high).shiftLeft(64).add(unsigned(low));
        BigInteger[] qr = n.divideAndRemainder(unsigned(divisor));
        Division d = new Division();
        d.divide(high, low, divisor);
        String what = n.toString(16) + " / " + Long.toUnsignedString(divisor, 16);
        assertEquals(qr[0].longValue(), d.quotient, what);
        assertEquals(qr[1].longValue(), d.remainder, what);
    }

    private static BigInteger unsigned(long v) {
        return new BigInteger(Long.toUnsignedString(v));
    }
}
