package org.kasou.jit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.kasou.cpu.CpuState;
import org.kasou.cpu.StopReason;

/**
 * The engine's answers to the interpreter running on from block to block (JitEngine#wants): runs
 * of blocks the interpreter reaches that way count towards compiling them, a block that a unit
 * compiled from another block holds as an entry goes into that unit at once, a block whose unit
 * was dropped is counted again and compiled again, and a kernel's block is compiled only when its
 * runs come close together (JitEngine#RUN_SPACING), a user program's block whose runs come far
 * apart only while the budget for compiling lasts.
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

    /**
     * mov eax,rare; mov edx,outer; outer: mov ecx,turns; loop: dec ecx; jnz loop; jmp eax; rare: inc
     * ebx; cmp ebx,200; je done; jmp edx; done: hlt. The block at `rare` runs once per turn of the
     * outer loop, reached through computed jumps (so no region of the inner loop holds it).
     */
    private static byte[] rareBlock(int turns) {
        return rareBlock(turns, 200);
    }

    /** As above, the block at `rare` running {@code runs} times. */
    private static byte[] rareBlock(int turns, int runs) {
        return new Guest.Asm().b(0xB8).d(Guest.CODE + 20).b(0xBA).d(Guest.CODE + 10).b(0xB9).d(turns)
                .b(0x49, 0x75, 0xFD, 0xFF, 0xE0, 0x43, 0x81, 0xFB).d(runs).b(0x74, 0x02, 0xFF, 0xE2, 0xF4).bytes();
    }

    /** Runs code with paging on, on the interpreter and with the JIT, until it halts; checks both end alike. */
    private static Guest pagedHaltsAlike(byte[] code) {
        Guest interp = new Guest(code, -1, true);
        Guest jit = new Guest(code, THRESHOLD, true);
        assertEquals(StopReason.HALTED, interp.cpu.run(20_000_000));
        assertEquals(StopReason.HALTED, jit.cpu.run(20_000_000));
        assertEquals(interp.snapshot(), jit.snapshot());
        return jit;
    }

    /**
     * A paged kernel's block that does not end in a backward branch (the block at `rare` ends in a
     * forward one) is compiled only after ten times the threshold's runs; the inner loop's block,
     * which does, at the threshold.
     */
    @Test
    void pagedKernelBlocksNotEndingInABackwardBranchAreCompiledAfterTenTimesTheRuns() {
        int rare = Guest.CODE + 20;
        Guest few = pagedHaltsAlike(rareBlock(1_000, 200)); // 200 runs, close together
        assertEquals(200, few.cpu.state.gpr[CpuState.EBX]);
        assertTrue(!compiledAt(few, rare), "left to the interpreter");
        assertTrue(compiledAt(few, Guest.CODE + 15), "the inner loop compiled at its threshold");
        Guest many = pagedHaltsAlike(rareBlock(1_000, 700)); // past 10 x 50 runs
        assertEquals(700, many.cpu.state.gpr[CpuState.EBX]);
        assertTrue(compiledAt(many, rare), "compiled after ten times the threshold's runs");
    }

    private static boolean compiledAt(Guest g, int eip) {
        for (JitEngine.Body b : JitEngine.of(g.cpu).bodiesInPage(Guest.CODE >>> 12)) {
            for (JitEngine.Unit u : b.units) if (u.eip == eip) return true;
        }
        return false;
    }

    @Test
    void aBlockIsCompiledOnlyWhenItsRunsComeCloseTogether() {
        int rare = Guest.CODE + 20;
        // 1,000 turns of the inner loop between its runs: 50 runs within 500,000 instructions.
        Guest close = Guest.haltsAlike(rareBlock(1_000), THRESHOLD, 10_000_000);
        assertEquals(200, close.cpu.state.gpr[CpuState.EBX]);
        assertTrue(compiledAt(close, rare), "compiled at its threshold");
        // 10,000 turns between them: 200 runs, but never 50 within 500,000 instructions.
        Guest apart = Guest.haltsAlike(rareBlock(10_000), THRESHOLD, 10_000_000);
        assertEquals(200, apart.cpu.state.gpr[CpuState.EBX]);
        assertTrue(!compiledAt(apart, rare), "left to the interpreter");
        assertTrue(compiledAt(apart, Guest.CODE + 15), "the inner loop compiled");
    }

    /** The same program at CPL 3, ending in a JMP to itself instead of HLT (a fault there would need a TSS). */
    private static Guest userMode(byte[] code, int threshold) {
        code[code.length - 1] = (byte) 0xEB; // done: jmp done
        code = java.util.Arrays.copyOf(code, code.length + 1);
        code[code.length - 1] = (byte) 0xFE;
        Guest g = new Guest(code, threshold);
        CpuState st = g.cpu.state;
        st.cpl = 3;
        st.seg[org.kasou.cpu.Segment.CS].set(0x0B, 0, 0xFFFFFFFF, 0xCFFB);
        st.seg[org.kasou.cpu.Segment.SS].set(0x13, 0, 0xFFFFFFFF, 0xCFF3);
        return g;
    }

    /**
     * The rare-block program at CPL 3 (the rare block run every 10,000 instructions) after the
     * start phase, with {@code budget} for compiling (null: the engine's own), run to its end
     * beside the interpreter, which it must agree with.
     */
    private static Guest userModeRareBlockBesideTheInterpreter(CompileBudget budget) {
        int instructions = 4_500_000;
        Guest interp = userMode(rareBlock(10_000), -1);
        Guest jit = userMode(rareBlock(10_000), THRESHOLD);
        JitEngine.of(jit.cpu).startPhase(0);
        if (budget != null) JitEngine.of(jit.cpu).useCompileBudget(budget);
        assertEquals(StopReason.BUDGET_EXHAUSTED, interp.cpu.run(instructions));
        assertEquals(StopReason.BUDGET_EXHAUSTED, jit.cpu.run(instructions));
        assertEquals(interp.snapshot(), jit.snapshot());
        assertEquals(200, jit.cpu.state.gpr[CpuState.EBX]);
        assertEquals(Guest.CODE + 31, jit.cpu.state.eip, "at the JMP to itself");
        return jit;
    }

    @Test
    void userCodeIsCompiledAtItsThresholdHoweverFarApartItsRunsComeWhileTheBudgetLasts() {
        Guest jit = userModeRareBlockBesideTheInterpreter(null);
        assertTrue(compiledAt(jit, Guest.CODE + 20), "compiled at its threshold");
    }

    /**
     * User code whose runs come far apart compiles only while the CompileBudget allows, and code
     * whose runs come close together (JitEngine#HOT_SPACING) compiles whatever the budget: with the
     * budget spent, the block at `rare` (run every 10,000 instructions) stays in the interpreter and
     * the inner loop is compiled.
     */
    @Test
    void userCodeWhoseRunsComeFarApartWaitsForTheCompileBudget() {
        Guest jit = userModeRareBlockBesideTheInterpreter(new CompileBudget(0, 0, 0));
        assertTrue(!compiledAt(jit, Guest.CODE + 20), "left to the interpreter");
        assertTrue(compiledAt(jit, Guest.CODE + 15), "the inner loop compiled");
    }

    /**
     * During a program's start (JitEngine#START_INSTRUCTIONS) user code needs ten times the
     * threshold's runs: the block at `rare`, run 200 times close together, stays in the interpreter
     * there and is compiled when the same program runs after the start; the inner loop, whose block
     * runs thousands of times, is compiled either way.
     */
    @Test
    void userCodeNeedsTenTimesTheRunsDuringTheStart() {
        int rare = Guest.CODE + 20, budget = 100_000;
        Guest interp = userMode(rareBlock(100), -1);
        assertEquals(StopReason.BUDGET_EXHAUSTED, interp.cpu.run(budget));
        Guest starting = userMode(rareBlock(100), THRESHOLD);
        Guest started = userMode(rareBlock(100), THRESHOLD);
        JitEngine.of(started.cpu).startPhase(0);
        for (Guest jit : new Guest[] {starting, started}) {
            assertEquals(StopReason.BUDGET_EXHAUSTED, jit.cpu.run(budget));
            assertEquals(interp.snapshot(), jit.snapshot());
            assertEquals(200, jit.cpu.state.gpr[CpuState.EBX]);
            assertTrue(compiledAt(jit, Guest.CODE + 15), "the inner loop compiled");
        }
        assertTrue(!compiledAt(starting, rare), "left to the interpreter during the start");
        assertTrue(compiledAt(started, rare), "compiled at its threshold after the start");
    }
}
