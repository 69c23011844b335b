package org.kasou.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.kasou.io.IoPortBus;
import org.kasou.mem.PhysicalMemory;

/**
 * The decoded blocks' table: two blocks whose addresses hash to the same slot both stay, so that a
 * loop through them is decoded once rather than on every turn (and an engine sees them get hot).
 */
class BlockTableTest {
    @Test
    void twoBlocksOfOneSlotBothStayInTheTable() {
        // Two places below 1 MiB, clear of the data segment at 0x20000, whose blocks share a slot of
        // the table (the segments of a and b are a >> 4 and b >> 4).
        int a = -1, b = -1;
        java.util.Map<Integer, Integer> bySlot = new java.util.HashMap<>();
        for (int x = 0x30000; x < 0xF0000 && b < 0; x += 16) {
            Integer other = bySlot.putIfAbsent(BlockCache.slot(x), x);
            if (other != null && x - other >= 16) {
                a = other;
                b = x;
            }
        }
        assertTrue(b > 0, "no two places of one slot below 1 MiB");
        PhysicalMemory phys = new PhysicalMemory(1 << 20);
        // Real mode. a: inc ax; jmp far b   b: dec cx; jz done; jmp far a   done: hlt
        phys.write8(a, 0x40);
        phys.write8(a + 1, 0xEA);
        phys.write16(a + 2, 0);
        phys.write16(a + 4, b >> 4);
        phys.write8(b, 0x49);
        phys.write8(b + 1, 0x74);
        phys.write8(b + 2, 5);
        phys.write8(b + 3, 0xEA);
        phys.write16(b + 4, 0);
        phys.write16(b + 6, a >> 4);
        phys.write8(b + 8, 0xF4);
        Cpu cpu = TestCpus.create(phys, new IoPortBus());
        CpuState s = cpu.state;
        s.seg[Segment.CS].set(a >> 4, a, 0xFFFF, 0x9B);
        for (int sg : new int[] {Segment.ES, Segment.SS, Segment.DS, Segment.FS, Segment.GS}) s.seg[sg].set(0x2000, 0x20000, 0xFFFF, 0x93);
        s.gpr[CpuState.ESP] = 0xFFF0;
        s.gpr[CpuState.ECX] = 10_000;
        s.eip = 0;
        cpu.memory.flushTlb();
        assertEquals(StopReason.HALTED, cpu.run(1_000_000));
        assertEquals(10_000, s.gpr[CpuState.EAX] & 0xFFFF);
        assertEquals(b + 8, s.seg[Segment.CS].base + s.eip - 1, "halted at done");
        assertTrue(cpu.interpreter().blocksBuilt() <= 6, "blocks decoded: " + cpu.interpreter().blocksBuilt());
    }
}
