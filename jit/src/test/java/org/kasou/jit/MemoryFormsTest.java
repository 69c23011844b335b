package org.kasou.jit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.kasou.cpu.Segment;

/**
 * Compiled read-modify-write and memory-operand forms against the interpreter on data that makes
 * their flags matter: a loop rewrites a dword with a changing value, applies the form, and folds
 * every flag that a SETcc or ADC can see into registers, so a wrong result or flag shows.
 */
class MemoryFormsTest {
    @ParameterizedTest
    @ValueSource(strings = {
            "C1 66 08 03", "C1 6E 08 05", "C1 7E 08 1F", "D1 66 08",        // shl/shr/sar dword [esi+8], imm
            "D3 66 08", "D3 6E 08", "D3 7E 08", "31 C9 D3 66 08",           // shl/shr/sar dword [esi+8], cl (and cl = 0)
            "11 5E 08", "19 5E 08", "83 56 08 7F", "83 5E 08 80",           // adc/sbb [esi+8], ebx / imm8
            "13 5E 08", "1B 5E 08",                                         // adc/sbb ebx, [esi+8]
            "F7 66 08", "0F AF 5E 08", "6B 5E 08 F3",                       // mul, imul ebx, [esi+8] (, imm8)
            "38 5E 08", "3A 5E 08", "20 7E 08", "80 76 08 A5", "84 5E 08",  // byte ALU/CMP/TEST with memory
            "0F 4C 5E 08", "0F 47 5E 08",                                   // cmovl/cmova ebx, [esi+8]
            "FF 76 08 5A",                                                  // push dword [esi+8]; pop edx
            "8B C1 31 D2 F7 76 08", "8B C1 99 F7 7E 08",                    // mov eax, ecx; div/idiv dword [esi+8]
            "8B C1 31 D2 F7 F3", "8B C1 99 F7 FB",                          // mov eax, ecx; div/idiv ebx
            "0F B7 5E 08", "0F BF 5E 0A", "66 8B 5E 09", "66 89 5E 07",     // movzx/movsx ebx, word; mov bx, word; mov word, bx
            "66 C7 46 08 34 92", "FF 46 08", "FF 4E 08",                    // mov word [esi+8], imm16; inc/dec dword [esi+8]
            "85 5E 08", "F7 46 08 00 00 00 80", "0F 94 46 08", "0F 9F 46 09", // test dword [esi+8], ebx / imm32; sete/setg byte
            "55 89 E5 8B 5D 00 C9", "87 D9", "98",                          // push ebp; mov ebp, esp; mov ebx, [ebp]; leave; xchg; cwde
            "66 C1 EB 05", "66 C1 E3 03", "66 C1 FB 0F", "66 C1 EB 11",     // shr bx, 5; shl bx, 3; sar bx, 15; shr bx, 17
            "B3 7F", "B7 80",                                               // mov bl, 0x7f; mov bh, 0x80
    })
    void agreesWithTheInterpreter(String form) {
        Guest.Asm a = new Guest.Asm();
        a.b(0xBD).d(200);                                 // mov ebp, 200
        int top = a.here();
        a.b(0x69, 0xFF).d(0x9E3779B1);                    // imul edi, edi, 0x9E3779B1
        a.b(0x81, 0xC7).d(0x7F4A7C15);                    // add edi, 0x7F4A7C15
        a.b(0x89, 0x7E, 0x08);                            // mov [esi+8], edi
        a.b(0x89, 0xFB, 0xC1, 0xCB, 0x0D);                // mov ebx, edi; ror ebx, 13
        a.b(0x39, 0xFB);                                  // cmp ebx, edi (flags in for ADC/SBB/CMOV)
        for (String h : form.split(" ")) a.b(Integer.parseInt(h, 16));
        for (int cc : new int[] {0x90, 0x92, 0x94, 0x98, 0x9A, 0x9C, 0x9E}) {
            a.b(0x0F, cc, 0xC0);                          // setcc al
            a.b(0x01, 0xC1, 0xD1, 0xC1);                  // add ecx, eax; rol ecx, 1
        }
        a.b(0x03, 0x4E, 0x08, 0x01, 0xD9);                // add ecx, [esi+8]; add ecx, ebx
        a.b(0x4D, 0x0F, 0x85).d(top - (a.here() + 4));    // dec ebp; jnz top
        a.b(0xF4);
        byte[] code = a.bytes();
        Guest interp = new Guest(code, -1), jit = new Guest(code, 0);
        interp.cpu.run(1_000_000);
        jit.cpu.run(1_000_000);
        assertEquals(interp.snapshot(), jit.snapshot(), form);
        JitStats st = JitEngine.of(jit.cpu).stats;
        assertTrue(st.instructionsExecuted > 1000, "compiled code ran " + st.instructionsExecuted + " of " + jit.cpu.instructions + ", units " + st.unitsCompiled + ", failures " + st.loadFailures);
    }

    /**
     * Each form alone in its unit, so that the registers it reads without naming them (CL for a
     * shift count, EAX and EDX for MUL, DIV and CDQ...) are read nowhere else and the flags it may
     * set are set nowhere else: the unit must load those registers and store those flags itself.
     */
    @ParameterizedTest
    @ValueSource(strings = {"D3 66 08", "D3 7E 08", "C1 66 08 03", "99", "98", "F7 66 08", "F7 76 08", "F7 7E 08",
            "F7 F1", "F7 F9", "0F A3 C8", "0F BA E1 03", "0F AF 46 08", "6B 4E 08 07", "FF 76 08", "6A 05", "0F 44 46 08",
            "66 89 4E 08", "0F B7 4E 08", "0F BF C1", "66 B9 34 12", "66 89 C8", "38 4E 08", "30 4E 08", "F7 D9",
            "F7 D1", "FF 46 08", "85 4E 08", "0F 94 46 08", "87 CA", "C9", "11 4E 08", "13 4E 08", "83 56 08 01",
            "66 C1 E9 05", "66 C1 F9 03", "B1 05", "B5 F0"})
    void readsTheRegistersItUsesAlone(String form) {
        Guest.Asm a = new Guest.Asm();
        a.b(0xC7, 0x46, 0x08).d(0x8123F4F1); // mov dword [esi+8], 0x8123F4F1
        for (String h : form.split(" ")) a.b(Integer.parseInt(h, 16));
        a.b(0xF4);
        byte[] code = a.bytes();
        Guest interp = new Guest(code, -1), jit = new Guest(code, 0);
        for (Guest g : new Guest[] {interp, jit}) {
            int[] r = g.cpu.state.gpr;
            r[org.kasou.cpu.CpuState.EAX] = 0x7654321;
            r[org.kasou.cpu.CpuState.ECX] = 0x1234567;
            r[org.kasou.cpu.CpuState.EDX] = 3;
            r[org.kasou.cpu.CpuState.EBX] = 0x5A5A5A5A;
            r[org.kasou.cpu.CpuState.EBP] = 0;
            g.touch(Segment.DS, Guest.DATA + 8);      // the operand's page
            g.touch(Segment.SS, Guest.STACK_TOP - 4); // PUSH's
            g.touch(Segment.SS, 0);                   // LEAVE's, from EBP
        }
        interp.cpu.run(100);
        jit.cpu.run(100);
        assertEquals(interp.snapshot(), jit.snapshot(), form);
        assertTrue(JitEngine.of(jit.cpu).stats.instructionsExecuted >= 2, "compiled code ran");
    }
}
