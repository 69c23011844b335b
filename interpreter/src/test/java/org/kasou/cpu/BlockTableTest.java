package org.kasou.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.kasou.io.IoPortBus;
import org.kasou.mem.PhysicalMemory;

/**
 * The decoded blocks' table: as many blocks as a set has ways, whose addresses hash to that set,
 * all stay, so that a loop through them is decoded once rather than on every turn (and an engine
 * sees them get hot).
 */
class BlockTableTest {
    @Test
    void blocksOfOneSetAllStayInTheTable() {
        int k = BlockCache.WAYS;
        // k places below 1 MiB, 16 bytes apart at least and clear of the data segment at 0x20000,
        // whose blocks share a set of the table (a place p is p >> 4 : p & 15).
        Map<Integer, List<Integer>> bySet = new HashMap<>();
        List<Integer> places = null;
        for (int x = 0x30000; x < 0xF0000 && places == null; x++) {
            List<Integer> same = bySet.computeIfAbsent(BlockCache.slot(x), s -> new ArrayList<>());
            if (same.isEmpty() || x - same.get(same.size() - 1) >= 16) same.add(x);
            if (same.size() == k) places = same;
        }
        assertTrue(places != null, "no " + k + " places of one set below 1 MiB");
        PhysicalMemory phys = new PhysicalMemory(1 << 20);
        // Real mode. Each place but the last: inc ax; jmp far (the next place). The last: dec cx;
        // jz done; jmp far (the first place); done: hlt.
        for (int i = 0; i < k - 1; i++) {
            int p = places.get(i);
            phys.write8(p, 0x40);
            phys.write8(p + 1, 0xEA);
            phys.write16(p + 2, places.get(i + 1) & 15);
            phys.write16(p + 4, places.get(i + 1) >> 4);
        }
        int last = places.get(k - 1);
        phys.write8(last, 0x49);
        phys.write8(last + 1, 0x74);
        phys.write8(last + 2, 5);
        phys.write8(last + 3, 0xEA);
        phys.write16(last + 4, places.get(0) & 15);
        phys.write16(last + 6, places.get(0) >> 4);
        phys.write8(last + 8, 0xF4);
        Cpu cpu = TestCpus.create(phys, new IoPortBus());
        CpuState s = cpu.state;
        int first = places.get(0);
        s.seg[Segment.CS].set(first >> 4, first & ~15, 0xFFFF, 0x9B);
        for (int sg : new int[] {Segment.ES, Segment.SS, Segment.DS, Segment.FS, Segment.GS}) s.seg[sg].set(0x2000, 0x20000, 0xFFFF, 0x93);
        s.gpr[CpuState.ESP] = 0xFFF0;
        s.gpr[CpuState.ECX] = 10_000;
        s.eip = first & 15;
        cpu.memory.flushTlb();
        assertEquals(StopReason.HALTED, cpu.run(1_000_000));
        assertEquals((k - 1) * 10_000, s.gpr[CpuState.EAX] & 0xFFFF);
        assertEquals(last + 8, s.seg[Segment.CS].base + s.eip - 1, "halted at done");
        // A block or two a place (with an engine a block ends at the JZ), the HLT's: not one a turn.
        assertTrue(cpu.interpreter().blocksBuilt() <= 2 * k + 2, "blocks decoded: " + cpu.interpreter().blocksBuilt());
    }

    /**
     * Blocks keep decoded instructions of their own, wherever those were made: AAD runs from its
     * decoded form (its immediate read at each run), and 700 of them with distinct immediates, run
     * twice, span several of the bursts in which the table makes decoded instructions. One object
     * handed to two blocks would give the second turn the other block's immediates.
     */
    @Test
    void blocksKeepTheirOwnDecodedInstructions() {
        int n = 700;
        int start = 0x30000;
        PhysicalMemory phys = new PhysicalMemory(1 << 20);
        int p = start;
        int expected = 0;
        for (int i = 0; i < n; i++) {
            int imm = (i * 37 + 11) & 0xFF;
            phys.write8(p++, 0xB8); // mov ax, 0x0102
            phys.write16(p, 0x0102);
            p += 2;
            phys.write8(p++, 0xD5); // aad imm: al = (al + ah * imm) & 0xFF, ah = 0
            phys.write8(p++, imm);
            phys.write8(p++, 0x01); // add bx, ax
            phys.write8(p++, 0xC3);
            expected += (2 + imm) & 0xFF;
        }
        phys.write8(p++, 0x49); // dec cx
        phys.write8(p++, 0x0F); // jnz start
        phys.write8(p++, 0x85);
        phys.write16(p, (start - (p + 2)) & 0xFFFF);
        p += 2;
        phys.write8(p, 0xF4);
        Cpu cpu = TestCpus.create(phys, new IoPortBus());
        CpuState s = cpu.state;
        s.seg[Segment.CS].set(start >> 4, start, 0xFFFF, 0x9B);
        for (int sg : new int[] {Segment.ES, Segment.SS, Segment.DS, Segment.FS, Segment.GS}) s.seg[sg].set(0x2000, 0x20000, 0xFFFF, 0x93);
        s.gpr[CpuState.ESP] = 0xFFF0;
        s.gpr[CpuState.ECX] = 2;
        s.eip = 0;
        cpu.memory.flushTlb();
        assertEquals(StopReason.HALTED, cpu.run(1_000_000));
        assertEquals((2 * expected) & 0xFFFF, s.gpr[CpuState.EBX] & 0xFFFF);
        assertTrue(cpu.interpreter().blocksBuilt() < 3 * n / 2, "blocks decoded once: " + cpu.interpreter().blocksBuilt());
    }

    /**
     * A block's reference fields start with those a pass follows, ops and then links: collectors
     * that copy depth first, field by field, put what they lead to right after the block (the
     * Linux guest's kernel paths ran 30% slower per block without that). The class file keeps the
     * declaration order, and so does what reflection lists here.
     */
    @Test
    void blocksDeclareWhatAPassFollowsFirst() {
        List<String> references = new ArrayList<>();
        for (java.lang.reflect.Field f : Interpreter.Block.class.getDeclaredFields()) {
            if (!f.getType().isPrimitive() && !java.lang.reflect.Modifier.isStatic(f.getModifiers())) references.add(f.getName());
        }
        assertEquals(List.of("ops", "plain", "link0", "link1"), references.subList(0, 4), "reference fields: " + references);
    }
}
