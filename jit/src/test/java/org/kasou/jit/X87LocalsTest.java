package org.kasou.jit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.kasou.cpu.FpuState;

/**
 * Units that keep the x87 stack in locals (X87Locals) against the interpreter: every form they
 * compile, with normal, denormal, zero and huge operands (so every exception flag and C1 come up),
 * the instructions around them that go through X87Exec and Exec, the cases they leave to the
 * interpreter (an empty operand, a full stack) and code with an unmasked exception, which such
 * units do not run.
 */
class X87LocalsTest {
    private static final double[] DOUBLES = {1.5, -2.25, 3.0e-310, 1e300, -0.0, 7.0, 0.1, 123456.789};
    private static final float[] FLOATS = {0.5f, -3.0f, 1e-40f, 2.5f, 1e30f, -0.125f, 3.3f, 9.0f};
    private static final int[] INTS = {1, -7, 0, 100000, -1, 3, Integer.MAX_VALUE, 42};

    /** The operand tables in the data page: doubles at +0, a quiet NaN at +0x40, floats at +0x100, integers at +0x180. */
    private static void tables(Guest g) {
        g.cpu.physical.write32(Guest.DATA + 0x40, 0);
        g.cpu.physical.write32(Guest.DATA + 0x44, 0x7FF80000);
        for (int i = 0; i < 8; i++) {
            long bits = Double.doubleToRawLongBits(DOUBLES[i]);
            g.cpu.physical.write32(Guest.DATA + 8 * i, (int) bits);
            g.cpu.physical.write32(Guest.DATA + 8 * i + 4, (int) (bits >>> 32));
            g.cpu.physical.write32(Guest.DATA + 0x100 + 4 * i, Float.floatToRawIntBits(FLOATS[i]));
            g.cpu.physical.write32(Guest.DATA + 0x180 + 4 * i, INTS[i]);
        }
    }

