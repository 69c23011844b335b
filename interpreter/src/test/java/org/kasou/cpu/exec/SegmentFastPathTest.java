package org.kasou.cpu.exec;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.kasou.cpu.CpuState;
import org.kasou.cpu.Segment;
import org.junit.jupiter.api.Test;

/**
 * The memory fast path's segment checks: a flat segment (base 0, limit 4 GiB) takes offsets as
 * linear addresses; a segment with base 0 but a smaller limit still faults past it, and one with a
 * base still adds it. Each access runs in a loop so that compiled code, where there is some, runs it too.
 */
class SegmentFastPathTest {
    private static final int GP_STUB = GuestHarness.STUBS + 16 * 13 + 1; // EIP after the #GP handler's HLT

    /** mov ecx, 600; top: OP; dec ecx; jnz top. */
    private static String loop(String op) {
        return "B9 58 02 00 00 " + op + " 49 75 " + String.format("%02X", (-(GuestHarness.hex(op).length + 3)) & 0xFF);
    }

    private static GuestHarness withDs(int base, int limit, int access) {
        GuestHarness h = GuestHarness.flat32();
        h.s.seg[Segment.DS].set(0x10, base, limit, access);
        return h;
    }

    @Test
    void aFlatSegmentReadsAndWritesAtItsOffsets() {
        GuestHarness h = withDs(0, 0xFFFFFFFF, 0xC093);
        h.phys.write32(0x150000, 0x12345678);
        h.r[CpuState.EBX] = 0xCAFE;
        h.runToHlt(loop("8B 05 00 00 15 00") + " 89 1D 04 00 15 00"); // mov eax, [0x150000] ...; mov [0x150004], ebx
        assertEquals(0x12345678, h.r[CpuState.EAX]);
        assertEquals(0xCAFE, h.phys.read32(0x150004));
    }

    @Test
    void aBaseOfZeroWithASmallerLimitStillFaultsPastIt() {
        // past the limit but not at a page's end (there every access takes Memory's checked path anyway)
        for (String op : new String[] {"8B 05 10 00 10 00" /* mov eax, [0x100010] */,
                "66 8B 05 20 00 10 00" /* mov ax, [0x100020] */, "8A 05 30 00 10 00" /* mov al, [0x100030] */,
                "89 05 10 00 10 00" /* mov [0x100010], eax */, "66 89 05 20 00 10 00", "88 05 30 00 10 00"}) {
            GuestHarness h = withDs(0, 0xFFFFF, 0x4093); // 1 MiB, byte granular
            h.r[CpuState.EAX] = 0x11223344;
            // the page read and written through ES (flat) first, so that the TLB holds it both ways
            h.runToHlt("26 8B 1D 00 00 10 00 26 89 1D 00 01 10 00 " + loop(op));
            assertEquals(GP_STUB, h.s.eip, op + ": #GP(0)");
            assertEquals(600, h.r[CpuState.ECX], op + ": on the first pass");
            assertEquals(0, h.phys.read32(0x100010) | h.phys.read16(0x100020) | h.phys.read8(0x100030), op + ": nothing written");
        }
        GuestHarness h = withDs(0, 0xFFFFF, 0x4093);
        h.phys.write32(0xFFFFC, 0x55667788);
        h.runToHlt(loop("8B 05 FC FF 0F 00"));
        assertEquals(0x55667788, h.r[CpuState.EAX], "the last dword inside the limit");
    }

    @Test
    void aSegmentWithABaseAddsIt() {
        GuestHarness h = withDs(0x40000, 0xFFFFFFFF, 0xC093);
        h.phys.write32(0x40010, 0x0BADF00D);
        h.r[CpuState.EBX] = 0x77;
        // linear page 0 read and written through ES (flat) first, so that a wrong fast path would find it in the TLB
        h.runToHlt("26 8B 15 10 00 00 00 26 89 15 00 02 00 00 " + loop("8B 05 10 00 00 00") + " 89 1D 20 00 00 00");
        assertEquals(0x0BADF00D, h.r[CpuState.EAX]);
        assertEquals(0x77, h.phys.read32(0x40020));
        assertEquals(0, h.phys.read32(0x20));
    }
}
