package org.kasou.jit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.kasou.cpu.StopReason;

/**
 * MOVS, LODS, STOS and SCAS without REP, compiled, against the interpreter: over bytes that are
 * not zero, forwards and (with STD) backwards, in all three element sizes.
 */
class StringInstructionsTest {
    /**
     * Fills 256 bytes at DATA with i * 37 + 11, then loops: ESI and EDI walk the buffer; each
     * turn LODS, SCAS (its flags folded into EDX through SETcc and ADC), MOVS and STOS.
     */
    private static byte[] program(int size, boolean backwards) {
        int prefix = size == 2 ? 0x66 : 0x90;
        int wide = size == 1 ? 0 : 1;
        Guest.Asm a = new Guest.Asm();
        a.b(0x31, 0xC9);                                         // xor ecx, ecx
        int fill = a.here();
        a.b(0x6B, 0xC1, 37, 0x83, 0xC0, 11);                    // fill: imul eax, ecx, 37; add eax, 11
        a.b(0x88, 0x04, 0x0E);                                   //       mov [esi+ecx], al
        a.b(0x41, 0x81, 0xF9).d(256);                            //       inc ecx; cmp ecx, 256
        a.b(0x75, fill - (a.here() + 2));                        //       jne fill
        a.b(0xBD).d(40);                                         // mov ebp, 40
        if (backwards) a.b(0xFD);                                // std
        int top = a.here();
        a.b(0x8D, 0x7E, 0x40);                                   // top: lea edi, [esi+64]
        a.b(prefix, 0xAC | wide);                                //      lods
        a.b(prefix, 0xAE | wide);                                //      scas
        a.b(0x0F, 0x92, 0xC3, 0x11, 0xDA);                       //      setb bl; adc edx, ebx
        a.b(0x0F, 0x94, 0xC3, 0x01, 0xDA);                       //      sete bl; add edx, ebx
        a.b(0x0F, 0x9C, 0xC3, 0x01, 0xDA);                       //      setl bl; add edx, ebx
        a.b(prefix, 0xA4 | wide);                                //      movs
        a.b(prefix, 0xAA | wide);                                //      stos
        a.b(0x01, 0xC2);                                         //      add edx, eax
        a.b(0x83, 0xC6, backwards ? 0x03 : 0x01);                //      add esi, 3 / 1 (walks the buffer)
        a.b(0x4D, 0x75, top - (a.here() + 2));                   //      dec ebp; jnz top
        a.b(0xF4);
        return a.bytes();
    }

    @Test
    void singleStringInstructionsAgreeWithTheInterpreter() {
        for (int size : new int[] {1, 2, 4}) {
            for (boolean backwards : new boolean[] {false, true}) {
                byte[] code = program(size, backwards);
                Guest interp = new Guest(code, -1);
                Guest jit = new Guest(code, 0);
                assertEquals(StopReason.HALTED, interp.cpu.run(100_000));
                assertEquals(StopReason.HALTED, jit.cpu.run(100_000));
                String where = "size " + size + (backwards ? " backwards" : "");
                assertEquals(interp.snapshot(), jit.snapshot(), where);
                assertTrue(jit.stats().instructionsExecuted > jit.cpu.instructions * 9 / 10,
                        where + ": compiled " + jit.stats().instructionsExecuted + " of " + jit.cpu.instructions);
            }
        }
    }
}