    /** A loop through every compiled form and a few that are not, ending with the stack as it began (one value). */
    private static byte[] everyForm(int iterations) {
        Guest.Asm a = new Guest.Asm();
        a.b(0xDB, 0xE3);                                  // fninit
        a.b(0x31, 0xC9);                                  // xor ecx, ecx
        a.b(0xBD).d(iterations);                          // mov ebp, iterations
        a.b(0xD9, 0xEE);                                  // fldz (the accumulator)
        int top = a.here();
        a.b(0x89, 0xC8, 0x83, 0xE0, 0x07);                // mov eax, ecx; and eax, 7
        a.b(0x89, 0xCA, 0x83, 0xE2, 0x3F);                // mov edx, ecx; and edx, 63
        a.b(0xDD, 0x04, 0xC6);                            // fld qword [esi+eax*8]
        a.b(0xD9, 0x84, 0x86).d(0x100);                   // fld dword [esi+eax*4+0x100]
        a.b(0xDB, 0x84, 0x86).d(0x180);                   // fild dword [esi+eax*4+0x180]
        a.b(0xD8, 0xC9);                                  // fmul st, st(1)
        a.b(0xDC, 0xC2);                                  // fadd st(2), st
        a.b(0xDE, 0xE9);                                  // fsubp st(1), st
        a.b(0xD9, 0xC1);                                  // fld st(1)
        a.b(0xD8, 0xF9);                                  // fdivr st, st(1)
        a.b(0xD9, 0xCA);                                  // fxch st(2) (clears C1, which the division may have set)
        a.b(0xDF, 0xE0, 0x01, 0xC3);                      // fnstsw ax; add ebx, eax
        a.b(0xD9, 0xFA);                                  // fsqrt
        a.b(0xD9, 0xE0);                                  // fchs
        a.b(0xD9, 0xE1);                                  // fabs
        a.b(0xDC, 0x04, 0xC6);                            // fadd qword [esi+eax*8]
        a.b(0xD8, 0xA4, 0x86).d(0x100);                   // fsub dword [esi+eax*4+0x100]
        a.b(0xD8, 0x8C, 0x86).d(0x100);                   // fmul dword [esi+eax*4+0x100]
        a.b(0xDC, 0x34, 0xC6);                            // fdiv qword [esi+eax*8]
        a.b(0xDC, 0x3C, 0xC6);                            // fdivr qword [esi+eax*8]
        a.b(0xD8, 0xAC, 0x86).d(0x100);                   // fsubr dword [esi+eax*4+0x100]
        a.b(0xD8, 0x84, 0x86).d(0x100);                   // fadd dword [esi+eax*4+0x100]
        a.b(0xDC, 0x24, 0xC6);                            // fsub qword [esi+eax*8]
        a.b(0xDC, 0x0C, 0xC6);                            // fmul qword [esi+eax*8]
        a.b(0xD8, 0xB4, 0x86).d(0x100);                   // fdiv dword [esi+eax*4+0x100]
        a.b(0xDC, 0x2C, 0xC6);                            // fsubr qword [esi+eax*8]
        a.b(0xD8, 0xBC, 0x86).d(0x100);                   // fdivr dword [esi+eax*4+0x100]
        a.b(0xDC, 0xE1);                                  // fsubr st(1), st (DC E8+i is FSUB: the reversed pair)
        a.b(0xDC, 0xF9);                                  // fdiv st(1), st
        a.b(0xD9, 0xE8);                                  // fld1
        a.b(0xDE, 0xC1);                                  // faddp st(1), st
        a.b(0xD9, 0xEB);                                  // fldpi
        a.b(0xDE, 0xC9);                                  // fmulp st(1), st
        a.b(0xDC, 0x14, 0xC6);                            // fcom qword [esi+eax*8]
        a.b(0xD8, 0x9C, 0x86).d(0x100);                   // fcomp dword [esi+eax*4+0x100]
        a.b(0xD9, 0xC0, 0xDF, 0xE9);                      // fld st(0); fucomip st, st(1)
        a.b(0x0F, 0x9A, 0xC0, 0x01, 0xC7);                // setp al; add edi, eax
        a.b(0x0F, 0x97, 0xC0, 0x01, 0xC7);                // seta al; add edi, eax
        a.b(0xD9, 0xC0, 0xD9, 0xC2, 0xDE, 0xD9);          // fld st(0); fld st(2); fcompp
        a.b(0xDF, 0xE0, 0x01, 0xC3);                      // fnstsw ax; add ebx, eax
        a.b(0xD9, 0xC1, 0xD9, 0xC1, 0xDA, 0xE9);          // fld st(1); fld st(1); fucompp
        a.b(0xDF, 0xE0, 0x01, 0xC3);                      // fnstsw ax; add ebx, eax
        a.b(0xDF, 0xE0, 0x09, 0x46, 0x50);                // fnstsw ax; or [esi+0x50], eax (every flag raised since the last FNCLEX)
        a.b(0xDB, 0xE2, 0xDD, 0x46, 0x40, 0xDD, 0xE9);    // fnclex; fld qword [esi+0x40] (a quiet NaN); fucomp st(1)
        a.b(0xDF, 0xE0, 0x01, 0xC3);                      // fnstsw ax; add ebx, eax (no IE)
        a.b(0xDB, 0xE2, 0xDD, 0x46, 0x40, 0xD8, 0xD9);    // fnclex; fld qword [esi+0x40]; fcomp st(1)
        a.b(0xDF, 0xE0, 0x01, 0xC3);                      // fnstsw ax; add ebx, eax (IE)
        a.b(0xD9, 0xE8);                                  // fld1
        a.b(0xDD, 0xE2);                                  // fucom st(2)
        a.b(0xD9, 0xC0, 0xDD, 0xEB);                      // fld st(0); fucomp st(3)
        a.b(0xDB, 0xF2, 0x0F, 0x92, 0xC0, 0x01, 0xC7);    // fcomi st, st(2); setb al; add edi, eax
        a.b(0xD9, 0xC0, 0xDF, 0xF3);                      // fld st(0); fcomip st, st(3)
        a.b(0x0F, 0x94, 0xC0, 0x01, 0xC7);                // sete al; add edi, eax
        a.b(0xDD, 0x94, 0xD6).d(0x400);                   // fst qword [esi+edx*8+0x400]
        a.b(0xD9, 0x94, 0x96).d(0x800);                   // fst dword [esi+edx*4+0x800]
        a.b(0xDD, 0x54, 0x24, 0xF0);                      // fst qword [esp-16] (a flat segment)
        a.b(0xDC, 0x44, 0x24, 0xF0);                      // fadd qword [esp-16]
        a.b(0xDF, 0xE0);                                  // fnstsw ax
        a.b(0x01, 0xC3);                                  // add ebx, eax
        a.b(0xDB, 0xF1);                                  // fcomi st, st(1)
        a.b(0x0F, 0x92, 0xC0, 0x01, 0xC7);                // setb al; add edi, eax
        a.b(0xD9, 0xEE, 0xD9, 0xE8);                      // fldz; fld1
        a.b(0xDB, 0xD1);                                  // fcmovnbe st, st(1) (on the flags of the add)
        a.b(0xDB, 0x56, 0x70, 0x03, 0x7E, 0x70);          // fist dword [esi+0x70]; add edi, [esi+0x70]
        a.b(0xD9, 0xE8, 0xDB, 0xF1);                      // fld1; fcomi st, st(1)
        a.b(0xDA, 0xCA, 0xDA, 0xC2, 0xDB, 0xD9);          // fcmove st, st(2); fcmovb st, st(2); fcmovnu st, st(1)
        a.b(0xDB, 0x56, 0x74, 0x03, 0x7E, 0x74);          // fist dword [esi+0x74]; add edi, [esi+0x74]
        a.b(0xDD, 0xD8, 0xDD, 0xD8, 0xDD, 0xD8);          // fstp st(0) three times
        a.b(0xDD, 0xD9);                                  // fstp st(1)
        a.b(0xDD, 0xD1);                                  // fst st(1)
        a.b(0xDF, 0xE0, 0x01, 0xC7);                      // fnstsw ax; add edi, eax
        a.b(0xD8, 0xD1);                                  // fcom st(1)
        a.b(0xD9, 0xE4);                                  // ftst (through X87Exec)
        a.b(0xDE, 0xC1);                                  // faddp st(1), st
        a.b(0xD9, 0xFC);                                  // frndint (through X87Exec)
        a.b(0xDE, 0xC1);                                  // faddp st(1), st
        a.b(0xD9, 0x7E, 0x60);                            // fnstcw [esi+0x60]
        a.b(0x66, 0x81, 0x4E, 0x60, 0x00, 0x0C);          // or word [esi+0x60], 0x0c00 (round toward zero)
        a.b(0xD9, 0x6E, 0x60);                            // fldcw [esi+0x60]
        a.b(0xD9, 0xC0);                                  // fld st(0)
        a.b(0xDB, 0x94, 0x96).d(0x600);                   // fist dword [esi+edx*4+0x600]
        a.b(0xDF, 0x9C, 0x56).d(0x900);                   // fistp word [esi+edx*2+0x900]
        a.b(0xD9, 0xC0);                                  // fld st(0)
        a.b(0xDF, 0xBC, 0xD6).d(0xC00);                   // fistp qword [esi+edx*8+0xc00]
        a.b(0x66, 0x81, 0x66, 0x60, 0xFF, 0xF3);          // and word [esi+0x60], 0xf3ff (to nearest)
        a.b(0xD9, 0x6E, 0x60);                            // fldcw [esi+0x60]
        a.b(0xDF, 0x84, 0x56).d(0x900);                   // fild word [esi+edx*2+0x900]
        a.b(0xDF, 0xAC, 0xD6).d(0xC00);                   // fild qword [esi+edx*8+0xc00]
        a.b(0xDF, 0x56, 0x64);                            // fist word [esi+0x64] (IE when it does not fit)
        a.b(0xDB, 0x56, 0x68);                            // fist dword [esi+0x68]
        a.b(0xDE, 0xC1, 0xDE, 0xC1);                      // faddp st(1), st; faddp st(1), st
        a.b(0xD9, 0xC0);                                  // fld st(0)
        a.b(0xDD, 0x9C, 0xD6).d(0xA00);                   // fstp qword [esi+edx*8+0xa00]
        a.b(0xD9, 0xC0);                                  // fld st(0)
        a.b(0xD9, 0x9C, 0x96).d(0xE00);                   // fstp dword [esi+edx*4+0xe00]
        a.b(0xD9, 0xC0);                                  // fld st(0)
        a.b(0xDB, 0x9C, 0x96).d(0xF00);                   // fistp dword [esi+edx*4+0xf00]
        a.b(0x41);                                        // inc ecx
        a.b(0x4D, 0x0F, 0x85).d(top - (a.here() + 4));    // dec ebp; jnz top
        a.b(0xF4);
        return a.bytes();
    }

