package org.kasou.jit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.kasou.cpu.FpuState;

/**
 * x87 code in compiled units (X87 and X87_M kinds, which call X87Exec without spilling the
 * unit's registers; the memory forms of every escape, D8 to DF) against the interpreter: results, status and tag words, the last
 * instruction and operand pointers, memory, and faults in the middle of a unit.
 */
class X87FormsTest {
    /** A loop over a table of doubles addressed through ECX, mixing compiled and generic x87 forms. */
    private static byte[] loop(int iterations, int indexStep) {
        Guest.Asm a = new Guest.Asm();
        a.b(0xDB, 0xE3);                                  // fninit
        a.b(0xB9).d(0);                                   // mov ecx, 0
        a.b(0xBD).d(iterations);                          // mov ebp, iterations
        a.b(0xD9, 0xE8);                                  // fld1 (the running product)
        int top = a.here();
        a.b(0x89, 0xC8, 0x0F, 0xAF, 0xC1);                // mov eax, ecx; imul eax, ecx
        a.b(0x89, 0x84, 0x8E).d(0x400);                   // mov [esi+ecx*4+0x400], eax
        a.b(0xDB, 0x84, 0x8E).d(0x400);                   // fild dword [esi+ecx*4+0x400]
        a.b(0xD9, 0xFA);                                  // fsqrt
        a.b(0xDA, 0x84, 0x8E).d(0x400);                   // fiadd dword [esi+ecx*4+0x400]
        a.b(0xDE, 0x8C, 0x8E).d(0x400);                   // fimul word [esi+ecx*4+0x400]
        a.b(0xDF, 0x84, 0x8E).d(0x400);                   // fild word [esi+ecx*4+0x400]
        a.b(0xDE, 0xC1);                                  // faddp st(1), st
        a.b(0xD8, 0xC1);                                  // fadd st, st(1)
        a.b(0xDD, 0x14, 0xCE);                            // fst qword [esi+ecx*8]
        a.b(0xD8, 0x34, 0xCE);                            // fdiv dword [esi+ecx*8] (the low half as a float)
        a.b(0xDC, 0x0C, 0xCE);                            // fmul qword [esi+ecx*8]
        a.b(0xD9, 0x5C, 0xCE, 0x04);                      // fstp dword [esi+ecx*8+4]
        a.b(0xDC, 0x4C, 0xCE, 0x00);                      // fmul qword [esi+ecx*8]
        a.b(0xD9, 0xC9);                                  // fxch
        a.b(0xDF, 0xE0);                                  // fnstsw ax (through Exec)
        a.b(0x01, 0xC3);                                  // add ebx, eax
        a.b(0xDB, 0xF1);                                  // fcomi st, st(1) (through Exec)
        a.b(0x0F, 0x92, 0xC0, 0x01, 0xC7);                // setb al; add edi, eax
        a.b(0xD9, 0xC9);                                  // fxch
        a.b(0xDD, 0xD8);                                  // fstp st(0) (drop the sum)
        a.b(0xD9, 0xE1);                                  // fabs
        a.b(0xD9, 0xFC);                                  // frndint
        a.b(0x81, 0xC1).d(indexStep);                     // add ecx, step
        a.b(0x4D, 0x0F, 0x85).d(top - (a.here() + 4));    // dec ebp; jnz top
        a.b(0xDD, 0x9E).d(0x800);                         // fstp qword [esi+0x800]
        a.b(0xF4);
        return a.bytes();
    }

    private static String fpu(Guest g) {
        FpuState f = g.cpu.state.fpu;
        StringBuilder sb = new StringBuilder(String.format("sw=%04x cw=%04x tw=%04x fip=%08x fdp=%08x fop=%03x",
                f.statusWord(), f.control, f.tagWord(), f.fip, f.fdp, f.fop));
        for (int i = 0; i < 8; i++) sb.append(String.format(" %04x:%016x", f.se[i], f.sig[i]));
        return sb.toString();
    }

    @Test
    void compiledX87CodeAgreesWithTheInterpreter() {
        byte[] code = loop(300, 1);
        Guest interp = new Guest(code, -1), jit = new Guest(code, 0);
        interp.cpu.run(1_000_000);
        jit.cpu.run(1_000_000);
        assertTrue(interp.cpu.state.halted);
        assertEquals(interp.snapshot() + " " + fpu(interp), jit.snapshot() + " " + fpu(jit));
        assertTrue(jit.stats().instructionsExecuted > 5000, "compiled code ran " + jit.stats().instructionsExecuted);
    }

    /**
     * The index walks past the data segment's limit: the FST qword (a compiled X87_M) leaves its
     * unit there (an access off the fast path, as each new page's is) and faults with #GP, and the
     * fault frame, the registers and the x87 state must be those before that instruction.
     */
    @Test
    void aFaultingCompiledX87AccessLeavesThePreciseState() {
        int step = 0x2000; // the FILD at [esi+ecx*4+0x400] passes DATA_LIMIT in a few dozen iterations
        byte[] code = loop(1000, step);
        Guest interp = new Guest(code, -1), jit = new Guest(code, 0);
        interp.cpu.run(1_000_000);
        jit.cpu.run(1_000_000);
        assertTrue(interp.cpu.state.halted);
        assertEquals(interp.snapshot() + " " + fpu(interp), jit.snapshot() + " " + fpu(jit));
        assertTrue(jit.stats().instructionsExecuted > 50, "compiled code ran " + jit.stats().instructionsExecuted);
        assertTrue(jit.stats().slowExits > 0, "left off the fast path " + jit.stats().slowExits);
        int faultEip = jit.cpu.physical.read32(Guest.STACK_TOP - 12); // #GP's frame: error code, EIP, CS, EFLAGS
        assertEquals(0xCE14DD, jit.cpu.physical.read32(faultEip) & 0xFFFFFF, "the fault is the FST qword [esi+ecx*8]");
    }
}
