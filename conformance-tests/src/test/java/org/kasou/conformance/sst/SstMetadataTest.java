package org.kasou.conformance.sst;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class SstMetadataTest {
    private final SstMetadata meta = SstMetadata.bundled();

    @Test
    void masksOnlyTheFlagsThe286LeavesUndefined() {
        assertEquals(0xFFFF, meta.flagsMask("00"), "ADD defines every flag");
        assertEquals(0xFFFF & ~0x10, meta.flagsMask("08"), "OR leaves AF undefined");
        assertEquals(0xFFFF & ~0x10, meta.flagsMask("80.1"), "group members have their own mask");
        assertEquals(0xFFFF, meta.flagsMask("80.0"));
        assertEquals(0xFFFF & ~(0x800 | 0x10 | 0x1), meta.flagsMask("D2.4"), "SHL by CL: OF, AF, CF");
        assertEquals("fpu", meta.entry("D8").status());
        assertEquals("alias", meta.entry("82.3").status());
        assertEquals(0xFFFF, meta.flagsMask("nonsense"));
    }
}