    static String fpu(Guest g) {
        FpuState f = g.cpu.state.fpu;
        StringBuilder sb = new StringBuilder(String.format("sw=%04x cw=%04x tw=%04x fip=%08x fcs=%04x fdp=%08x fds=%04x fop=%03x",
                f.statusWord(), f.control, f.tagWord(), f.fip, f.fcs, f.fdp, f.fds, f.fop));
        for (int i = 0; i < 8; i++) sb.append(String.format(" %04x:%016x", f.se[i], f.sig[i]));
        return sb.toString();
    }

    /** Runs code on the interpreter and with every block compiled at first sight; returns the JIT's guest. */
    private static Guest bothAgree(byte[] code, int steps) {
        return bothAgree(code, steps, 0);
    }

    /** As above, the JIT compiling a block the {@code threshold}-th time it runs. */
    private static Guest bothAgree(byte[] code, int steps, int threshold) {
        Guest interp = new Guest(code, -1), jit = new Guest(code, threshold);
        tables(interp);
        tables(jit);
        interp.cpu.run(steps);
        jit.cpu.run(steps);
        assertTrue(interp.cpu.state.halted, "the guest ran to its HLT");
        assertEquals(interp.snapshot() + " " + fpu(interp), jit.snapshot() + " " + fpu(jit));
        return jit;
    }

