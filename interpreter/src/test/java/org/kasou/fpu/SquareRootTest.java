package org.kasou.fpu;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.math.BigInteger;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The 128-bit integer square root against BigInteger's, on random radicands and on the edges. */
class SquareRootTest {
    private static final BigInteger TWO_64 = BigInteger.ONE.shiftLeft(64);

    @Test
    void matchesBigIntegerOnRandomRadicands() {
        SplittableRandom random = new SplittableRandom(17);
        for (int i = 0; i < 200_000; i++) {
            long hi = random.nextLong() | (1L << 62); // [2^126, 2^128)
            if (random.nextBoolean()) hi |= Long.MIN_VALUE;
            check(hi, random.nextLong());
        }
    }

    @Test
    void matchesBigIntegerAtSquaresAndTheirNeighbours() {
        SplittableRandom random = new SplittableRandom(29);
        for (int i = 0; i < 50_000; i++) {
            BigInteger root = new BigInteger(64, new java.util.Random(random.nextLong())).setBit(63);
            BigInteger square = root.multiply(root);
            for (int delta = -2; delta <= 2; delta++) {
                BigInteger[] around = {square.add(BigInteger.valueOf(delta)),
                        square.add(root).add(BigInteger.valueOf(delta))}; // near root + 1/2
                for (BigInteger rad : around) {
                    if (rad.bitLength() == 127 || rad.bitLength() == 128) check(rad.shiftRight(64).longValue(), rad.longValue());
                }
            }
        }
        check(1L << 62, 0);
        check(-1L, -1L);
        check(-1L, -2L);
        check((1L << 62) | 1, 0);
        check(0xFFFF_FFFF_FFFF_FFFEL, 1); // (2^64 - 1)^2
        check(0xFFFF_FFFF_FFFF_FFFEL, 0);
    }

    private static void check(long hi, long lo) {
        BigInteger rad = new BigInteger(Long.toUnsignedString(hi)).multiply(TWO_64).add(new BigInteger(Long.toUnsignedString(lo)));
        BigInteger[] rootAndRemainder = rad.sqrtAndRemainder();
        SquareRoot s = new SquareRoot();
        s.of(hi, lo);
        String what = "radicand " + rad.toString(16);
        assertEquals(rootAndRemainder[0].longValue(), s.root, what);
        assertEquals(rootAndRemainder[1].signum() == 0, s.exact, what);
        assertEquals(rootAndRemainder[1].compareTo(rootAndRemainder[0]) > 0, s.remainderAboveRoot, what);
    }
}
