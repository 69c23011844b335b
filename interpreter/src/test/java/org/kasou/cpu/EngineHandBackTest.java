package org.kasou.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.kasou.io.IoPortBus;
import org.kasou.mem.PhysicalMemory;

/**
 * Where an engine hands back: the interpreter goes on to the block after the engine's run through
 * the links of the block it offered, as after its own passes, instead of looking that block up in
 * the table each time.
 */
class EngineHandBackTest {
    /** Real mode at 0x3000:0. A: inc ax; jmp B (the engine's). B: dec cx; jnz A; hlt. */
    private static final int A = 0x00, B = 0x10;

    /** Runs A itself (AX + 1, EIP to B, two instructions) and nothing else. */
    private static final class BlockAEngine extends NoCodeEngine {
        private final Cpu cpu;
        int runs;

        BlockAEngine(Cpu cpu) {
            this.cpu = cpu;
        }

        @Override
        public boolean wants(Interpreter.Block b) {
            return b.eip() == A;
        }

        @Override
        public boolean execute(Interpreter.Block b, int budget) {
            if (b.eip() != A || budget < 2) return false;
            int[] r = cpu.state.gpr;
            r[CpuState.EAX] = (r[CpuState.EAX] & 0xFFFF0000) | ((r[CpuState.EAX] + 1) & 0xFFFF);
            cpu.state.eip = B;
            cpu.instructions += 2;
            runs++;
            return true;
        }
    }

    @Test
    void theBlockAfterAnEngineRunComesThroughALink() {
        int base = 0x30000;
        PhysicalMemory phys = new PhysicalMemory(1 << 20);
        phys.write8(base + A, 0x40);                 // inc ax
        phys.write8(base + A + 1, 0xEB);             // jmp short B
        phys.write8(base + A + 2, B - (A + 3));
        phys.write8(base + B, 0x49);                 // dec cx
        phys.write8(base + B + 1, 0x75);             // jnz A
        phys.write8(base + B + 2, (A - (B + 3)) & 0xFF);
        phys.write8(base + B + 3, 0xF4);             // hlt
        Cpu cpu = TestCpus.create(phys, new IoPortBus());
        BlockAEngine engine = new BlockAEngine(cpu);
        cpu.interpreter().setEngine(engine);
        CpuState s = cpu.state;
        s.seg[Segment.CS].set(base >> 4, base, 0xFFFF, 0x9B);
        for (int sg : new int[] {Segment.ES, Segment.SS, Segment.DS, Segment.FS, Segment.GS}) s.seg[sg].set(0x2000, 0x20000, 0xFFFF, 0x93);
        s.gpr[CpuState.ESP] = 0xFFF0;
        s.gpr[CpuState.ECX] = 10_000;
        s.eip = A;
        cpu.memory.flushTlb();
        assertEquals(StopReason.HALTED, cpu.run(1_000_000));
        assertEquals(10_000, s.gpr[CpuState.EAX] & 0xFFFF);
        assertEquals(10_000, engine.runs);
        assertEquals(B + 4, s.eip, "halted after the HLT");
        assertEquals(10_000 * 4 + 1, cpu.instructions);
        // A lookup for B after each of the engine's 10,000 runs before; a handful now.
        assertTrue(cpu.interpreter().blockLookups() < 100, "block-table lookups: " + cpu.interpreter().blockLookups());
    }
}