    @Test
    void everyCompiledFormAgreesWithTheInterpreter() {
        Guest jit = bothAgree(everyForm(200), 1_000_000);
        assertTrue(jit.stats().x87LocalUnits > 0, "no unit kept the stack in locals");
        assertTrue(jit.stats().instructionsExecuted > 10_000, "compiled code ran " + jit.stats().instructionsExecuted);
    }

    @Test
    void theStatusFlagsCameUp() {
        Guest g = new Guest(everyForm(8), -1);
        tables(g);
        g.cpu.run(100_000);
        // invalid operations, denormal operands, rounding
        int seen = g.cpu.physical.read32(Guest.DATA + 0x50);
        assertEquals(0x23, seen & 0x23, "status words seen " + Integer.toHexString(seen));
    }

    /**
     * Each turn pushes one more value: the arithmetic finds ST(2) empty in the first turns, and the
     * ninth push finds the stack full. Those instructions are left to the interpreter, which gives
     * the masked responses (the indefinite, IE with SF and C1).
     */
    @Test
    void emptyOperandsAndAFullStackGoToTheInterpreter() {
        Guest.Asm a = new Guest.Asm();
        a.b(0xDB, 0xE3);                                  // fninit
        a.b(0xBD).d(12);                                  // mov ebp, 12
        int top = a.here();
        a.b(0xD9, 0xE8);                                  // fld1
        a.b(0xD8, 0xC2);                                  // fadd st, st(2)
        a.b(0xDC, 0xC3);                                  // fadd st(3), st
        a.b(0xD9, 0xCB);                                  // fxch st(3)
        a.b(0xDD, 0xD3);                                  // fst st(3)
        a.b(0xDD, 0x14, 0xAE);                            // fst qword [esi+ebp*8]
        a.b(0x4D, 0x0F, 0x85).d(top - (a.here() + 4));    // dec ebp; jnz top
        a.b(0xF4);
        Guest jit = bothAgree(a.bytes(), 100_000);
        assertTrue(jit.stats().x87LocalUnits > 0, "no unit kept the stack in locals");
    }

