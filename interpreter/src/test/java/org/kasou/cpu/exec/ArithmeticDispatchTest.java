package org.kasou.cpu.exec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.kasou.cpu.CpuState.EAX;
import static org.kasou.cpu.CpuState.EBX;
import static org.kasou.cpu.CpuState.ECX;
import static org.kasou.cpu.CpuState.EDX;
import static org.kasou.cpu.CpuState.ESI;
import static org.kasou.cpu.CpuState.EDI;
import static org.kasou.cpu.CpuState.EBP;

import org.junit.jupiter.api.Test;
import org.kasou.cpu.Flags;
import org.kasou.cpu.LazyFlags;

/** Arithmetic families through the decoder and dispatch: every operand form and size reaches the right helper. */
class ArithmeticDispatchTest {
    private static int flags(GuestHarness h) {
        return LazyFlags.arith(h.s);
    }

    @Test
    void aluFormsAndSizes() {
        GuestHarness h = GuestHarness.flat32();
        h.phys.write32(0x2000, 100);
        h.phys.write32(0x2004, 0x1234FFFF);
        h.runToHlt("B8 0A 00 00 00 03 05 00 20 00 00 83 2D 00 20 00 00 03 BB F0 00 00 00 80 E3 3C 80 CF 81 66 31 C9 66 83 05 04 20 00 00 01 66 83 D1 00 BA 05 00 00 00 83 DA 01 83 3D 00 20 00 00 61 0F 94 05 00 30 00 00 BE FF FF FF 7F 83 C6 01 0F 90 05 01 30 00 00" /* mov eax,10; add eax,[0x2000]; sub dword [0x2000],3; mov ebx,0xF0; and bl,0x3C; or bh,0x81; xor cx,cx; add word [0x2004],1; adc cx,0; mov edx,5; sbb edx,1; cmp dword [0x2000],97; sete [0x3000]; mov esi,0x7FFFFFFF; add esi,1; seto [0x3001] */);
        assertEquals(110, h.r[EAX]);
        assertEquals(97, h.read32(0x2000));
        assertEquals(0x8130, h.r[EBX] & 0xFFFF);
        assertEquals(0x12340000, h.read32(0x2004)); // the word add leaves the high word alone
        assertEquals(1, h.r[ECX] & 0xFFFF); // the word add carried out
        assertEquals(4, h.r[EDX]);
        assertEquals(1, h.phys.read8(0x3000));
        assertEquals(1, h.phys.read8(0x3001));
    }

    @Test
    void unaryOps() {
        GuestHarness h = GuestHarness.flat32();
        h.phys.write8(0x2000, 0xFF);
        h.runToHlt("F9 FE 05 00 20 00 00 0F 92 05 00 30 00 00 0F 94 05 01 30 00 00 B8 01 00 00 00 F7 D8 0F 92 05 02 30 00 00 BB 0F 0F 00 00 66 F7 D3 49" /* stc; inc byte [0x2000]; setc [0x3000]; setz [0x3001]; mov eax,1; neg eax; setc [0x3002]; mov ebx,0x0F0F; not bx; dec ecx */);
        assertEquals(0, h.phys.read8(0x2000));
        assertEquals(1, h.phys.read8(0x3000)); // INC keeps CF
        assertEquals(1, h.phys.read8(0x3001));
        assertEquals(-1, h.r[EAX]);
        assertEquals(1, h.phys.read8(0x3002));
        assertEquals(0xF0F0, h.r[EBX] & 0xFFFF);
    }

    @Test
    void shiftsAndRotates() {
        GuestHarness h = GuestHarness.flat32();
        h.phys.write32(0x2000, 0x80000001);
        h.runToHlt("B8 01 00 00 80 D1 E0 0F 92 05 00 30 00 00 BB 00 00 00 80 C1 FB 04 B9 08 00 00 00 BA 78 56 34 12 D3 C2 D1 2D 00 20 00 00 0F 92 05 01 30 00 00 BE 01 00 00 00 C1 EE 00 BF 81 00 00 00 66 D1 DF BD 44 33 22 11 0F A4 D5 08 B1 00 D3 E0" /* mov eax,0x80000001; shl eax,1; setc [0x3000]; mov ebx,0x80000000; sar ebx,4; mov ecx,8; mov edx,0x12345678; rol edx,cl; shr dword [0x2000],1; setc [0x3001]; mov esi,1; shr esi,0; mov edi,0x81; rcr di,1; mov ebp,0x11223344; shld ebp,edx,8; mov cl,0; shl eax,cl */);
        assertEquals(2, h.r[EAX]);
        assertEquals(1, h.phys.read8(0x3000));
        assertEquals(0xF8000000, h.r[EBX]);
        assertEquals(0x34567812, h.r[EDX]);
        assertEquals(0x40000000, h.read32(0x2000));
        assertEquals(1, h.phys.read8(0x3001));
        assertEquals(1, h.r[ESI]);
        assertEquals(0x8040, h.r[EDI] & 0xFFFF); // CF was 1 from the SHR: rotated into bit 15
        assertEquals(0x22334434, h.r[EBP]);
    }

