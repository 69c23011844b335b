package org.kasou.jit;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.kasou.isa.DecodedInsn;
import org.kasou.isa.Decoder;
import org.kasou.isa.HandlerSelector;

/** Forms the JIT compiles itself rather than through the interpreter's generic path. */
class KindsTest {
    private static int kind(int... bytes) {
        byte[] code = new byte[bytes.length];
        for (int i = 0; i < bytes.length; i++) code[i] = (byte) bytes[i];
        DecodedInsn d = new DecodedInsn();
        new Decoder().decode(d, Decoder.ofArray(code, 0), 0, true);
        HandlerSelector.select(d);
        return Kinds.classify(d, new Node(0));
    }

    @Test
    void sixteenBitShiftsByAnImmediateAndByteMovesOfAnImmediateAreCompiled() {
        assertEquals(Kinds.SHIFT16_RI, kind(0x66, 0xC1, 0xEA, 0x05)); // shr dx, 5
        assertEquals(Kinds.SHIFT16_RI, kind(0x66, 0xC1, 0xE0, 0x03)); // shl ax, 3
        assertEquals(Kinds.SHIFT16_RI, kind(0x66, 0xC1, 0xF8, 0x0F)); // sar ax, 15
        assertEquals(Kinds.SHIFT16_RI, kind(0x66, 0xC1, 0xC0, 0x08)); // rol ax, 8
        assertEquals(Kinds.SHIFT16_RI, kind(0x66, 0xC1, 0xC9, 0x03)); // ror cx, 3
        assertEquals(Kinds.GENERIC, kind(0x66, 0xC1, 0xD0, 0x03), "rcl ax, 3 is left to Exec");
        assertEquals(Kinds.MOV_RI8, kind(0xB0, 0x01)); // mov al, 1
        assertEquals(Kinds.MOV_RI8, kind(0xB7, 0x80)); // mov bh, 0x80
    }

