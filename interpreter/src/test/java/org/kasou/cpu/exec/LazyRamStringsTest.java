package org.kasou.cpu.exec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.kasou.cpu.CpuState;
import org.kasou.mem.PhysicalMemory;

/** REP MOVS and REP STOS over RAM's page-sized chunks, allocated or not. */
class LazyRamStringsTest {
    static final int CHUNK = PhysicalMemory.CHUNK_SIZE;

    @Test
    void repMovsbCopiesAcrossChunkBoundaries() {
        GuestHarness h = GuestHarness.flat32();
        int src = 3 * CHUNK - 0x1234, dst = 6 * CHUNK - 0x777, n = CHUNK + 0x2000;
        byte[] data = new byte[n];
        for (int i = 0; i < n; i++) data[i] = (byte) (i * 13 + 5);
        h.phys.load(src, data, 0, n);
        h.r[CpuState.ESI] = src;
        h.r[CpuState.EDI] = dst;
        h.r[CpuState.ECX] = n;
        h.runToHlt("F3 A4"); // rep movsb
        assertEquals(0, h.r[CpuState.ECX]);
        assertEquals(dst + n, h.r[CpuState.EDI]);
        assertArrayEquals(data, h.phys.copyOut(dst, n));
        assertEquals(0, h.phys.read8(dst + n));
    }

    @Test
    void repMovsdFromUntouchedRamCopiesZeros() {
        GuestHarness h = GuestHarness.flat32();
        int dst = 0x140000 - 0x800;
        h.phys.load(dst, new byte[] {1, 2, 3, 4}, 0, 4);
        byte[] ones = new byte[0x1000];
        java.util.Arrays.fill(ones, (byte) -1);
        h.phys.load(dst, ones, 0, ones.length);
        h.r[CpuState.ESI] = 0x180000;
        h.r[CpuState.EDI] = dst;
        h.r[CpuState.ECX] = 0x400;
        h.runToHlt("F3 A5"); // rep movsd
        assertArrayEquals(new byte[0x1000], h.phys.copyOut(dst, 0x1000));
    }

    @Test
    void repStosdFillsAcrossChunkBoundaries() {
        GuestHarness h = GuestHarness.flat32();
        int dst = 2 * CHUNK + 0x100, n = CHUNK + 0x40;
        h.r[CpuState.EAX] = 0xDEADBEEF;
        h.r[CpuState.EDI] = dst;
        h.r[CpuState.ECX] = n / 4;
        h.runToHlt("F3 AB"); // rep stosd
        for (int a = dst; a < dst + n; a += 4) assertEquals(0xDEADBEEF, h.phys.read32(a), Integer.toHexString(a));
        assertEquals(0, h.phys.read32(dst + n));
        assertEquals(0, h.phys.read32(dst - 4));
    }
}
