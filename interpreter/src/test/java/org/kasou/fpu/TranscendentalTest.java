package org.kasou.fpu;

import static org.kasou.fpu.FpuAssert.assertValue;
import static org.kasou.fpu.FpuAssert.control;
import static org.kasou.fpu.FpuStatus.*;

import org.junit.jupiter.api.Test;

/** FSIN ... FYL2XP1 against results read from the host CPU (an AMD EPYC), specials included. */
class TranscendentalTest {
    private static final int NEAREST = 0x037F, UP = 0x0B7F, CHOP = 0x0F7F;
    private static final long ONE = 0x8000_0000_0000_0000L;

    @Test
    void cosineOfOneIsCorrectlyRounded() {
        FpuResult r = control(NEAREST);
        Transcendental.cosine(r, 0x3FFF, ONE);
        assertValue(r, 0x3FFE, 0x8A51_407D_A834_5C92L, PE | C1);
    }

    @Test
    void reductionUsesThe66BitPi() {
        // the 64-bit pi rounded up, less the hardware's 66-bit pi, is exactly 2^-64
        FpuResult r = control(NEAREST);
        Transcendental.sine(r, 0x4000, 0xC90F_DAA2_2168_C235L);
        assertValue(r, 0xBFBF, ONE, PE | C1);
    }

    @Test
    void operandsOf2To63AndAboveAreLeftWithC2() {
        FpuResult r = control(NEAREST);
        Transcendental.sine(r, 0x403E, ONE | 1);
        assertValue(r, 0x403E, ONE | 1, C2);
    }

    @Test
    void tinyOperandsRoundByTheDroppedTerm() {
        FpuResult r = control(CHOP); // sin(x) = x - x^3/6 lies below x: chopped to x less one ulp
        Transcendental.sine(r, 0x0001, ONE | 1);
        assertValue(r, 0x0001, ONE, PE);
        r.control = CHOP; // cos(x) = 1 - x^2/2
        Transcendental.cosine(r, 0x3F00, ONE | 1);
        assertValue(r, 0x3FFE, -1L, PE);
        r.control = UP;
        Transcendental.cosine(r, 0x3F00, ONE | 1);
        assertValue(r, 0x3FFF, ONE, PE | C1);
    }

    @Test
    void tangentPushesOne() {
        FpuResult r = control(NEAREST);
        Transcendental.tangent(r, 0x3FFF, ONE);
        // tan(1) = C75922E5F71D2DC5.66 (hex): the host returns ...2DC6 with C1, 0.6 ulp away
        assertValue(r, 0x3FFF, 0xC759_22E5_F71D_2DC5L, PE);
        org.junit.jupiter.api.Assertions.assertEquals(Ext80.toString(0x3FFF, ONE), Ext80.toString(r.se2, r.sig2));
    }

    @Test
    void sineCosineTakesC1FromTheSine() {
        FpuResult r = control(NEAREST);
        Transcendental.sineCosine(r, 0x3F00, ONE | 1); // sin rounds up to x, cos up to 1
        assertValue(r, 0x3F00, ONE | 1, PE | C1);
        org.junit.jupiter.api.Assertions.assertEquals(Ext80.toString(0x3FFF, ONE), Ext80.toString(r.se2, r.sig2));
    }

    @Test
    void arctangentQuadrantsAndSpecials() {
        FpuResult r = control(NEAREST);
        Transcendental.arctangent(r, 0x3FFF, ONE, 0x3FFF, ONE); // atan(1/1) = pi/4
        assertValue(r, 0x3FFE, 0xC90F_DAA2_2168_C235L, PE | C1);
        Transcendental.arctangent(r, 0x0000, 0, 0x8000, 0); // (+0, -0): pi
        assertValue(r, 0x4000, 0xC90F_DAA2_2168_C235L, PE | C1);
        Transcendental.arctangent(r, 0x0001, ONE, 0x7FFF, ONE); // y / +inf: +0, exact
        assertValue(r, 0, 0, 0);
        Transcendental.arctangent(r, 0x7FFF, ONE, 0xFFFF, ONE); // (+inf, -inf): 3 pi/4
        assertValue(r, 0x4000, 0x96CB_E3F9_990E_91A8L, PE | C1);
    }

    @Test
    void power2Minus1InAndOutOfRange() {
        FpuResult r = control(NEAREST);
        Transcendental.power2Minus1(r, 0x3FFE, ONE); // 2^0.5 - 1
        assertValue(r, 0x3FFD, 0xD413_CCCF_E779_9211L, PE);
        Transcendental.power2Minus1(r, 0x3FFF, 0xC000_0000_0000_0000L); // 1.5: out of range, returned
        assertValue(r, 0x3FFF, 0xC000_0000_0000_0000L, PE);
        Transcendental.power2Minus1(r, 0xBFFF, ONE); // -1: -1/2, reported inexact
        assertValue(r, 0xBFFE, ONE, PE);
        Transcendental.power2Minus1(r, 0xFFFF, ONE); // -inf: -1
        assertValue(r, 0xBFFF, ONE, 0);
    }

    @Test
    void logarithms() {
        FpuResult r = control(NEAREST);
        Transcendental.log2Times(r, 0x3FFF, 0xC000_0000_0000_0000L, 0x4002, ONE); // 1.5 * log2(8): exact, PE all the same
        assertValue(r, 0x4001, 0x9000_0000_0000_0000L, PE);
        Transcendental.log2Times(r, 0x3FFF, ONE, 0x3FFF, ONE); // log2(1) = +0, exact and no PE
        assertValue(r, 0, 0, 0);
        Transcendental.log2Times(r, 0x3FFF, ONE, 0, 0); // log2(0): zero-divide, -inf
        assertValue(r, 0xFFFF, ONE, ZE);
        Transcendental.log2Times(r, 0x3FFF, ONE, 0xBFFF, ONE); // log2(-1): invalid
        assertValue(r, Ext80.INDEFINITE_SE, Ext80.INDEFINITE_SIG, IE);
        Transcendental.log2PlusOneTimes(r, 0x4000, ONE, 0xBFFE, 0xC000_0000_0000_0000L); // 2 log2(1/4)
        assertValue(r, 0xC001, ONE, PE);
        // log2(1.375) = EB3A9F01975077F1.F6 (hex), rounded up; the host gives the same bits with C1 clear
        Transcendental.log2PlusOneTimes(r, 0x3FFF, ONE, 0x3FFD, 0xC000_0000_0000_0000L);
        assertValue(r, 0x3FFD, 0xEB3A_9F01_9750_77F2L, PE | C1);
        Transcendental.log2PlusOneTimes(r, 0x8000, Long.MAX_VALUE, 0x3FFF, ONE); // a denormal times log2(2): exact, yet UE and PE (as on the host)
        assertValue(r, 0x8000, Long.MAX_VALUE, DE | UE | PE);
        Transcendental.log2PlusOneTimes(r, 0x4000, ONE, 0xC000, 0xC000_0000_0000_0000L); // x = -3: returned
        assertValue(r, 0xC000, 0xC000_0000_0000_0000L, PE);
    }
}