    @Test
    void multiplyAndDivide() {
        GuestHarness h = GuestHarness.flat32();
        h.runToHlt("B8 00 00 01 00 B9 00 00 01 00 F7 E1 89 D6 89 C7 B8 FA FF FF FF BB 07 00 00 00 F7 EB 89 C5 6B CB FD B8 64 00 00 00 31 D2 BB 07 00 00 00 F7 F3 88 D3" /* mov eax,0x10000; mov ecx,0x10000; mul ecx; mov esi,edx; mov edi,eax; mov eax,-6; mov ebx,7; imul ebx; mov ebp,eax; imul ecx,ebx,-3; mov eax,100; xor edx,edx; mov ebx,7; div ebx; mov bl,dl */);
        assertEquals(1, h.r[ESI]);
        assertEquals(0, h.r[EDI]);
        assertEquals(-42, h.r[EBP]);
        assertEquals(-21, h.r[ECX]);
        assertEquals(14, h.r[EAX]);
        assertEquals(2, h.r[EBX] & 0xFF);
    }

    @Test
    void bcdAndBits() {
        GuestHarness h = GuestHarness.flat32();
        h.phys.write32(0x2000, 0);
        h.runToHlt("B0 19 04 28 27 88 C3 B0 2F D4 0A 66 89 C1 BA 23 00 00 00 0F AB 15 00 20 00 00 0F BA 25 00 20 00 00 03 0F 92 05 00 30 00 00 BE F0 00 00 00 0F BC FE 0F BD EE" /* mov al,0x19; add al,0x28; daa; mov bl,al; mov al,47; aam; mov cx,ax; mov edx,35; bts [0x2000],edx; bt dword [0x2000],3; setc [0x3000]; mov esi,0x00F0; bsf edi,esi; bsr ebp,esi */);
        assertEquals(0x47, h.r[EBX] & 0xFF);
        assertEquals(0x0407, h.r[ECX] & 0xFFFF);
        assertEquals(8, h.phys.read32(0x2004)); // bit 35 is bit 3 of the next dword
        assertEquals(0, h.phys.read8(0x3000));
        assertEquals(4, h.r[EDI]);
        assertEquals(7, h.r[EBP]);
        assertEquals(0, flags(h) & Flags.ZF);
    }

    @Test
    void byteRegisterForms() {
        GuestHarness h = GuestHarness.flat32();
        h.runToHlt("B8 80 00 00 00 BB 80 00 00 00 00 D8 0F 92 05 00 30 00 00 0F 90 05 01 30 00 00 B9 00 05 00 00 BA 03 00 00 00 F9 18 D1 F6 C5 04 0F 95 05 02 30 00 00 84 F6 0F 94 05 03 30 00 00 38 CD 0F 92 05 04 30 00 00 30 ED" /* mov eax,0x80; mov ebx,0x80; add al,bl; setc [0x3000]; seto [0x3001]; mov ecx,0x500; mov edx,3; stc; sbb cl,dl; test ch,4; setnz [0x3002]; test dh,dh; setz [0x3003]; cmp ch,cl; setb [0x3004]; xor ch,ch */);
        assertEquals(0, h.r[EAX] & 0xFF);
        assertEquals(1, h.phys.read8(0x3000));
        assertEquals(1, h.phys.read8(0x3001));
        assertEquals(0x00FC, h.r[ECX] & 0xFFFF);
        assertEquals(1, h.phys.read8(0x3002));
        assertEquals(1, h.phys.read8(0x3003));
        assertEquals(1, h.phys.read8(0x3004)); // 5 < 0xFC unsigned
    }

    @Test
    void shiftByZeroKeepsTheFlags() {
        GuestHarness h = GuestHarness.flat32();
        h.runToHlt("B8 5A 05 00 00 83 E0 FE C1 E2 00 0F 9A 05 00 30 00 00 0F 98 05 01 30 00 00 B9 20 00 00 00 D3 F8 0F 9A 05 02 30 00 00" /* mov eax,0x55A; and eax,0xfffffffe; shl edx,0; setp [0x3000]; sets [0x3001]; mov ecx,32; sar eax,cl; setp [0x3002] */);
        assertEquals(1, h.phys.read8(0x3000)); // PF of 0x5A (four bits set) from the AND
        assertEquals(0, h.phys.read8(0x3001));
        assertEquals(1, h.phys.read8(0x3002)); // a CL count of 32 is 0 after masking
        assertEquals(0x55A, h.r[EAX]);
    }
}
