package org.kasou.fpu;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.kasou.fpu.FpuAssert.assertValue;
import static org.kasou.fpu.FpuAssert.control;
import static org.kasou.fpu.FpuStatus.*;

import org.junit.jupiter.api.Test;

/** Hand-checked results: exact cases, rounding in each mode and precision, and the special rules. */
class ArithmeticTest {
    private static final int ONE = 0x3FFF, THREE = 0x4000;
    private static final long ONE_SIG = 0x8000_0000_0000_0000L, THREE_SIG = 0xC000_0000_0000_0000L;
    private static final int NEAREST_64 = 0x037F, CHOP_64 = 0x0F7F, UP_64 = 0x0B7F, NEAREST_24 = 0x007F;

    @Test
    void onePlusOneIsTwo() {
        FpuResult r = control(NEAREST_64);
        Arithmetic.add(r, ONE, ONE_SIG, ONE, ONE_SIG);
        assertValue(r, 0x4000, ONE_SIG, 0);
    }

    @Test
    void oneThirdRoundsByModeAndPrecision() {
        FpuResult r = control(NEAREST_64);
        Arithmetic.divide(r, ONE, ONE_SIG, THREE, THREE_SIG);
        assertValue(r, 0x3FFD, 0xAAAA_AAAA_AAAA_AAABL, PE | C1);
        r.control = CHOP_64;
        Arithmetic.divide(r, ONE, ONE_SIG, THREE, THREE_SIG);
        assertValue(r, 0x3FFD, 0xAAAA_AAAA_AAAA_AAAAL, PE);
        r.control = NEAREST_24;
        Arithmetic.divide(r, ONE, ONE_SIG, THREE, THREE_SIG);
        assertValue(r, 0x3FFD, 0xAAAA_AB00_0000_0000L, PE | C1);
        r.control = 0x027F; // 53 bits: ...AAAA AAAA A|AAA.. 53rd bit is 0 after a 1: rounds down
        Arithmetic.divide(r, ONE, ONE_SIG, THREE, THREE_SIG);
        assertValue(r, 0x3FFD, 0xAAAA_AAAA_AAAA_A800L, PE);
    }

    @Test
    void squareRootOfTwo() {
        // sqrt(2) = 1.6A09E667F3BCC908B2FB1366EA957D3E... = B504F333F9DE6484 597D89B3... in 64 bits
        FpuResult r = control(NEAREST_64);
        Arithmetic.squareRoot(r, 0x4000, ONE_SIG);
        assertValue(r, 0x3FFF, 0xB504_F333_F9DE_6484L, PE);
        r.control = UP_64;
        Arithmetic.squareRoot(r, 0x4000, ONE_SIG);
        assertValue(r, 0x3FFF, 0xB504_F333_F9DE_6485L, PE | C1);
        Arithmetic.squareRoot(r, 0x4001, ONE_SIG); // sqrt(4) = 2 exactly
        assertValue(r, 0x4000, ONE_SIG, 0);
    }

    @Test
    void invalidOperationsGiveTheIndefinite() {
        FpuResult r = control(NEAREST_64);
        Arithmetic.subtract(r, 0x7FFF, ONE_SIG, 0x7FFF, ONE_SIG);
        assertValue(r, 0xFFFF, 0xC000_0000_0000_0000L, IE);
        Arithmetic.multiply(r, 0, 0, 0xFFFF, ONE_SIG);
        assertValue(r, 0xFFFF, 0xC000_0000_0000_0000L, IE);
        Arithmetic.divide(r, 0x8000, 0, 0, 0);
        assertValue(r, 0xFFFF, 0xC000_0000_0000_0000L, IE);
        Arithmetic.squareRoot(r, 0xBFFF, ONE_SIG);
        assertValue(r, 0xFFFF, 0xC000_0000_0000_0000L, IE);
        // an unnormal and a pseudo-NaN are unsupported on a P6
        Arithmetic.add(r, 0x3FFF, 0x4000_0000_0000_0000L, ONE, ONE_SIG);
        assertValue(r, 0xFFFF, 0xC000_0000_0000_0000L, IE);
        Arithmetic.add(r, 0x7FFF, 0x4000_0000_0000_0000L, ONE, ONE_SIG);
        assertValue(r, 0xFFFF, 0xC000_0000_0000_0000L, IE);
        r.control = NEAREST_64 & ~IE;
        Arithmetic.subtract(r, 0x7FFF, ONE_SIG, 0x7FFF, ONE_SIG);
        assertFalse(r.written, "unmasked IE leaves the destination alone");
    }

