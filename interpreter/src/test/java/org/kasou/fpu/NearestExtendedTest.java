package org.kasou.fpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The common-case FADD/FSUB/FMUL path and the branch-free rounding shared with FDIV, FSQRT and
 * FST m64: against an exact BigInteger model of rounding to nearest even, and against the general
 * path in every rounding mode and precision (where the common path must decline).
 */
class NearestExtendedTest {
    private static final int NEAREST_64 = 0x037F;
    private static final int[] CONTROLS = {0x037F, 0x077F, 0x0B7F, 0x0F7F, 0x027F, 0x067F, 0x007F, 0x0C7F};
    private static final BigInteger TWO_64 = BigInteger.ONE.shiftLeft(64);

    /** Random operands: exponents near 1.0 or near either end of the range, significands random, double-like or all ones. */
    private static int se(Random rnd) {
        int exp = switch (rnd.nextInt(8)) {
            case 0 -> 1 + rnd.nextInt(40);
            case 1 -> 0x7FFE - rnd.nextInt(40);
            case 2 -> 0x3FFF + rnd.nextInt(200) - 100;
            default -> 0x3FFF + rnd.nextInt(16) - 8;
        };
        return (rnd.nextBoolean() ? Ext80.SIGN : 0) | exp;
    }

    private static long sig(Random rnd) {
        return switch (rnd.nextInt(6)) {
            case 0 -> -1L;
            case 1 -> Ext80.INTEGER_BIT | (rnd.nextLong() & 0x7FFL); // few bits: exact results
            case 2 -> (rnd.nextLong() | Ext80.INTEGER_BIT) & ~0x7FFL; // a double's significand
            default -> rnd.nextLong() | Ext80.INTEGER_BIT;
        };
    }

    @Test
    void productsAndSumsAreRoundedToNearestEvenExactly() {
        Random rnd = new Random(7);
        FpuResult r = FpuAssert.control(NEAREST_64);
        int taken = 0;
        for (int i = 0; i < 200_000; i++) {
            int aSe = se(rnd), bSe = se(rnd);
            long aSig = sig(rnd), bSig = sig(rnd);
            if (NearestExtended.multiply(r, aSe, aSig, bSe, bSig)) {
                taken++;
                BigInteger p = unsigned(aSig).multiply(unsigned(bSig)); // value p * 2^(ea + eb - 2 BIAS - 126)
                expect(r, (aSe ^ bSe) & Ext80.SIGN, p, (aSe & Ext80.EXP_MAX) + (bSe & Ext80.EXP_MAX) - Ext80.BIAS - 127 + p.bitLength());
            }
            if (NearestExtended.add(r, aSe, aSig, bSe, bSig)) {
                taken++;
                expectSum(r, aSe, aSig, bSe, bSig);
            }
        }
        assertTrue(taken > 150_000, "the common path applied to " + taken + " of 400,000 cases");
    }

    @Test
    void agreesWithTheGeneralPathInEveryModeAndPrecision() {
        Random rnd = new Random(11);
        FpuResult fast = new FpuResult(), general = new FpuResult();
        for (int i = 0; i < 100_000; i++) {
            int aSe = se(rnd), bSe = se(rnd);
            long aSig = sig(rnd), bSig = sig(rnd);
            if (rnd.nextInt(20) == 0) aSe &= Ext80.SIGN; // zeros, denormals and pseudo-denormals: the general path's
            if (rnd.nextInt(20) == 0) bSe |= Ext80.EXP_MAX; // infinities and NaNs
            if (rnd.nextInt(20) == 0) aSig &= ~Ext80.INTEGER_BIT; // unnormals
            if (rnd.nextInt(20) == 0) bSe |= MemoryOperands.DENORMAL_SOURCE;
            int cw = CONTROLS[rnd.nextInt(CONTROLS.length)];
            fast.control = cw;
            general.control = cw;
            Arithmetic.multiply(fast, aSe, aSig, bSe, bSig);
            Arithmetic.multiplyGeneral(general, aSe, aSig, bSe, bSig);
            assertSame(general, fast, "multiply", cw, aSe, aSig, bSe, bSig);
            Arithmetic.add(fast, aSe, aSig, bSe, bSig);
            Arithmetic.addOrSubtract(general, aSe, aSig, bSe, bSig, false);
            assertSame(general, fast, "add", cw, aSe, aSig, bSe, bSig);
            Arithmetic.subtract(fast, aSe, aSig, bSe, bSig);
            Arithmetic.addOrSubtract(general, aSe, aSig, bSe, bSig, true);
            assertSame(general, fast, "subtract", cw, aSe, aSig, bSe, bSig);
        }
    }

