package org.kasou.jit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.kasou.cpu.CpuState;
import org.kasou.cpu.StopReason;

/**
 * The engine's answers to the interpreter running on from block to block (JitEngine#wants): runs
 * of blocks the interpreter reaches that way count towards compiling them, a block that a unit
 * compiled from another block holds as an entry goes into that unit at once, and a block whose
 * unit was dropped is counted again and compiled again.
 */
class BlocksRunOnTest {
    private static final int THRESHOLD = 50;

    /**
     * mov ecx,TURNS; loop: dec ecx; jz done; test cl,1; jnz odd; inc eax; jmp loop; odd: inc ebx;
     * jmp loop; done: hlt. Three blocks a turn, the interpreter going from one to the next.
     */
    private static byte[] parityLoop(int turns) {
        return new Guest.Asm().b(0xB9).d(turns).b(0x49, 0x74, 0x0B, 0xF6, 0xC1, 0x01, 0x75, 0x03, 0x40, 0xEB, 0xF5, 0x43, 0xEB, 0xF2, 0xF4).bytes();
    }

    @Test
    void blocksReachedFromOtherBlocksAreCountedAndCompiled() {
        int turns = 20_000;
        Guest jit = Guest.haltsAlike(parityLoop(turns), THRESHOLD, 1_000_000);
        assertEquals(turns / 2, jit.cpu.state.gpr[CpuState.EAX] + 1, "even turns");
        JitStats st = jit.stats();
        // Compiled once its blocks have run THRESHOLD times each, not once each has been offered that often.
        assertTrue(st.instructionsExecuted * 100 > jit.cpu.instructions * 99,
                "compiled " + st.instructionsExecuted + " of " + jit.cpu.instructions);
    }

    @Test
    void aBlockThatIsAnotherUnitsEntryGoesIntoThatUnit() {
        // start: mov ecx,20; loop: dec ecx; jz after; test cl,1; jnz loop; jmp loop; after: inc ebx;
        // hlt; side: inc edx; jnz after (taken). The loop's blocks are asked about at every turn.
        byte[] code = new Guest.Asm().b(0xB9).d(20).b(0x49, 0x74, 0x07, 0xF6, 0xC1, 0x01, 0x75, 0xF8, 0xEB, 0xF6,
                0x43, 0xF4, 0x42, 0x75, 0xFB).bytes();
        int start = Guest.CODE, after = Guest.CODE + 15, side = Guest.CODE + 17;
        Guest g = new Guest(code, THRESHOLD);
        // Runs from the start until the loop is compiled, with the block after it (run fewer times
        // than the threshold, but more than once) as an entry.
        JitStats st = g.stats();
        for (int run = 0; run < 2 || st.unitsCompiled == 0; run++) {
            assertTrue(run < THRESHOLD - 10, "the loop compiled within " + run + " runs");
            g.cpu.state.halted = false;
            g.cpu.state.eip = start;
            assertEquals(StopReason.HALTED, g.cpu.run(10_000));
        }
        long compiled = st.instructionsExecuted;
        g.cpu.state.halted = false;
        g.cpu.state.eip = side;
        int ebx = g.cpu.state.gpr[CpuState.EBX];
        assertEquals(StopReason.HALTED, g.cpu.run(10_000));
        assertEquals(ebx + 1, g.cpu.state.gpr[CpuState.EBX]);
        assertEquals(after + 2, g.cpu.state.eip, "after the HLT");
        // `side` is cold and runs in the interpreter, which goes on to `after`: the unit's entry runs it.
        assertEquals(compiled + 1, st.instructionsExecuted, "INC EBX ran compiled");
    }

    /**
     * mov ecx,1000000; loop: dec ecx; jnz loop; hlt. One block that loops in place: the engine is
     * asked about it every few dozen turns, and once it has had a unit, only through that unit.
     */
    @Test
    void aBlockWhoseUnitWasDroppedIsCompiledAgain() {
        Guest g = new Guest(new Guest.Asm().b(0xB9).d(1_000_000).b(0x49, 0x75, 0xFD, 0xF4).bytes(), THRESHOLD);
        assertEquals(StopReason.BUDGET_EXHAUSTED, g.cpu.run(20_000));
        JitStats st = g.stats();
        long units = st.unitsCompiled;
        assertTrue(units >= 1, "the loop compiled");
        JitEngine.of(g.cpu).flush();
        long instructions = g.cpu.instructions, compiled = st.instructionsExecuted;
        assertEquals(StopReason.BUDGET_EXHAUSTED, g.cpu.run(200_000));
        assertTrue(st.unitsCompiled > units, "compiled again: " + st.unitsCompiled + " units");
        long ran = g.cpu.instructions - instructions;
        assertTrue((st.instructionsExecuted - compiled) * 100 > ran * 95, "compiled " + (st.instructionsExecuted - compiled) + " of " + ran);
    }
}