    /**
     * A dispatch through a table, as an interpreter's switch: the computed JMP guesses the
     * region's heads, and some of them (the loop's head, the join after the handlers) are reached
     * with another TOP than the jump's. Those guesses are dropped (the jump leaves the unit there)
     * instead of the whole region running its x87 instructions through X87Exec.
     */
    @Test
    void aComputedJumpsGuessesWithAnotherTopDoNotKeepTheStackOutOfLocals() {
        Guest.Asm a = new Guest.Asm();
        a.b(0xDB, 0xE3);                                  // fninit
        a.b(0xBD).d(300);                                 // mov ebp, 300
        a.b(0xD9, 0xEE);                                  // fldz (the accumulator)
        int top = a.here();
        a.b(0x89, 0xE8, 0x83, 0xE0, 0x01);                // mov eax, ebp; and eax, 1
        a.b(0xD9, 0xE8);                                  // fld1
        a.b(0xDC, 0x0C, 0xC6);                            // fmul qword [esi+eax*8]
        a.b(0xFF, 0xA4, 0x86).d(0x200);                   // jmp [esi+eax*4+0x200]
        int add = a.here();
        a.b(0xDE, 0xC1);                                  // faddp st(1), st
        a.b(0xEB, 0x02);                                  // jmp next
        int subtract = a.here();
        a.b(0xDE, 0xE9);                                  // fsubp st(1), st
        a.b(0x4D, 0x0F, 0x85).d(top - (a.here() + 4));    // next: dec ebp; jnz top
        a.b(0xDD, 0x5E, 0x70);                            // fstp qword [esi+0x70]
        a.b(0xF4);
        Guest interp = new Guest(a.bytes(), -1), jit = new Guest(a.bytes(), 0);
        for (Guest g : new Guest[] {interp, jit}) {
            tables(g);
            g.cpu.physical.write32(Guest.DATA + 0x200, add);
            g.cpu.physical.write32(Guest.DATA + 0x204, subtract);
            g.cpu.run(100_000);
        }
        assertTrue(interp.cpu.state.halted && interp.cpu.state.eip == a.here(), "the guest ran to its HLT");
        assertEquals(interp.snapshot() + " " + fpu(interp), jit.snapshot() + " " + fpu(jit));
        // every unit (the start, and the loop from each handler) holds x87 instructions
        assertEquals(jit.stats().unitsCompiled, jit.stats().x87LocalUnits, "units with the stack in locals");
        assertTrue(jit.stats().unitsCompiled >= 2, "units compiled: " + jit.stats().unitsCompiled);
    }

    /**
     * A loop runs with two values on the stack, then again with one, compiled: FADD finds ST(1)
     * empty, two instructions into the loop's segment, and the unit leaves before it with those two retired
     * (the exit that x87 checks share takes the count and EIP from the fault tables); the
     * interpreter then gives the masked stack fault.
     */
    @Test
    void aLeaveInsideASegmentRetiresTheInstructionsBeforeIt() {
        Guest.Asm a = new Guest.Asm();
        a.b(0xDB, 0xE3);                                  // fninit
        a.b(0xD9, 0xE8, 0xD9, 0xE8);                      // fld1; fld1
        a.b(0xBF).d(2);                                   // mov edi, 2
        int phase = a.here();
        a.b(0xBD).d(20);                                  // mov ebp, 20
        int loop = a.here();
        a.b(0x43);                                        // inc ebx
        a.b(0x83, 0xC2, 0x03);                            // add edx, 3
        a.b(0xD8, 0xC1);                                  // fadd st, st(1)
        a.b(0x4D);                                        // dec ebp
        a.b(0x75, 0x100 - (a.here() + 2 - loop));         // jnz loop
        a.b(0xDD, 0xC1);                                  // ffree st(1): one value fewer, TOP unmoved
        a.b(0x4F);                                        // dec edi
        a.b(0x75, 0x100 - (a.here() + 2 - phase));        // jnz phase
        a.b(0xDF, 0xE0);                                  // fnstsw ax
        a.b(0xF4);
        // Compiled when the loop comes the second time (a block that loops in place counts once).
        Guest jit = bothAgree(a.bytes(), 100_000, 1);
        assertTrue(jit.stats().x87LocalUnits > 0, "no unit kept the stack in locals");
        assertEquals(0x41, jit.cpu.state.gpr[org.kasou.cpu.CpuState.EAX] & 0x41, "IE and SF: the stack fault");
        assertEquals(40, jit.cpu.state.gpr[org.kasou.cpu.CpuState.EBX], "a turn each");
    }