    @Test
    void declinesOtherModesAndSpecialOperands() {
        FpuResult r = FpuAssert.control(0x0F7F); // toward zero
        assertFalse(NearestExtended.multiply(r, 0x3FFF, Ext80.INTEGER_BIT, 0x3FFF, Ext80.INTEGER_BIT));
        r.control = 0x027F; // 53 bits
        assertFalse(NearestExtended.add(r, 0x3FFF, Ext80.INTEGER_BIT, 0x3FFF, Ext80.INTEGER_BIT));
        r.control = NEAREST_64;
        assertFalse(NearestExtended.multiply(r, 0x7FFF, Ext80.INTEGER_BIT, 0x3FFF, Ext80.INTEGER_BIT)); // infinity
        assertFalse(NearestExtended.add(r, 0, 0, 0x3FFF, Ext80.INTEGER_BIT)); // zero
        assertFalse(NearestExtended.add(r, 0x3FFF, Ext80.INTEGER_BIT, 0xBFFF, Ext80.INTEGER_BIT)); // exact cancellation
        assertFalse(NearestExtended.multiply(r, 0x7FF0, Ext80.INTEGER_BIT, 0x4010, Ext80.INTEGER_BIT)); // overflows
        assertTrue(NearestExtended.multiply(r, 0x3FFF, Ext80.INTEGER_BIT, 0x4000, -1L));
        FpuAssert.assertValue(r, 0x4000, -1L, 0);
    }

    @Test
    void roundsTiesToEvenAndCarriesIntoTheExponent() {
        FpuResult r = FpuAssert.control(NEAREST_64);
        long oneAndAHalf = 0xC000_0000_0000_0000L; // 1.5: as b at exponent 0x3FC0, one and a half units of 1.0's last place
        // 1.0 + 1.5 ulp: a tie above 1 + 1 ulp (odd): rounds up to 1 + 2 ulp
        assertTrue(NearestExtended.add(r, 0x3FFF, Ext80.INTEGER_BIT, 0x3FC0, oneAndAHalf));
        FpuAssert.assertValue(r, 0x3FFF, Ext80.INTEGER_BIT | 2, FpuStatus.PE | FpuStatus.C1);
        // (1 + 1 ulp) + 1.5 ulp: a tie above 1 + 2 ulp (even): stays
        assertTrue(NearestExtended.add(r, 0x3FFF, Ext80.INTEGER_BIT | 1, 0x3FC0, oneAndAHalf));
        FpuAssert.assertValue(r, 0x3FFF, Ext80.INTEGER_BIT | 2, FpuStatus.PE);
        // (2 - 1 ulp) + 1 ulp carries out of the significand: 2.0 exactly
        assertTrue(NearestExtended.add(r, 0x3FFF, -1L, 0x3FC0, Ext80.INTEGER_BIT));
        FpuAssert.assertValue(r, 0x4000, Ext80.INTEGER_BIT, 0);
        // (1 + 5 ulp) + (-1) cancels all but three bits: 5 * 2^-63 = 1.25 * 2^-61, exactly
        assertTrue(NearestExtended.add(r, 0x3FFF, Ext80.INTEGER_BIT | 5, 0xBFFF, Ext80.INTEGER_BIT));
        FpuAssert.assertValue(r, 0x3FC2, 0xA000_0000_0000_0000L, 0);
        // 3 * 5 = 15 exactly
        assertTrue(NearestExtended.multiply(r, 0x4000, 0xC000_0000_0000_0000L, 0x4001, 0xA000_0000_0000_0000L));
        FpuAssert.assertValue(r, 0x4002, 0xF000_0000_0000_0000L, 0);
    }

