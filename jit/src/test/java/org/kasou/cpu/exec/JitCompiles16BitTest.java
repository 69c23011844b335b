package org.kasou.cpu.exec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.kasou.cpu.CpuState;
import org.kasou.cpu.Segment;
import org.kasou.cpu.StopReason;
import org.kasou.jit.JitEngine;
import org.kasou.jit.JitStats;

/**
 * Runs beside the interpreter's CPU tests when they run again with the JIT (threshold 0): the
 * harness those tests use gets the JIT, and 16-bit code (real mode, 16-bit protected mode with
 * a 16-bit stack) is compiled and run compiled, not left to the interpreter.
 */
class JitCompiles16BitTest {
    /** mov cx,100; xor ax,ax; xor ebx,ebx; l: add ax,cx; add ebx,ecx; push ax; pop ax; dec cx; jnz l. */
    private static final String LOOP = "B9 64 00 31 C0 66 31 DB 01 C8 66 01 CB 50 58 49 75 F6";

    private static void runsCompiled(GuestHarness h) {
        JitEngine jit = JitEngine.of(h.cpu);
        assertNotNull(jit, "the JIT is installed from the system property");
        JitStats st = jit.stats;
        assertEquals(StopReason.HALTED, h.runToHlt(LOOP));
        assertEquals(5050, h.r[CpuState.EAX] & 0xFFFF);
        assertEquals(5050, h.r[CpuState.EBX]);
        assertTrue(st.unitsCompiled >= 1, "units compiled: " + st.unitsCompiled);
        assertTrue(st.instructionsExecuted >= 600, "instructions run compiled: " + st.instructionsExecuted);
    }

    @Test
    void realModeCodeIsCompiled() {
        Assumptions.assumeTrue(org.kasou.cpu.TestCpus.withEngine(), "runs with the JIT only");
        runsCompiled(GuestHarness.real());
    }

    @Test
    void protectedMode16BitCodeIsCompiled() {
        Assumptions.assumeTrue(org.kasou.cpu.TestCpus.withEngine(), "runs with the JIT only");
        GuestHarness h = GuestHarness.flat32();
        h.s.seg[Segment.CS].set(0x18, 0, 0xFFFF, 0x009B);
        h.s.seg[Segment.SS].set(0x20, 0, 0xFFFF, 0x0093);
        h.r[CpuState.ESP] = 0xFFF0;
        h.s.eip = 0x4000;
        h.cpu.memory.flushTlb();
        runsCompiled(h);
    }
}
