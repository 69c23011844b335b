package org.kasou.fpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.kasou.fpu.FpuAssert.assertValue;
import static org.kasou.fpu.FpuAssert.control;
import static org.kasou.fpu.FpuStatus.*;

import org.junit.jupiter.api.Test;

/** FRNDINT, FSCALE, FXTRACT, FPREM/FPREM1, the compares and FXAM, the constants. */
class OtherOperationsTest {
    private static final long ONE = 0x8000_0000_0000_0000L;
    private static final int NEAREST = 0x037F, DOWN = 0x077F, UP = 0x0B7F;

    @Test
    void roundToIntegerByMode() {
        FpuResult r = control(NEAREST);
        IntegerRounding.roundToInteger(r, 0x4000, 0xA000_0000_0000_0000L); // 2.5 to even
        assertValue(r, 0x4000, ONE, PE);
        r.control = UP;
        IntegerRounding.roundToInteger(r, 0x4000, 0xA000_0000_0000_0000L);
        assertValue(r, 0x4000, 0xC000_0000_0000_0000L, PE | C1);
        r.control = UP;
        IntegerRounding.roundToInteger(r, 0xBFFE, ONE); // -0.5 up: -0
        assertValue(r, 0x8000, 0, PE);
    }

    @Test
    void scaleAndExtract() {
        FpuResult r = control(NEAREST);
        Scaling.scale(r, 0x3FFF, ONE, 0x4000, 0xC000_0000_0000_0000L); // 1 * 2^3
        assertValue(r, 0x4002, ONE, 0);
        Scaling.scale(r, 0x3FFF, ONE, 0xBFFF, 0xE000_0000_0000_0000L); // 1 * 2^trunc(-1.75)
        assertValue(r, 0x3FFE, ONE, 0);
        Scaling.extract(r, 0xC002, 0xC000_0000_0000_0000L); // -12 = -1.5 * 2^3
        assertValue(r, 0x4000, 0xC000_0000_0000_0000L, 0);
        assertEquals(Ext80.toString(0xBFFF, 0xC000_0000_0000_0000L), Ext80.toString(r.se2, r.sig2));
        Scaling.extract(r, 0x8000, 0); // -0: ZE, exponent -inf, significand -0
        assertValue(r, 0xFFFF, ONE, ZE);
        assertEquals(Ext80.toString(0x8000, 0), Ext80.toString(r.se2, r.sig2));
    }

    @Test
    void partialRemainderQuotientBits() {
        FpuResult r = control(NEAREST);
        Remainder.partial(r, 0x4002, 0xA000_0000_0000_0000L, 0x4000, 0xC000_0000_0000_0000L); // 10 rem 3
        assertValue(r, 0x3FFF, ONE, C3 | C1); // 1, quotient 3 = 011: C0=0 C3=1 C1=1
        Remainder.partial(r, 0x4002, 0xB000_0000_0000_0000L, 0x4000, 0xC000_0000_0000_0000L); // 11 rem 3
        assertValue(r, 0x4000, ONE, C3 | C1);
        Remainder.ieee(r, 0x4002, 0xB000_0000_0000_0000L, 0x4000, 0xC000_0000_0000_0000L); // 11 - 4*3
        assertValue(r, 0xBFFF, ONE, C0);
        Remainder.partial(r, 0x3FFF + 100, ONE, 0x4000, 0xC000_0000_0000_0000L); // 2^100 rem 3: not done
        assertEquals(C2, r.status & (C0 | C1 | C2 | C3) & C2);
        Remainder.partial(r, 0x7FFF, ONE, 0x3FFF, ONE);
        assertValue(r, 0xFFFF, 0xC000_0000_0000_0000L, IE);
    }

    @Test
    void comparesAndExamine() {
        FpuResult r = control(NEAREST);
        Comparison.compare(r, 0x3FFF, ONE, 0x4000, ONE, false);
        assertEquals(Comparison.LESS, r.status & (C0 | C2 | C3));
        Comparison.compare(r, 0x8000, 0, 0, 0, false);
        assertEquals(Comparison.EQUAL, r.status & (C0 | C2 | C3));
        Comparison.compare(r, 0x7FFF, 0xC000_0000_0000_0001L, 0, 0, false); // FCOM: a QNaN is invalid
        assertEquals(Comparison.UNORDERED | IE, r.status & (C0 | C2 | C3 | IE));
        Comparison.compare(r, 0x7FFF, 0xC000_0000_0000_0001L, 0, 0, true); // FUCOM: only an SNaN is
        assertEquals(Comparison.UNORDERED, r.status & (C0 | C2 | C3 | IE));
        Comparison.compare(r, 0x7FFF, 0x8000_0000_0000_0001L, 0, 0, true);
        assertEquals(Comparison.UNORDERED | IE, r.status & (C0 | C2 | C3 | IE));
        Comparison.test(r, 0x8000, 1); // a negative denormal is below zero, with DE
        assertEquals(Comparison.LESS | DE, r.status & (C0 | C2 | C3 | DE));
        int[][] classes = {{0x8000, 0, C3 | C1}, {0x0000, 1, C3 | C2}, {0x7FFF, 0, 0}, {0x7FFF, 1, C0},
            {0x3FFF, 0, 0}, {0xFFFF, -1, C0 | C1}};
        long[] sigs = {0, 1, 0, 0xC000_0000_0000_0000L, 0x4000_0000_0000_0000L, 0xC000_0000_0000_0000L};
        for (int i = 0; i < classes.length; i++) {
            Comparison.examine(r, classes[i][0], sigs[i], false);
            assertEquals(classes[i][2], r.status, "FXAM of " + Ext80.toString(classes[i][0], sigs[i]));
        }
        Comparison.examine(r, 0x7FFF, ONE, false);
        assertEquals(C2 | C0, r.status);
        Comparison.examine(r, 0, 0, true);
        assertEquals(C3 | C0, r.status);
    }

    @Test
    void constantsRoundByMode() {
        FpuResult r = control(NEAREST);
        Constants.load(r, Constants.Value.PI);
        assertValue(r, 0x4000, 0xC90F_DAA2_2168_C235L, 0);
        r.control = DOWN;
        Constants.load(r, Constants.Value.PI);
        assertValue(r, 0x4000, 0xC90F_DAA2_2168_C234L, 0);
        r.control = NEAREST;
        Constants.load(r, Constants.Value.LOG2_TEN);
        assertValue(r, 0x4000, 0xD49A_784B_CD1B_8AFEL, 0);
        r.control = UP;
        Constants.load(r, Constants.Value.LOG2_TEN);
        assertValue(r, 0x4000, 0xD49A_784B_CD1B_8AFFL, 0);
    }
}
