package org.kasou.jit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.kasou.cpu.CpuState;
import org.kasou.cpu.StopReason;

/**
 * Regions that take in code of another page (a function called there): the loop runs in one
 * unit, the unit leaves where that page is mapped elsewhere now, and a write to that page's
 * code drops the body.
 */
class MultiPageRegionTest {
    private static final int FUNCTION = Guest.CODE + 0x1000, OTHER_FUNCTION = 0x30000;
    /** Turns of the loop: its blocks (paged kernel code ending in no backward branch) compile after 200. */
    private static final int LOOPS = 10_000;

    /**
     * mov ebp, LOOPS; top: call function; add eax, ebx; [at EBP == patchAt: mov dword
     * [patchAddress], patchValue]; dec ebp; jnz top; hlt. The function, in the next page:
     * inc ebx; add ebx, ecx; add ecx, 3; ret (a leaf, so it joins the caller's region).
     */
    private static byte[] program(int patchAt, int patchAddress, int patchValue) {
        Guest.Asm a = new Guest.Asm();
        a.b(0xBD).d(LOOPS);                                     // mov ebp, LOOPS
        a.b(0xE8).d(FUNCTION - (a.here() + 4));                 // top: call function
        a.b(0x01, 0xD8);                                        //      add eax, ebx
        a.b(0x81, 0xFD).d(patchAt);                             //      cmp ebp, patchAt
        a.b(0x75, 10);                                          //      jne skip
        a.b(0xC7, 0x05).d(patchAddress).d(patchValue);          //      mov dword [patchAddress], patchValue
        a.b(0x4D, 0x0F, 0x85).d(Guest.CODE + 5 - (a.here() + 4)); // skip: dec ebp; jnz top
        a.b(0xF4);                                              //      hlt
        while (a.here() < FUNCTION) a.b(0xCC);
        a.b(0x43, 0x01, 0xCB, 0x83, 0xC1, 0x03, 0xC3);           // function: inc ebx; add ebx, ecx; add ecx, 3; ret
        return a.bytes();
    }

    @Test
    void aCallIntoAnotherPageStaysInTheUnit() {
        byte[] code = program(-1, Guest.DATA, 0);
        Guest interp = new Guest(code, -1, true);
        Guest jit = new Guest(code, 20, true);
        assertEquals(StopReason.HALTED, interp.cpu.run(1_000_000));
        assertEquals(StopReason.HALTED, jit.cpu.run(1_000_000));
        assertEquals(interp.snapshot(), jit.snapshot());
        assertTrue(jit.stats().instructionsExecuted > jit.cpu.instructions * 9 / 10,
                "compiled " + jit.stats().instructionsExecuted + " of " + jit.cpu.instructions);
        assertTrue(jit.stats().entries < LOOPS / 20, jit.stats().entries + " entries into compiled code for " + LOOPS + " loops");
    }

    @Test
    void theUnitLeavesWhereTheOtherPageIsMappedElsewhere() {
        byte[] code = program(-1, Guest.DATA, 0);
        Guest interp = new Guest(code, -1, true);
        Guest jit = new Guest(code, 20, true);
        int top = Guest.CODE + 5;
        for (Guest g : new Guest[] {interp, jit}) {
            // At the loop's head, the function's linear page is mapped to other code: sub ebx, 7; ret.
            g.cpu.physical.load(OTHER_FUNCTION, new byte[] {(byte) 0x83, (byte) 0xEB, 0x07, (byte) 0xC3}, 0, 4);
            g.runThenStopAt(5_000, top);
            g.cpu.physical.write32(Guest.PT + 4 * (FUNCTION >>> 12), OTHER_FUNCTION | 7);
            g.cpu.memory.invalidatePage(FUNCTION);
            long compiled = g == jit ? g.stats().instructionsExecuted : 0;
            assertEquals(StopReason.HALTED, g.cpu.run(1_000_000));
            if (g == jit) assertTrue(g.stats().instructionsExecuted > compiled + 1000, "compiled code ran after the change");
        }
        assertEquals(interp.snapshot(), jit.snapshot());
        Guest unchanged = new Guest(code, -1, true);
        assertEquals(StopReason.HALTED, unchanged.cpu.run(1_000_000));
        assertTrue(unchanged.cpu.state.gpr[CpuState.ECX] != jit.cpu.state.gpr[CpuState.ECX], "the other function ran");
    }

    @Test
    void aWriteToTheOtherPagesCodeDropsTheBody() {
        // Halfway the loop rewrites the function's "add ecx, 3" into "add ecx, 9".
        byte[] code = program(LOOPS / 2, FUNCTION + 3, 0xC309C183);
        Guest interp = new Guest(code, -1, true);
        Guest jit = new Guest(code, 20, true);
        assertEquals(StopReason.HALTED, interp.cpu.run(1_000_000));
        assertEquals(StopReason.HALTED, jit.cpu.run(1_000_000));
        assertEquals(interp.snapshot(), jit.snapshot());
        assertTrue(jit.stats().invalidations > 0, "the write dropped compiled code");
        assertTrue(jit.stats().instructionsExecuted > jit.cpu.instructions * 8 / 10,
                "compiled " + jit.stats().instructionsExecuted + " of " + jit.cpu.instructions);
    }
}
