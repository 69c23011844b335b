package org.kasou.pc.chips;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import org.junit.jupiter.api.Test;
import org.kasou.pc.Machine;

/** Configuration mechanism 1 as Linux's pci_check_type1 and bus scan use it. */
class PciBusTest {
    private final Machine m = new Machine(2 << 20, new ByteArrayOutputStream());

    private int config(int dev, int reg) {
        m.io.out(0xCF8, 4, 0x80000000 | dev << 11 | reg);
        return m.io.in(0xCFC, 4);
    }

    @Test
    void theAddressRegisterReadsBackAndBus0HasAHostAndAnIsaBridge() {
        m.io.out(0xCFB, 1, 0x01);
        m.io.out(0xCF8, 4, 0x80000000);
        assertEquals(0x80000000, m.io.in(0xCF8, 4), "type 1 detection");
        assertEquals(0x12378086, config(0, 0));
        assertEquals(0x060000, config(0, 8) >>> 8, "host bridge class");
        assertEquals(0x70008086, config(1, 0));
        assertEquals(0x060100, config(1, 8) >>> 8, "ISA bridge class");
        assertEquals(-1, config(2, 0), "nothing at 00:02.0");
        m.io.out(0xCF8, 4, 0x80000000 | 1 << 11 | 0x3C);
        m.io.out(0xCFC, 1, 0x0B);
        assertEquals(0x0B, config(1, 0x3C) & 0xFF, "the interrupt line is writable");
        m.io.out(0xCF8, 4, 0x80000000);
        m.io.out(0xCFC, 4, 0);
        assertEquals(0x12378086, config(0, 0), "the ids are read-only");
    }
}
