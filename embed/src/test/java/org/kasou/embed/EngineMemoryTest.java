package org.kasou.embed;

import static org.junit.jupiter.api.Assertions.*;

import java.util.List;
import org.junit.jupiter.api.Test;

class EngineMemoryTest {
    @Test
    void mapsListsProtectsAndUnmapsPageGranularRegions() {
        Engine e = Engine.create(Mode.PROTECTED_32);
        e.map(0x10000, 0x3000, Perm.READ | Perm.WRITE);
        e.map(0x20000, 0x1000, Perm.READ);
        assertEquals(List.of(new MemoryRegion(0x10000, 0x3000, 3), new MemoryRegion(0x20000, 0x1000, 1)), e.regions());
        e.protect(0x11000, 0x1000, Perm.ALL);
        assertEquals(List.of(new MemoryRegion(0x10000, 0x1000, 3), new MemoryRegion(0x11000, 0x1000, 7),
                new MemoryRegion(0x12000, 0x1000, 3), new MemoryRegion(0x20000, 0x1000, 1)), e.regions());
        e.unmap(0x10000, 0x2000);
        assertEquals(List.of(new MemoryRegion(0x12000, 0x1000, 3), new MemoryRegion(0x20000, 0x1000, 1)), e.regions());
        assertThrows(IllegalArgumentException.class, () -> e.readU8(0x10000));
    }

    @Test
    void rejectsOverlapsMisalignmentAndUnmappedRangesWithClearMessages() {
        Engine e = Engine.create(Mode.PROTECTED_32);
        e.map(0x10000, 0x2000, Perm.ALL);
        IllegalArgumentException overlap = assertThrows(IllegalArgumentException.class, () -> e.map(0x11000, 0x2000, Perm.ALL));
        assertTrue(overlap.getMessage().contains("overlaps"), overlap.getMessage());
        IllegalArgumentException misaligned = assertThrows(IllegalArgumentException.class, () -> e.map(0x30010, 0x1000, Perm.ALL));
        assertTrue(misaligned.getMessage().contains("4 KiB"), misaligned.getMessage());
        assertThrows(IllegalArgumentException.class, () -> e.map(0x30000, 0x1001, Perm.ALL));
        assertThrows(IllegalArgumentException.class, () -> e.map(0x30000, 0, Perm.ALL));
        assertThrows(IllegalArgumentException.class, () -> e.map(0xFFFFF000L, 0x2000, Perm.ALL));
        assertThrows(IllegalArgumentException.class, () -> e.map(0x30000, 0x1000, 8));
        IllegalArgumentException unmapped = assertThrows(IllegalArgumentException.class, () -> e.unmap(0x11000, 0x2000));
        assertTrue(unmapped.getMessage().contains("not mapped"), unmapped.getMessage());
        assertThrows(IllegalArgumentException.class, () -> e.protect(0x20000, 0x1000, Perm.READ));
        assertThrows(IllegalArgumentException.class, () -> e.read(0x11FFE, 4));
        e.map(0xFFFFF000L, 0x1000, Perm.READ);
        assertEquals(0, e.readU8(0xFFFFFFFFL));
    }

    @Test
    void typedAccessesAreLittleEndianAndCrossPages() {
        Engine e = Engine.create(Mode.PROTECTED_32);
        e.map(0x10000, 0x2000, Perm.READ);
        e.writeU64(0x10FFC, 0x0123456789ABCDEFL);
        assertEquals(0xEF, e.readU8(0x10FFC));
        assertEquals(0xCDEF, e.readU16(0x10FFC));
        assertEquals(0x89ABCDEFL, e.readU32(0x10FFC));
        assertEquals(0x01234567L, e.readU32(0x11000));
        assertEquals(0x0123456789ABCDEFL, e.readU64(0x10FFC));
        e.writeU32(0x10000, 0xFFFFFFFFL);
        assertEquals(0xFFFFFFFFL, e.readU32(0x10000));
        e.writeU16(0x10000, 0xBEEF);
        e.writeU8(0x10002, 0x42);
        assertArrayEquals(Guests.bytes(0xEF, 0xBE, 0x42, 0xFF), e.read(0x10000, 4));
    }

    @Test
    void remappedPagesStartZeroed() {
        Engine e = Engine.create(Mode.PROTECTED_32);
        e.map(0x10000, 0x1000, Perm.ALL);
        e.writeU32(0x10000, 0x12345678);
        e.unmap(0x10000, 0x1000);
        e.map(0x40000, 0x1000, Perm.ALL);
        assertEquals(0, e.readU32(0x40000));
    }

    @Test
    void exhaustedPhysicalMemoryIsAnIllegalState() {
        Engine e = Engine.create(Mode.PROTECTED_32, EngineOptions.defaults().withPhysicalMemory(1 << 20));
        IllegalStateException x = assertThrows(IllegalStateException.class, () -> e.map(0x100000, 2 << 20, Perm.ALL));
        assertTrue(x.getMessage().contains("withPhysicalMemory"), x.getMessage());
        assertTrue(e.regions().isEmpty());
    }
}
