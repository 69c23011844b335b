package org.kasou.jit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.kasou.cpu.CpuState;
import org.kasou.cpu.StopReason;

/**
 * Instructions that compiled code runs through the interpreter's code see the exact count of
 * retired instructions: RDTSC without a machine clock reads it (one tick per instruction), in
 * the middle of units chained one after another.
 */
class InstructionCountTest {
    @Test
    void rdtscInCompiledCodeReadsTheInstructionCountTheInterpreterReads() {
        Guest.Asm a = new Guest.Asm();
        a.b(0x31, 0xFF);                                    // xor edi, edi
        a.b(0xB9).d(3000);                                  // mov ecx, 3000
        int top = a.here();
        a.b(0x0F, 0x31);                                    // rdtsc
        a.b(0x89, 0xC3);                                    // mov ebx, eax
        a.b(0x43);                                          // inc ebx
        a.b(0x43);                                          // inc ebx
        a.b(0x0F, 0x31);                                    // rdtsc
        a.b(0x29, 0xD8);                                    // sub eax, ebx
        a.b(0x01, 0xC7);                                    // add edi, eax
        a.b(0x0F, 0x31);                                    // rdtsc
        a.b(0x31, 0xC7);                                    // xor edi, eax (the count itself, not only differences)
        a.b(0xEB, 0x00);                                    // jmp $+2 (another block: units chain)
        a.b(0x49);                                          // dec ecx
        a.b(0x0F, 0x85).d(top - (a.here() + 4));            // jnz top
        a.b(0xF4);                                          // hlt
        byte[] code = a.bytes();
        Guest interp = new Guest(code, -1);
        Guest jit = new Guest(code, 5);
        assertEquals(StopReason.HALTED, interp.cpu.run(10_000_000));
        assertEquals(StopReason.HALTED, jit.cpu.run(10_000_000));
        assertEquals(interp.snapshot(), jit.snapshot());
        assertEquals(interp.cpu.state.gpr[CpuState.EDI], jit.cpu.state.gpr[CpuState.EDI]);
        JitStats st = jit.stats();
        assertTrue(st.instructionsExecuted > jit.cpu.instructions / 2, st.instructionsExecuted + " of " + jit.cpu.instructions + " compiled");
    }
}
