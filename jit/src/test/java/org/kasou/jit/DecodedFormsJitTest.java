package org.kasou.jit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * The instructions the interpreter runs through its decoded-instruction fast forms
 * (DecodedFormOps: word register arithmetic, byte and word ALU with a memory source, PUSH m32,
 * DIV, one-operand IMUL, BSF/BSR, MOVZX/MOVSX of a byte into a word register, NEG/NOT of memory, CBW,
 * CLD/STD) in a loop, on the interpreter and with every block compiled at first sight: both
 * leave the same state (FastFormDifferentialTest checks the forms against the generic path).
 */
class DecodedFormsJitTest {
    private static byte[] loop() {
        Guest.Asm a = new Guest.Asm();
        a.b(0xBD).d(300);                                 // mov ebp, 300
        a.b(0xB9).d(7);                                   // mov ecx, 7
        int top = a.here();
        a.b(0x69, 0xC5).d(0x9E3779B1);                    // imul eax, ebp, 0x9e3779b1
        a.b(0x66, 0xF7, 0xD8);                            // neg ax
        a.b(0x66, 0xC1, 0xE8, 0x03);                      // shr ax, 3
        a.b(0x66, 0x85, 0xC0);                            // test ax, ax
        a.b(0x0F, 0x95, 0xC3);                            // setnz bl
        a.b(0x0A, 0x06);                                  // or al, [esi]
        a.b(0x66, 0x03, 0x46, 0x04);                      // add ax, [esi+4]
        a.b(0x66, 0x83, 0xD0, 0x05);                      // adc ax, 5
        a.b(0xFF, 0x36);                                  // push dword [esi]
        a.b(0x5A);                                        // pop edx
        a.b(0x31, 0xD2);                                  // xor edx, edx
        a.b(0xF7, 0xF1);                                  // div ecx
        a.b(0x01, 0xC7, 0x01, 0xD7);                      // add edi, eax; add edi, edx
        a.b(0xFE, 0xC3, 0xD0, 0xE3);                      // inc bl; shl bl, 1
        a.b(0x66, 0xC1, 0xC7, 0x05);                      // rol di, 5
        a.b(0xFD, 0xFC);                                  // std; cld
        a.b(0xF7, 0xED, 0x01, 0xD7);                      // imul ebp (EDX:EAX); add edi, edx
        a.b(0x0F, 0xBD, 0xD0, 0x01, 0xD7);                // bsr edx, eax; add edi, edx
        a.b(0x0F, 0xBC, 0x56, 0x08);                      // bsf edx, [esi+8] (zero: edx kept, ZF set)
        a.b(0x0F, 0x94, 0xC2, 0x01, 0xD7);                // setz dl; add edi, edx
        a.b(0x66, 0x0F, 0xBE, 0x46, 0x05);                // movsx ax, byte [esi+5]
        a.b(0x66, 0x0F, 0xB6, 0xD4);                      // movzx dx, ah
        a.b(0x66, 0x0F, 0xBE, 0xDC);                      // movsx bx, ah
        a.b(0x01, 0xC7, 0x01, 0xD7, 0x01, 0xDF);          // add edi, eax; add edi, edx; add edi, ebx
        a.b(0xF6, 0x5E, 0x05, 0x0F, 0x92, 0xC2);          // neg byte [esi+5]; setb dl
        a.b(0x01, 0xD7);                                  // add edi, edx
        a.b(0x66, 0xF7, 0x56, 0x06);                      // not word [esi+6]
        a.b(0xF7, 0x5E, 0x04, 0x19, 0xD2);                // neg dword [esi+4]; sbb edx, edx
        a.b(0x66, 0x98, 0x01, 0xC7, 0x01, 0xD7);          // cbw; add edi, eax; add edi, edx
        a.b(0x03, 0x7E, 0x04);                            // add edi, [esi+4]
        a.b(0x89, 0x3E);                                  // mov [esi], edi
        a.b(0x4D, 0x0F, 0x85).d(top - (a.here() + 4));    // dec ebp; jnz top
        a.b(0xF4);
        return a.bytes();
    }

    @Test
    void theInterpretersDecodedFormsAgreeWithCompiledCode() {
        Guest interp = new Guest(loop(), -1), jit = new Guest(loop(), 0);
        for (Guest g : new Guest[] {interp, jit}) {
            g.cpu.physical.write32(Guest.DATA, 0x12345678);
            g.cpu.physical.write32(Guest.DATA + 4, 0x9ABCDEF0);
            g.cpu.run(1_000_000);
        }
        assertTrue(interp.cpu.state.halted, "the guest ran to its HLT");
        assertEquals(interp.snapshot(), jit.snapshot());
        assertTrue(jit.stats().instructionsExecuted > 5_000, "compiled code ran " + jit.stats().instructionsExecuted);
    }
}
