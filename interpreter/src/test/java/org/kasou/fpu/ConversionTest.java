package org.kasou.fpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.kasou.fpu.FpuAssert.assertValue;
import static org.kasou.fpu.FpuAssert.control;
import static org.kasou.fpu.FpuStatus.*;

import org.junit.jupiter.api.Test;

/** Loads and stores of floats, integers and packed BCD. */
class ConversionTest {
    private static final long ONE = 0x8000_0000_0000_0000L;
    private static final int NEAREST = 0x037F, DOWN = 0x077F;

    @Test
    void floatLoads() {
        FpuResult r = control(NEAREST);
        Loads.float32(r, 0x3F80_0000);
        assertValue(r, 0x3FFF, ONE, 0);
        Loads.float32(r, 0x0000_0001); // 2^-149, DE
        assertValue(r, 0x3FFF - 149, ONE, DE);
        Loads.float32(r, 0xFF80_0001); // SNaN: quieted, IE
        assertValue(r, 0xFFFF, 0xC000_0100_0000_0000L, IE);
        Loads.float64(r, 0x000F_FFFF_FFFF_FFFFL); // largest double denormal
        assertValue(r, 0x3FFF - 1023, 0xFFFF_FFFF_FFFF_F000L, DE);
        r.control = NEAREST & ~IE;
        Loads.float32(r, 0x7F80_0001);
        assertFalse(r.written);
    }

    @Test
    void floatStores() {
        FpuResult r = control(NEAREST);
        Stores.float32(r, 0x3FFD, 0xAAAA_AAAA_AAAA_AAABL); // 1/3
        assertEquals(0x3EAA_AAABL, r.memory);
        assertEquals(PE | C1, r.status);
        Stores.float64(r, 0x3FFF, ONE);
        assertEquals(0x3FF0_0000_0000_0000L, r.memory);
        Stores.float32(r, 0x3FFF + 128, ONE); // 2^128 overflows float: infinity when masked
        assertEquals(0x7F80_0000L, r.memory);
        assertEquals(OE | PE | C1, r.status);
        Stores.float32(r, 0x3FFF - 149, ONE); // 2^-149: the smallest denormal, exact
        assertEquals(1L, r.memory);
        assertEquals(0, r.status);
        Stores.float32(r, 0x3FFF, 0x4000_0000_0000_0000L); // an unnormal: invalid, indefinite
        assertEquals(0xFFC0_0000L, r.memory);
        r.control = NEAREST & ~OE;
        Stores.float32(r, 0x3FFF + 128, ONE);
        assertFalse(r.written, "unmasked OE stores nothing");
    }

    @Test
    void integerStores() {
        FpuResult r = control(NEAREST);
        Stores.integer(r, 0x4000, 0xA000_0000_0000_0000L, 16); // 2.5 to even
        assertEquals(2L, r.memory);
        assertEquals(PE, r.status);
        r.control = DOWN;
        Stores.integer(r, 0xC000, 0xA000_0000_0000_0000L, 32); // -2.5 down
        assertEquals(0xFFFF_FFFDL, r.memory);
        assertEquals(PE | C1, r.status);
        Stores.integer(r, 0x400E, ONE, 16); // 32768: out of range
        assertEquals(0x8000L, r.memory);
        assertEquals(IE, r.status);
        Stores.integer(r, 0xC00E, ONE, 16); // -32768 fits
        assertEquals(0x8000L, r.memory);
        assertEquals(0, r.status);
        Stores.integer(r, 0x403E, ONE, 64); // 2^63: out of range
        assertEquals(ONE, r.memory);
        assertEquals(IE, r.status);
    }

    @Test
    void integerAndBcdLoads() {
        FpuResult r = control(NEAREST);
        Loads.integer(r, -1);
        assertValue(r, 0xBFFF, ONE, 0);
        Loads.integer(r, Long.MIN_VALUE);
        assertValue(r, 0xC03E, ONE, 0);
        Loads.packedBcd(r, 0x12345L, 0x8000); // -12345
        assertValue(r, 0xC00C, 0xC0E4_0000_0000_0000L, 0);
        Loads.packedBcd(r, 0, 0x8000); // -0
        assertValue(r, 0x8000, 0, 0);
    }

    @Test
    void bcdStores() {
        FpuResult r = control(NEAREST);
        Stores.packedBcd(r, 0xC00C, 0xC0E4_0000_0000_0000L);
        assertEquals(0x12345L, r.memory);
        assertEquals(0x8000, r.memoryHigh);
        Stores.packedBcd(r, 0x403A, 0xDE0B_6B3A_7640_0000L); // 10^18 does not fit
        assertEquals(Stores.BCD_INDEFINITE_LOW, r.memory);
        assertEquals(Stores.BCD_INDEFINITE_HIGH, r.memoryHigh);
        assertEquals(IE, r.status);
        Stores.packedBcd(r, 0x403A, 0xDE0B_6B3A_763F_FFF0L); // 999999999999999999
        assertEquals(0x9999_9999_9999_9999L, r.memory);
        assertEquals(0x99, r.memoryHigh);
    }
}