    /**
     * Each arithmetic form with a float32 or float64 operand in memory, on finite operands, its
     * result stored whole (80 bits) at an address of its own: every result is compared, not only what
     * reaches the end of a longer computation (where a NaN or a rounding can hide a wrong one).
     */
    /**
     * FCOMIP and FUCOMIP leave all six flags known (OP_KNOWN): every condition after them, the
     * carry ADC takes, and the flags IMUL and BT keep, as the interpreter has them (unordered
     * compares with the NaN included).
     */
    @Test
    void conditionsAfterACompareIntoEflagsAgreeWithTheInterpreter() {
        int[] compare = {0xDD, 0x04, 0xC6, 0xDD, 0x04, 0xD6, 0xDF, 0xF1, 0xDD, 0xD8}; // fld [esi+eax*8]; fld [esi+edx*8]; fcomip; fstp st0
        Guest.Asm a = new Guest.Asm();
        a.b(0xDB, 0xE3);                                  // fninit
        a.b(0x31, 0xC9);                                  // xor ecx, ecx
        a.b(0xBD).d(64);                                  // mov ebp, 64
        int top = a.here();
        a.b(0x89, 0xC8, 0x83, 0xE0, 0x07);                // mov eax, ecx; and eax, 7
        a.b(0x89, 0xEA, 0x83, 0xE2, 0x07);                // mov edx, ebp; and edx, 7
        for (int cc = 0; cc < 16; cc++) {
            a.b(0xDD, 0x04, 0xC6);                        // fld qword [esi+eax*8]
            if (cc % 4 == 3) a.b(0xDD, 0x46, 0x40);       // fld qword [esi+0x40] (the NaN: unordered)
            else a.b(0xDD, 0x04, 0xD6);                   // fld qword [esi+edx*8]
            a.b(0xDF, cc % 2 == 0 ? 0xF1 : 0xE9);         // fcomip / fucomip st, st(1)
            a.b(0xDD, 0xD8);                              // fstp st(0)
            a.b(0x0F, 0x90 + cc, 0xC3);                   // setcc bl
            a.b(0x01, 0xDF, 0xC1, 0xC7, 0x03);            // add edi, ebx; rol edi, 3
        }
        a.b(compare).b(0x83, 0xD7, 0x00);                 // ...; adc edi, 0
        a.b(compare).b(0x0F, 0xAF, 0xCA);                 // ...; imul ecx, edx
        a.b(0x9C, 0x5B, 0x01, 0xDF);                      // pushfd; pop ebx; add edi, ebx
        a.b(compare).b(0x0F, 0xA3, 0xC7);                 // ...; bt edi, eax
        a.b(0x9C, 0x5B, 0x01, 0xDF);                      // pushfd; pop ebx; add edi, ebx
        a.b(0x41);                                        // inc ecx
        a.b(0x4D, 0x0F, 0x85).d(top - (a.here() + 4));    // dec ebp; jnz top
        a.b(0xF4);
        Guest jit = bothAgree(a.bytes(), 200_000, 1);
        assertTrue(jit.stats().x87LocalUnits > 0, "no unit kept the stack in locals");
        assertTrue(jit.stats().instructionsExecuted > 5_000, "compiled code ran " + jit.stats().instructionsExecuted);
    }

