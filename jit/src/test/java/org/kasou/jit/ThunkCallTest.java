package org.kasou.jit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.kasou.cpu.CpuState;
import org.kasou.cpu.StopReason;

/**
 * Calls of PIC thunks (MOV reg, [ESP]; RET) compiled as one node: the same state as the
 * interpreter at every budget, the thunk in another page and in the same page, and the
 * interpreter taking over when the thunk's bytes change or its page goes away.
 */
class ThunkCallTest {
    /** A thunk in the next page (its own unit were the call not folded) and one in the same page. */
    private static final int FAR_THUNK = Guest.CODE + 0x1000, NEAR_THUNK = Guest.CODE + 0x800;
    private static final int LOOPS = 3000;

    /**
     * mov ebp, LOOPS; top: call far (ebx); add eax, ebx; call near (ecx); xor edx, ecx;
     * rol edx, 1 (as shl edx by 1 plus the carry); [patch]; dec ebp; jnz top; hlt. At iteration
     * {@code patchAt} (EBP equal to it) the loop stores {@code patchValue} at {@code patchAddress}.
     */
    private static byte[] program(int patchAt, int patchAddress, int patchValue) {
        Guest.Asm a = new Guest.Asm();
        a.b(0xBD).d(LOOPS);                                       // mov ebp, LOOPS
        int top = a.here();
        a.b(0xE8).d(FAR_THUNK - (a.here() + 4));                  // top: call far thunk
        a.b(0x01, 0xD8);                                          //      add eax, ebx
        a.b(0xE8).d(NEAR_THUNK - (a.here() + 4));                 //      call near thunk
        a.b(0x31, 0xCA);                                          //      xor edx, ecx
        a.b(0xD1, 0xC2);                                          //      rol edx, 1
        a.b(0x81, 0xFD).d(patchAt);                               //      cmp ebp, patchAt
        a.b(0x75, 10);                                            //      jne skip
        a.b(0xC7, 0x05).d(patchAddress).d(patchValue);            //      mov dword [patchAddress], patchValue
        a.b(0x4D, 0x0F, 0x85).d(top - (a.here() + 4));            // skip: dec ebp; jnz top
        a.b(0xF4);                                                //      hlt
        while (a.here() < NEAR_THUNK) a.b(0xCC);
        a.b(0x8B, 0x0C, 0x24, 0xC3);                              // near: mov ecx, [esp]; ret
        while (a.here() < FAR_THUNK) a.b(0xCC);
        a.b(0x8B, 0x1C, 0x24, 0xC3);                              // far: mov ebx, [esp]; ret
        a.b(0xBE).d(0x1234).b(0xC3);                              // far + 4: mov esi, 0x1234; ret
        return a.bytes();
    }

    private static Guest[] runBoth(byte[] code, boolean paging) {
        Guest interp = new Guest(code, -1, paging);
        Guest jit = new Guest(code, 20, paging);
        assertEquals(StopReason.HALTED, interp.cpu.run(1_000_000));
        assertEquals(StopReason.HALTED, jit.cpu.run(1_000_000));
        assertEquals(interp.snapshot(), jit.snapshot());
        return new Guest[] {interp, jit};
    }

    @Test
    void thunkCallsRunCompiledWithoutLeavingTheUnit() {
        byte[] code = program(-1, Guest.DATA, 0);
        Guest[] g = runBoth(code, false);
        CpuState s = g[1].cpu.state;
        assertEquals(Guest.CODE + 10, s.gpr[CpuState.EBX], "EBX holds the far call's return address (after mov ebp and the call)");
        JitStats stats = g[1].stats();
        assertTrue(stats.instructionsExecuted > g[1].cpu.instructions * 95 / 100,
                "compiled " + stats.instructionsExecuted + " of " + g[1].cpu.instructions);
        // A call that leaves the unit would pass to the thunk's unit and back: two passes a loop.
        assertTrue(stats.entries < LOOPS / 10, stats.entries + " entries into compiled code for " + LOOPS + " loops");
    }

    @Test
    void everyBudgetStopsWhereTheInterpreterDoes() {
        byte[] code = program(-1, Guest.DATA, 0);
        for (int budget : new int[] {1, 2, 3, 4, 5, 7, 11, 13, 64, 1000}) {
            Guest interp = new Guest(code, -1);
            Guest jit = new Guest(code, 0);
            for (int step = 0; step < 200_000 && !interp.cpu.state.halted; step++) {
                interp.cpu.run(budget);
                jit.cpu.run(budget);
                if (step % 97 == 0 || step < 50) assertEquals(interp.snapshot(), jit.snapshot(), "budget " + budget + " step " + step);
            }
            assertTrue(interp.cpu.state.halted, "budget " + budget);
            assertEquals(interp.snapshot(), jit.snapshot(), "budget " + budget);
        }
    }

    @Test
    void aThunkRewrittenAtRunTimeRunsInTheInterpreter() {
        // Halfway the far thunk's first byte pair becomes a jump to far + 4 (mov esi, 0x1234; ret).
        byte[] code = program(LOOPS / 2, FAR_THUNK, 0xC3240000 | 0x02EB);
        Guest[] g = runBoth(code, false);
        assertEquals(0x1234, g[1].cpu.state.gpr[CpuState.ESI], "the new thunk ran");
    }

    @Test
    void aThunkWhosePageGoesAwayFaultsAsInTheInterpreter() {
        // Midway the far thunk's page table entry is cleared and its translation dropped, as a
        // guest's INVLPG or CR3 load would: the next call's fetch of the thunk raises #PF.
        byte[] code = program(-1, Guest.DATA, 0);
        Guest interp = new Guest(code, -1, true);
        Guest jit = new Guest(code, 20, true);
        int top = Guest.CODE + 5;
        for (Guest g : new Guest[] {interp, jit}) {
            g.runThenStopAt(20_000, top);
            g.cpu.physical.write32(Guest.PT + 4 * (FAR_THUNK >>> 12), 0);
            g.cpu.memory.invalidatePage(FAR_THUNK);
            long compiled = g == jit ? g.stats().instructionsExecuted : 0;
            assertEquals(StopReason.HALTED, g.cpu.run(1_000_000));
            if (g == jit) assertTrue(g.stats().instructionsExecuted > compiled, "compiled code ran after the change");
        }
        assertEquals(interp.snapshot(), jit.snapshot());
        assertEquals(FAR_THUNK, jit.cpu.state.cr2, "the fetch of the thunk faulted");
    }
}