    @Test
    void quotientsRootsAndDoubleStoresMatchExactModels() {
        Random rnd = new Random(3);
        FpuResult r = FpuAssert.control(NEAREST_64);
        for (int i = 0; i < 50_000; i++) {
            int aSe = rnd.nextInt(64) + 0x3FE0, bSe = rnd.nextInt(64) + 0x3FE0;
            long aSig = sig(rnd), bSig = sig(rnd);
            Arithmetic.divide(r, aSe, aSig, bSe, bSig);
            // a / b = (aSig * 2^128 / bSig) * 2^(ea - eb - 128): the quotient's bits, then the remainder as a sticky bit
            BigInteger[] qr = unsigned(aSig).shiftLeft(128).divideAndRemainder(unsigned(bSig));
            BigInteger q = qr[0].shiftLeft(1).or(qr[1].signum() == 0 ? BigInteger.ZERO : BigInteger.ONE);
            expect(r, 0, q, aSe - bSe + Ext80.BIAS - 130 + q.bitLength());

            Arithmetic.squareRoot(r, aSe, aSig);
            BigInteger radicand = unsigned(aSig).shiftLeft(((aSe - Ext80.BIAS - 63) & 1) == 0 ? 128 : 129);
            BigInteger root = radicand.sqrt();
            BigInteger rootBits = root.shiftLeft(1).or(root.multiply(root).equals(radicand) ? BigInteger.ZERO : BigInteger.ONE);
            int rootExp = Math.floorDiv(aSe - Ext80.BIAS - 63 - (((aSe - Ext80.BIAS - 63) & 1) == 0 ? 128 : 129), 2) + Ext80.BIAS;
            expect(r, 0, rootBits, rootExp - 2 + rootBits.bitLength());

            int se = (rnd.nextBoolean() ? Ext80.SIGN : 0) | (0x3FFF + rnd.nextInt(2000) - 1000);
            long sig = sig(rnd);
            Stores.float64(r, se, sig);
            double expected = Math.scalb((double) ((sig >>> 1) | (sig & 1)) * 2, (se & Ext80.EXP_MAX) - Ext80.BIAS - 63);
            expected = (se & Ext80.SIGN) != 0 ? -expected : expected;
            assertEquals(Double.doubleToRawLongBits(expected), r.memory, Ext80.toString(se, sig));
            boolean exact = (sig & 0x7FF) == 0;
            boolean up = Math.abs(expected) > Math.scalb((double) (sig >>> 11), (se & Ext80.EXP_MAX) - Ext80.BIAS - 52);
            assertEquals(exact ? 0 : up ? FpuStatus.PE | FpuStatus.C1 : FpuStatus.PE, r.status, Ext80.toString(se, sig));
        }
    }

    /** a + b by the model: both as integers scaled to the smaller exponent. */
    private static void expectSum(FpuResult r, int aSe, long aSig, int bSe, long bSig) {
        int ea = aSe & Ext80.EXP_MAX, eb = bSe & Ext80.EXP_MAX, low = Math.min(ea, eb);
        BigInteger a = unsigned(aSig).shiftLeft(ea - low), b = unsigned(bSig).shiftLeft(eb - low);
        if ((aSe & Ext80.SIGN) != 0) a = a.negate();
        if ((bSe & Ext80.SIGN) != 0) b = b.negate();
        BigInteger sum = a.add(b); // value sum * 2^(low - BIAS - 63)
        expect(r, sum.signum() < 0 ? Ext80.SIGN : 0, sum.abs(), low - 63 - 1 + sum.abs().bitLength());
    }

    /**
     * The exact nonzero magnitude m (its top bit of weight 2^(exp - BIAS)), rounded to 64 bits to
     * nearest even, must be what r holds, with PE when inexact and C1 when rounded up.
     */
    private static void expect(FpuResult r, int sign, BigInteger m, int exp) {
        int drop = m.bitLength() - 64;
        BigInteger kept = drop > 0 ? m.shiftRight(drop) : m.shiftLeft(-drop);
        boolean inexact = false, up = false;
        if (drop > 0) {
            BigInteger rest = m.subtract(kept.shiftLeft(drop)), half = BigInteger.ONE.shiftLeft(drop - 1);
            inexact = rest.signum() != 0;
            int c = rest.compareTo(half);
            up = c > 0 || (c == 0 && kept.testBit(0));
        }
        if (up) kept = kept.add(BigInteger.ONE);
        if (kept.equals(TWO_64)) {
            kept = BigInteger.ONE.shiftLeft(63);
            exp++;
        }
        FpuAssert.assertValue(r, sign | exp, kept.longValue(), inexact ? (up ? FpuStatus.PE | FpuStatus.C1 : FpuStatus.PE) : 0);
    }

    private static void assertSame(FpuResult expected, FpuResult actual, String op, int cw, int aSe, long aSig, int bSe, long bSig) {
        String what = op + " cw " + Integer.toHexString(cw) + " " + Ext80.toString(aSe & 0xFFFF, aSig) + ", "
                + Ext80.toString(bSe & 0xFFFF, bSig);
        assertEquals(expected.written, actual.written, what);
        assertEquals(expected.codes, actual.codes, what);
        assertEquals(expected.status, actual.status, what);
        if (expected.written) {
            assertEquals(Ext80.toString(expected.se, expected.sig), Ext80.toString(actual.se, actual.sig), what);
        }
    }

    private static BigInteger unsigned(long v) {
        BigInteger b = BigInteger.valueOf(v);
        return v < 0 ? b.add(TWO_64) : b;
    }
}