    @Test
    void memoryOperandArithmeticGivesTheInterpretersResults() {
        Guest.Asm a = new Guest.Asm();
        a.b(0xDB, 0xE3);                                  // fninit
        a.b(0xBD).d(40);                                  // mov ebp, 40
        int top = a.here();
        a.b(0x89, 0xE8, 0x83, 0xE0, 0x01);                // mov eax, ebp; and eax, 1 (operands 0 and 1: 1.5 and -2.25, 0.5 and -3.0)
        a.b(0x89, 0xC2, 0xC1, 0xE2, 0x04);                // mov edx, eax; shl edx, 4
        int[][] forms = {
            {0xD8, 0x04}, {0xD8, 0x0C}, {0xD8, 0x24}, {0xD8, 0x2C}, {0xD8, 0x34}, {0xD8, 0x3C}, // fadd ... fdivr dword
            {0xDC, 0x04}, {0xDC, 0x0C}, {0xDC, 0x24}, {0xDC, 0x2C}, {0xDC, 0x34}, {0xDC, 0x3C}, // fadd ... fdivr qword
        };
        for (int k = 0; k < forms.length; k++) {
            boolean wide = forms[k][0] == 0xDC;
            a.b(0xDD, 0x46, 0x38);                        // fld qword [esi+0x38] (123456.789)
            if (wide) a.b(forms[k][0], forms[k][1], 0xC6); // op qword [esi+eax*8]
            else a.b(forms[k][0], forms[k][1] | 0x80, 0x86).d(0x100); // op dword [esi+eax*4+0x100]
            a.b(0xDB, 0xBC, 0x16).d(0x200 + 32 * k);      // fstp tword [esi+edx+0x200+32k]
        }
        a.b(0xDF, 0xE0, 0x01, 0xC3);                      // fnstsw ax; add ebx, eax
        a.b(0x4D, 0x0F, 0x85).d(top - (a.here() + 4));    // dec ebp; jnz top
        a.b(0xF4);
        Guest jit = bothAgree(a.bytes(), 100_000, 1);
        assertTrue(jit.stats().x87LocalUnits > 0, "no unit kept the stack in locals");
        // fdivr qword with 1.5: 1.5 / 123456.789, its significand's top 32 bits
        int high = jit.cpu.physical.read32(Guest.DATA + 0x200 + 32 * 11 + 4);
        assertEquals((int) (Double.doubleToRawLongBits(1.5 / 123456.789) >>> 21) | 0x80000000, high);
    }

    /** With the zero-divide exception unmasked the units step aside: the error is pending, then reported as #MF. */
    @Test
    void anUnmaskedExceptionIsTheInterpretersToReport() {
        Guest.Asm a = new Guest.Asm();
        a.b(0x0F, 0x20, 0xC0, 0x83, 0xC8, 0x20, 0x0F, 0x22, 0xC0); // mov eax, cr0; or eax, 0x20 (NE); mov cr0, eax
        a.b(0xDB, 0xE3);                                  // fninit
        a.b(0xC7, 0x46, 0x40).d(0x37B);                   // mov dword [esi+0x40], 0x37b (ZE unmasked)
        a.b(0xBD).d(50);                                  // mov ebp, 50
        int top = a.here();
        a.b(0xD9, 0xE8);                                  // fld1
        a.b(0xDC, 0x0E);                                  // fmul qword [esi]
        a.b(0xDD, 0x5E, 0x08);                            // fstp qword [esi+8]
        a.b(0x4D, 0x83, 0xFD, 0x05);                      // dec ebp; cmp ebp, 5
        a.b(0x75, 0x03);                                  // jne +3
        a.b(0xD9, 0x6E, 0x40);                            // fldcw [esi+0x40]
        a.b(0x85, 0xED);                                  // test ebp, ebp
        a.b(0x75, 0x100 - (a.here() + 2 - top));          // jnz top
        a.b(0xD9, 0xEE, 0xD9, 0xE8, 0xDE, 0xF1);          // fldz; fld1; fdivrp st(1), st (1/0)
        a.b(0xD9, 0xE8);                                  // fld1: #MF
        a.b(0xF4);
        Guest jit = bothAgree(a.bytes(), 100_000);
        assertEquals(Guest.HANDLER + 1, jit.cpu.state.eip, "the #MF handler's HLT");
    }
}