    @Test
    void sixteenBitAluFormsAndTheDirectionFlagAreCompiled() {
        assertEquals(Kinds.WORD_ALU, kind(0x66, 0x85, 0xC0)); // test ax, ax
        assertEquals(Kinds.WORD_ALU, kind(0x66, 0x83, 0xE1, 0x0F)); // and cx, 15
        assertEquals(Kinds.WORD_ALU, kind(0x66, 0x39, 0xD8)); // cmp ax, bx
        assertEquals(Kinds.WORD_ALU_M, kind(0x66, 0x23, 0x46, 0x08)); // and ax, [esi+8]
        assertEquals(Kinds.WORD_ALU_M, kind(0x66, 0x39, 0x46, 0x08)); // cmp [esi+8], ax
        assertEquals(Kinds.WORD_ALU_M, kind(0x66, 0xF7, 0x46, 0x08, 0x00, 0x80)); // test word [esi+8], 0x8000
        assertEquals(Kinds.WORD_ALU, kind(0x66, 0x11, 0xD8)); // adc ax, bx
        assertEquals(Kinds.WORD_ALU, kind(0x66, 0x83, 0xD9, 0x01)); // sbb cx, 1
        assertEquals(Kinds.GENERIC, kind(0x66, 0x19, 0x46, 0x08), "sbb [esi+8], ax is left to Exec");
        assertEquals(Kinds.BYTE_ALU, kind(0x18, 0xC0)); // sbb al, al
        assertEquals(Kinds.BYTE_ALU, kind(0x80, 0xD4, 0x00)); // adc ah, 0
        assertEquals(Kinds.UNARY_SMALL, kind(0x66, 0xF7, 0xD8)); // neg ax
        assertEquals(Kinds.UNARY_SMALL, kind(0xF6, 0xD4)); // not ah
        assertEquals(Kinds.UNARY_SMALL, kind(0xFE, 0xC3)); // inc bl
        assertEquals(Kinds.UNARY_SMALL, kind(0x66, 0x49)); // dec cx
        assertEquals(Kinds.GENERIC, kind(0xFE, 0x46, 0x08), "inc byte [esi+8] is left to Exec");
        assertEquals(Kinds.DSHIFT, kind(0x0F, 0xAC, 0xD0, 0x05)); // shrd eax, edx, 5
        assertEquals(Kinds.DSHIFT, kind(0x0F, 0xA5, 0xD0)); // shld eax, edx, cl
        assertEquals(Kinds.GENERIC, kind(0x0F, 0xA4, 0xD0, 0x20), "shld by 32 (a zero count) is left to Exec");
        assertEquals(Kinds.BSWAP, kind(0x0F, 0xC8)); // bswap eax
        assertEquals(Kinds.MUL_R, kind(0xF7, 0xEB)); // imul ebx (EDX:EAX)
        assertEquals(Kinds.MUL_M, kind(0xF7, 0x2E)); // imul dword [esi]
        assertEquals(Kinds.BIT_SCAN_R, kind(0x0F, 0xBD, 0xC0)); // bsr eax, eax
        assertEquals(Kinds.BIT_SCAN_R, kind(0xF3, 0x0F, 0xBC, 0xC9)); // tzcnt ecx, ecx: bsf on a P6
        assertEquals(Kinds.BIT_SCAN_M, kind(0x0F, 0xBC, 0x06)); // bsf eax, [esi]
        assertEquals(Kinds.GENERIC, kind(0x66, 0x0F, 0xBC, 0xC1), "bsf ax, cx is left to Exec");
        assertEquals(Kinds.MOVX8_16_R, kind(0x66, 0x0F, 0xBE, 0xC7)); // movsx ax, bh
        assertEquals(Kinds.DSHIFT_M, kind(0x0F, 0xAD, 0x14, 0x24)); // shrd [esp], edx, cl
        assertEquals(Kinds.UNARY_M, kind(0xF6, 0x5B, 0x01)); // neg byte [ebx+1]
        assertEquals(Kinds.UNARY_M, kind(0x66, 0xF7, 0x16)); // not word [esi]
        assertEquals(Kinds.CWDE, kind(0x66, 0x98)); // cbw
        assertEquals(Kinds.DSHIFT_M, kind(0x0F, 0xA4, 0x06, 0x07)); // shld [esi], eax, 7
        assertEquals(Kinds.GENERIC, kind(0x0F, 0xA4, 0x06, 0x20), "shld [esi], eax, 32 (a zero count) is left to Exec");
        assertEquals(Kinds.MOVX8_16_M, kind(0x66, 0x0F, 0xB6, 0x43, 0x01)); // movzx ax, byte [ebx+1]
        assertEquals(Kinds.STRING, kind(0xA5)); // movsd
        assertEquals(Kinds.STRING, kind(0x66, 0xA5)); // movsw
        assertEquals(Kinds.STRING, kind(0xAC)); // lodsb
        assertEquals(Kinds.STRING, kind(0xAA)); // stosb
        assertEquals(Kinds.STRING, kind(0xAE)); // scasb
        assertEquals(Kinds.GENERIC, kind(0xF2, 0xAE), "repne scasb is left to Exec");
        assertEquals(Kinds.GENERIC, kind(0xF3, 0xA5), "rep movsd is left to Exec (its bulk copy)");
        assertEquals(Kinds.SET_DF, kind(0xFC)); // cld
        assertEquals(Kinds.SET_DF, kind(0xFD)); // std
    }

    @Test
    void x87FormsThatLeaveTheIntegerStateAloneAreCompiled() {
        assertEquals(Kinds.X87, kind(0xDC, 0xC9)); // fmul st(1), st
        assertEquals(Kinds.X87, kind(0xD9, 0xFA)); // fsqrt
        assertEquals(Kinds.X87, kind(0xDE, 0xC1)); // faddp
        assertEquals(Kinds.X87_M, kind(0xDD, 0x46, 0x08)); // fld qword [esi+8]
        assertEquals(Kinds.X87_M, kind(0xDD, 0x1C, 0xCE)); // fstp qword [esi+ecx*8]
        assertEquals(Kinds.X87_M, kind(0xDA, 0x46, 0x08)); // fiadd dword [esi+8]
        assertEquals(Kinds.GENERIC, kind(0xDF, 0xE0), "fnstsw ax writes AX");
        assertEquals(Kinds.GENERIC, kind(0xDF, 0xE9), "fucomip writes EFLAGS");
        assertEquals(Kinds.GENERIC, kind(0xDB, 0xF1), "fcomi writes EFLAGS");
        assertEquals(Kinds.GENERIC, kind(0xDA, 0xC1), "fcmovb reads EFLAGS");
        assertEquals(Kinds.GENERIC, kind(0xDB, 0xC1), "fcmovnb reads EFLAGS");
        assertEquals(Kinds.X87, kind(0xDA, 0xE9)); // fucompp
        assertEquals(-1, kind(0xDB, 0xE5), "FRSTPM (287 only) is #UD, as in the interpreter");
        assertEquals(Kinds.GENERIC, kind(0x0F, 0xAE, 0x06), "fxsave [esi] goes through Exec");
        assertEquals(Kinds.GENERIC, kind(0x0F, 0xAE, 0x0E), "fxrstor [esi] goes through Exec");
    }
}