    @Test
    void divisionByZeroGivesSignedInfinity() {
        FpuResult r = control(NEAREST_64);
        Arithmetic.divide(r, 0xBFFF, ONE_SIG, 0, 0);
        assertValue(r, 0xFFFF, ONE_SIG, ZE);
    }

    @Test
    void nanPropagation() {
        FpuResult r = control(NEAREST_64);
        // two QNaNs: the larger significand
        Arithmetic.add(r, 0x7FFF, 0xC000_0000_0000_0001L, 0xFFFF, 0xC000_0000_0000_0002L);
        assertValue(r, 0xFFFF, 0xC000_0000_0000_0002L, 0);
        // an SNaN and a QNaN: the QNaN, even with the smaller significand, and IE
        Arithmetic.multiply(r, 0x7FFF, 0xBFFF_FFFF_FFFF_FFFFL, 0xFFFF, 0xC000_0000_0000_0000L);
        assertValue(r, 0xFFFF, 0xC000_0000_0000_0000L, IE);
        // an SNaN and a number: the SNaN quieted
        Arithmetic.subtract(r, ONE, ONE_SIG, 0x7FFF, 0x8000_0000_0000_0001L);
        assertValue(r, 0x7FFF, 0xC000_0000_0000_0001L, IE);
    }

    @Test
    void overflowMaskedAndUnmasked() {
        FpuResult r = control(NEAREST_64);
        Arithmetic.add(r, 0x7FFE, -1L, 0x7FFE, -1L);
        assertValue(r, 0x7FFF, ONE_SIG, OE | PE | C1);
        r.control = CHOP_64;
        Arithmetic.add(r, 0x7FFE, -1L, 0x7FFE, -1L);
        assertValue(r, 0x7FFE, -1L, OE | PE);
        r.control = NEAREST_64 & ~OE; // SDM 8.5.4: the exponent is wrapped by 24576
        Arithmetic.add(r, 0x7FFE, -1L, 0x7FFE, -1L);
        assertValue(r, 0x7FFF - 0x6000, -1L, OE);
    }

    @Test
    void underflowMaskedAndUnmasked() {
        FpuResult r = control(NEAREST_64);
        Arithmetic.divide(r, 0x0001, ONE_SIG, 0x4000, ONE_SIG); // exact denormal: no UE when masked
        assertValue(r, 0x0000, 0x4000_0000_0000_0000L, 0);
        Arithmetic.divide(r, 0x0001, ONE_SIG | 1, 0x4000, ONE_SIG); // inexact denormal: UE and PE
        assertValue(r, 0x0000, 0x4000_0000_0000_0000L, UE | PE);
        r.control = NEAREST_64 & ~UE;
        Arithmetic.divide(r, 0x0001, ONE_SIG, 0x4000, ONE_SIG);
        assertValue(r, 0x6000, ONE_SIG, UE);
    }

    @Test
    void denormalOperands() {
        FpuResult r = control(NEAREST_64);
        Arithmetic.add(r, 0x0000, ONE_SIG, 0, 0); // a pseudo-denormal is accepted, as 2^-16382
        assertValue(r, 0x0001, ONE_SIG, DE);
        Arithmetic.multiply(r, 0x0000, 1, 0x7FFE, ONE_SIG);
        assertValue(r, 0x3FFF - 62, ONE_SIG, DE); // 2^-16445 * 2^16383
        r.control = NEAREST_64 & ~DE;
        Arithmetic.multiply(r, 0x0000, 1, 0x7FFE, ONE_SIG);
        assertFalse(r.written, "unmasked DE stops the operation");
    }

    @Test
    void exactZeroSums() {
        FpuResult r = control(NEAREST_64);
        Arithmetic.subtract(r, ONE, ONE_SIG, ONE, ONE_SIG);
        assertValue(r, 0, 0, 0);
        r.control = 0x077F; // round down: x - x = -0
        Arithmetic.subtract(r, ONE, ONE_SIG, ONE, ONE_SIG);
        assertValue(r, 0x8000, 0, 0);
    }
}
