package org.kasou.jit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * Atomic read-modify-writes (LOCK'd instructions, XCHG with memory) in units: through Exec while
 * one CPU uses the memory, so that a loop of them stays compiled; once the memory is shared the
 * unit leaves before each of them for the interpreter, which makes them atomic (ThreadProgramsTest's
 * contended counters check that). Both ways the same state as the interpreter's.
 */
class AtomicUnitsTest {
    private static final int TURNS = 2000;

    private static byte[] loop() {
        Guest.Asm a = new Guest.Asm();
        a.b(0xBD).d(TURNS);                               // mov ebp, TURNS
        a.b(0xB8).d(3).b(0xBB).d(0x10001);                // mov eax, 3; mov ebx, 0x10001
        int top = a.here();
        a.b(0xF0, 0x01, 0x06);                            // lock add [esi], eax
        a.b(0xF0, 0x0F, 0xC1, 0x5E, 0x04);                // lock xadd [esi+4], ebx
        a.b(0x87, 0x4E, 0x08);                            // xchg [esi+8], ecx
        a.b(0xF0, 0xFF, 0x46, 0x10);                      // lock inc dword [esi+16]
        a.b(0x8B, 0x16, 0xF0, 0x0F, 0xB1, 0x56, 0x0C);    // mov edx, [esi]; lock cmpxchg [esi+12], edx
        a.b(0x41, 0x01, 0xCF);                            // inc ecx; add edi, ecx
        a.b(0x4D, 0x0F, 0x85).d(top - (a.here() + 4));    // dec ebp; jnz top
        a.b(0xF4);
        return a.bytes();
    }

    private static Guest run(byte[] code, int threshold, boolean shared) {
        Guest g = new Guest(code, threshold);
        if (shared) g.cpu.physical.sharePagesWithOthers();
        g.cpu.run(1_000_000);
        assertTrue(g.cpu.state.halted, "the guest ran to its HLT");
        return g;
    }

    @Test
    void aLoopOfAtomicInstructionsStaysCompiledWhileOneCpuUsesTheMemory() {
        byte[] code = loop();
        Guest interp = run(code, -1, false), jit = run(code, 0, false);
        assertEquals(interp.snapshot(), jit.snapshot());
        assertTrue(jit.stats().instructionsExecuted > 8L * TURNS, "compiled code ran " + jit.stats().instructionsExecuted);
        assertTrue(jit.stats().entries < TURNS / 10, "entries into compiled code: " + jit.stats().entries);
    }

    @Test
    void onceCpusShareTheMemoryUnitsLeaveBeforeEachAtomicInstruction() {
        byte[] code = loop();
        Guest interp = run(code, -1, true), jit = run(code, 0, true);
        assertEquals(interp.snapshot(), jit.snapshot());
        // ten instructions a turn, five of them atomic: compiled code runs at most the other five
        // (threads.c's contended counters check that the interpreter makes them atomic)
        assertTrue(jit.stats().instructionsExecuted <= 5L * TURNS, "compiled code ran " + jit.stats().instructionsExecuted);
    }
}
