package org.kasou.cpu.sys;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.InputStream;
import org.junit.jupiter.api.Test;
import org.kasou.cpu.CpuState;
import org.kasou.cpu.Segment;
import org.kasou.cpu.StopReason;

/**
 * System behaviour driven by real instruction bytes through the interpreter. The programs are
 * assembled from the .asm files next to them with {@code nasm -f bin}.
 */
class GuestCodeTest {
    final SysFixture f = new SysFixture();

    void load(String name, int at) throws IOException {
        try (InputStream in = GuestCodeTest.class.getResourceAsStream(name)) {
            byte[] code = in.readAllBytes();
            f.phys.load(at, code, 0, code.length);
        }
    }

    @Test
    void realModeToPagedProtectedModeWithPageFaultAndTripleFault() throws IOException {
        load("pm_paging_pf.bin", 0x1000);
        CpuState s = f.s;
        s.seg[Segment.CS].loadReal(0);
        s.eip = 0x1000;
        StopReason why = f.cpu.run(100_000);
        assertEquals(StopReason.SHUTDOWN, why, "UD2 with an empty IDT ends in a triple fault");
        assertEquals(0x1234, f.phys.read16(0x500), "INT 40h through the IVT and back with IRET");
        assertEquals(0x200010, f.phys.read32(0x508), "CR2 in the #PF handler");
        assertEquals(2, f.phys.read32(0x50C), "#PF error code: supervisor write to a non-present page");
        assertEquals(0xCAFEBABE, f.phys.read32(0x504), "the faulting store re-executed after the handler mapped the page");
        assertEquals(0x300003 | 0x60, f.phys.read32(0x11000 + 0x200 * 4), "accessed and dirty set in the PTE");
        assertEquals(0x30, f.phys.read32(0x510), "INT 30h through a trap gate");
        assertEquals(0x08, s.seg[Segment.CS].selector);
    }
}
