package org.kasou.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.kasou.io.IoPortBus;
import org.kasou.mem.PhysicalMemory;

/**
 * Block.loopsBack: whether a block ends in a direct jump, branch or LOOP back to itself or to
 * code before it in its page (what an engine asks at every run of a block, to tell a loop's turn
 * from straight code), decided when the block is built.
 */
class BlockLoopsBackTest {
    /** Records, per block EIP, what loopsBack said when the interpreter offered the block. */
    private static final class Recorder extends NoCodeEngine {
        final Map<Integer, Boolean> loopsBack = new TreeMap<>();

        @Override
        public boolean wants(Interpreter.Block b) {
            loopsBack.put(b.eip(), b.loopsBack());
            return false;
        }

        @Override
        public boolean execute(Interpreter.Block b, int budget) {
            loopsBack.put(b.eip(), b.loopsBack());
            return false;
        }
    }

    @Test
    void backwardDirectBranchesAndLoopsAreLoopEndsForwardAndIndirectOnesAreNot() {
        int base = 0x30000;
        PhysicalMemory phys = new PhysicalMemory(1 << 20);
        byte[] code = {
            // 0x00: mov cx, 3
            (byte) 0xB9, 3, 0,
            // 0x03: inc ax; loop 0x03 (back to its own block)
            0x40, (byte) 0xE2, (byte) 0xFD,
            // 0x06: mov cx, 2
            (byte) 0xB9, 2, 0,
            // 0x09: jmp short 0x0D (forward)
            (byte) 0xEB, 0x02,
            // 0x0B: hlt (skipped)
            (byte) 0xF4, (byte) 0xF4,
            // 0x0D: inc bx; dec cx; jnz 0x0D (backward branch)
            0x43, 0x49, 0x75, (byte) 0xFC,
            // 0x11: mov si, 0x16; jmp si (indirect, to 0x16)
            (byte) 0xBE, 0x16, 0, (byte) 0xFF, (byte) 0xE6,
            // 0x16: inc dx; cmp dx, 2; jb 0x16 (backward branch); jmp short 0x20 (forward)
            0x42, (byte) 0x83, (byte) 0xFA, 0x02, 0x72, (byte) 0xFA, (byte) 0xEB, 0x03,
            (byte) 0xF4, (byte) 0xF4, (byte) 0xF4,
            // 0x21: hlt
            (byte) 0xF4,
        };
        for (int i = 0; i < code.length; i++) phys.write8(base + i, code[i]);
        Cpu cpu = TestCpus.create(phys, new IoPortBus());
        Recorder engine = new Recorder();
        cpu.interpreter().setEngine(engine);
        CpuState s = cpu.state;
        s.seg[Segment.CS].set(base >> 4, base, 0xFFFF, 0x9B);
        for (int sg : new int[] {Segment.ES, Segment.SS, Segment.DS, Segment.FS, Segment.GS}) s.seg[sg].set(0x2000, 0x20000, 0xFFFF, 0x93);
        s.gpr[CpuState.ESP] = 0xFFF0;
        s.eip = 0;
        cpu.memory.flushTlb();
        assertEquals(StopReason.HALTED, cpu.run(10_000));
        assertEquals(3, s.gpr[CpuState.EAX] & 0xFFFF);
        assertEquals(2, s.gpr[CpuState.EBX] & 0xFFFF);
        assertEquals(0x22, s.eip, "halted after the last HLT");
        // Blocks end at each jump, branch and LOOP; the first run of each block starts at its EIP.
        assertEquals(Boolean.FALSE, engine.loopsBack.get(0x00), "mov cx, 3 falls into the loop's block");
        assertEquals(Boolean.TRUE, engine.loopsBack.get(0x03), "inc ax; loop back to itself");
        assertEquals(Boolean.FALSE, engine.loopsBack.get(0x06), "mov cx, 2; a forward jump");
        assertEquals(Boolean.TRUE, engine.loopsBack.get(0x0D), "dec cx; jnz back to itself");
        assertEquals(Boolean.FALSE, engine.loopsBack.get(0x11), "an indirect jump");
        assertEquals(Boolean.TRUE, engine.loopsBack.get(0x16), "jb back to itself");
        assertEquals(Boolean.FALSE, engine.loopsBack.get(0x1C), "a forward jump");
        assertEquals(7, engine.loopsBack.size(), "blocks: " + engine.loopsBack);
    }
}
