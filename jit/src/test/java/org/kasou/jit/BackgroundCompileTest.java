package org.kasou.jit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.kasou.cpu.StopReason;

/**
 * Units generated and loaded on the compiler thread (JitEngine#compileInBackground): the guest
 * ends as on the interpreter, the bodies arrive and run, and a body whose code was written while
 * it was on its way is never used.
 */
class BackgroundCompileTest {
    private static final int THRESHOLD = 50;

    /**
     * mov ecx,TURNS; loop: dec ecx; jz done; test cl,1; jnz odd; add [esi],ecx; inc eax; jmp loop;
     * odd: inc ebx; jmp loop; done: hlt.
     */
    private static byte[] parityLoop(int turns) {
        return new Guest.Asm().b(0xB9).d(turns).b(0x49, 0x74, 0x0D, 0xF6, 0xC1, 0x01, 0x75, 0x05, 0x01, 0x0E, 0x40,
                0xEB, 0xF3, 0x43, 0xEB, 0xF0, 0xF4).bytes();
    }

    private static Guest inBackground(byte[] code) {
        Guest g = new Guest(code, THRESHOLD);
        JitEngine.of(g.cpu).compileInBackground(true);
        return g;
    }

    @Test
    void bodiesFromTheCompilerThreadRunTheGuestAsTheInterpreterDoes() throws InterruptedException {
        byte[] code = parityLoop(2_000_000);
        Guest interp = new Guest(code, -1);
        assertEquals(StopReason.HALTED, interp.cpu.run(100_000_000));
        Guest jit = inBackground(code);
        JitStats st = jit.stats();
        // Slices of the loop until the body has arrived and run (the compiler thread takes its time).
        long deadline = System.nanoTime() + 20_000_000_000L;
        while (st.instructionsExecuted == 0) {
            assertTrue(System.nanoTime() < deadline, "no body arrived within 20 s");
            assertEquals(StopReason.BUDGET_EXHAUSTED, jit.cpu.run(20_000));
            Thread.sleep(1);
        }
        assertEquals(StopReason.HALTED, jit.cpu.run(100_000_000));
        assertEquals(interp.snapshot(), jit.snapshot());
        assertTrue(st.unitsCompiled >= 1);
        assertTrue(st.instructionsExecuted * 10 > jit.cpu.instructions * 9,
                "compiled " + st.instructionsExecuted + " of " + jit.cpu.instructions);
    }

    @Test
    void aBodyWhoseCodeWasWrittenOnItsWayIsNotUsed() throws InterruptedException {
        byte[] code = parityLoop(2_000_000);
        Guest g = inBackground(code);
        JitEngine engine = JitEngine.of(g.cpu);
        PendingCompiles pending = engine.pendingCompiles();
        int slices = 0;
        while (pending.pending().isEmpty()) {
            assertTrue(++slices < 1_000, "a region sent to the compiler thread");
            assertEquals(StopReason.BUDGET_EXHAUSTED, g.cpu.run(1_000));
        }
        // The same bytes written again over the loop: a code write all the same.
        long compiled = g.stats().unitsCompiled; // bodies of the page that arrived before this one
        g.cpu.physical.load(Guest.CODE + 6, code, 6, 4);
        long deadline = System.nanoTime() + 20_000_000_000L;
        while (!pending.anyDone()) {
            assertTrue(System.nanoTime() < deadline, "the compiler thread done within 20 s");
            Thread.sleep(1);
        }
        engine.installCompiled();
        assertTrue(pending.pending().isEmpty());
        assertEquals(0, engine.cachedUnits(), "the stale body left out (and any before it invalidated)");
        assertEquals(compiled, g.stats().unitsCompiled);
        // Compiled again once hot again, and then used.
        long ran = g.stats().instructionsExecuted;
        while (g.stats().instructionsExecuted == ran) {
            assertTrue(System.nanoTime() < deadline + 20_000_000_000L, "compiled again");
            assertEquals(StopReason.BUDGET_EXHAUSTED, g.cpu.run(20_000));
            Thread.sleep(1);
        }
        assertTrue(engine.cachedUnits() >= 1);
    }

    /**
     * While a body of its page is on its way, a hot block asks at each of its runs and starts
     * nothing: nothing is charged to the compile budget. (Each ask was charged a unit's cost, so
     * that the budget ran dry and much hot code of `kasou run` never compiled: lua5.4 11.6 s
     * instead of 4.1.)
     */
    @Test
    void waitingForAPagesBodyChargesNothing() throws InterruptedException {
        Guest g = inBackground(parityLoop(2_000_000));
        JitEngine engine = JitEngine.of(g.cpu);
        // No refill (share 0, a clock that stands still), room for two units' charge of 400 ms.
        CompileBudget budget = new CompileBudget(0, 1_000_000_000L, 400_000_000L, () -> 0L);
        engine.useCompileBudget(budget);
        java.util.concurrent.CountDownLatch hold = new java.util.concurrent.CountDownLatch(1);
        PendingCompiles.onCompilerThread(() -> {
            try {
                hold.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        try {
            int slices = 0;
            while (engine.pendingCompiles().pending().isEmpty()) {
                assertTrue(++slices < 1_000, "a region sent to the compiler thread");
                assertEquals(StopReason.BUDGET_EXHAUSTED, g.cpu.run(1_000));
            }
            for (int i = 0; i < 20; i++) assertEquals(StopReason.BUDGET_EXHAUSTED, g.cpu.run(1_000)); // the loop asks again and again
            assertTrue(budget.allows(), "the one compile started is all that was charged");
        } finally {
            hold.countDown();
        }
    }

    @Test
    void theEngineCompilesOnTheCpusThreadUnlessAsked() {
        Guest g = new Guest(parityLoop(10), THRESHOLD);
        assertFalse(JitEngine.of(g.cpu).compilesInBackground());
    }
}
