package org.kasou.cpu.exec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.kasou.cpu.CpuState.EAX;
import static org.kasou.cpu.CpuState.EBX;
import static org.kasou.cpu.CpuState.ECX;
import static org.kasou.cpu.CpuState.EDX;
import static org.kasou.cpu.CpuState.ESI;
import static org.kasou.cpu.CpuState.EDI;

import org.junit.jupiter.api.Test;
import org.kasou.cpu.Flags;
import org.kasou.cpu.LazyFlags;
import org.kasou.cpu.Segment;
import org.kasou.cpu.StopReason;

/** MOV in all its forms, MOVZX/MOVSX, LEA, XCHG, XLAT, CBW..CDQ, CMOVcc, SETcc, BSWAP, CMPXCHG(8B), XADD. */
class DataMovementTest {
    @Test
    void movForms() {
        GuestHarness h = GuestHarness.flat32();
        h.phys.write32(0x1234, 0xCAFEBABE);
        assertEquals(StopReason.HALTED, h.runToHlt("A1 34 12 00 00 BB 44 33 22 11 88 DC 88 F9 89 1D 00 20 00 00 66 C7 05 04 20 00 00 EF BE C6 05 06 20 00 00 7F 89 C2 B6 99" /* mov eax,[0x1234]; mov ebx,0x11223344; mov ah,bl; mov cl,bh; mov [0x2000],ebx; mov word [0x2004],0xBEEF; mov byte [0x2006],0x7F; mov edx,eax; mov dh,0x99 */));
        assertEquals(0xCAFE44BE, h.r[EAX]);
        assertEquals(0x33, h.r[ECX] & 0xFF);
        assertEquals(0x11223344, h.read32(0x2000));
        assertEquals(0x7FBEEF, h.read32(0x2004) & 0xFFFFFF);
        assertEquals(0xCAFE99BE, h.r[EDX]);
    }

    @Test
    void moffsAndSegmentOverride() {
        GuestHarness h = GuestHarness.flat32();
        h.s.seg[Segment.FS].base = 0x3000;
        h.phys.write32(0x3010, 0x55667788);
        h.runToHlt("64 A1 10 00 00 00 A3 00 40 00 00 A0 01 40 00 00 64 66 A3 20 00 00 00" /* mov eax,[fs:0x10]; mov [0x4000],eax; mov al,[0x4001]; mov [fs:0x20],ax */);
        assertEquals(0x55667777, h.r[EAX]);
        assertEquals(0x7777, h.phys.read16(0x3020));
    }

    @Test
    void segmentRegistersInRealMode() {
        GuestHarness h = GuestHarness.real();
        h.runToHlt("B8 34 12 8E C0 8C C3 26 C7 06 10 00 CD AB 8C DA 8C 06 20 00" /* mov ax,0x1234; mov es,ax; mov bx,es; mov word [es:0x10],0xABCD; mov dx,ds; mov [0x20],es */);
        assertEquals(0x1234, h.s.seg[Segment.ES].selector);
        assertEquals(0x12340, h.s.seg[Segment.ES].base);
        assertEquals(0x1234, h.r[EBX] & 0xFFFF);
        assertEquals(0xABCD, h.phys.read16(0x12350));
        assertEquals(0x2000, h.r[EDX] & 0xFFFF);
        assertEquals(0x1234, h.phys.read16(0x20020));
    }

    @Test
    void movToCsIsUndefined() {
        GuestHarness h = GuestHarness.flat32();
        h.runToHlt("8E C8"); // mov cs,eax
        assertEquals(6, h.deliveredVector());
    }

    @Test
    void zeroAndSignExtension() {
        GuestHarness h = GuestHarness.flat32();
        h.phys.write32(0x2000, 0x8081F0F1);
        h.runToHlt("BE 00 20 00 00 0F B6 06 0F BE 1E 0F B7 4E 02 0F BF 56 02 66 0F BE FB" /* mov esi,0x2000; movzx eax,byte [esi]; movsx ebx,byte [esi]; movzx ecx,word [esi+2]; movsx edx,word [esi+2]; movsx di,bl */);
        assertEquals(0xF1, h.r[EAX]);
        assertEquals(0xFFFFFFF1, h.r[EBX]);
        assertEquals(0x8081, h.r[ECX]);
        assertEquals(0xFFFF8081, h.r[EDX]);
        assertEquals(0xFFF1, h.r[EDI] & 0xFFFF);
    }

    @Test
    void leaWithSibAnd16BitWrap() {
        GuestHarness h = GuestHarness.flat32();
        h.r[EBX] = 0x1000;
        h.r[ESI] = 0x20;
        h.runToHlt("8D 44 B3 10 66 8D 8C F3 00 E0 FF FF 8D 14 00" /* lea eax,[ebx+esi*4+0x10]; lea cx,[ebx+esi*8-0x2000]; lea edx,[eax*2] */);
        assertEquals(0x1090, h.r[EAX]);
        assertEquals((0x1000 + 0x100 - 0x2000) & 0xFFFF, h.r[ECX] & 0xFFFF);
        assertEquals(0x2120, h.r[EDX]);
        GuestHarness r = GuestHarness.real();
        r.r[EBX] = 0xFFF0;
        r.r[ESI] = 0x20;
        r.runToHlt("8D 40 05" /* lea ax,[bx+si+0x5] */);
        assertEquals(0x15, r.r[EAX] & 0xFFFF); // 16-bit addresses wrap
    }

    @Test
    void xchgAndXlat() {
        GuestHarness h = GuestHarness.flat32();
        h.phys.write32(0x2000, 0x12345678);
        h.phys.write8(0x3005, 0xAB);
        h.runToHlt("B8 01 00 00 00 B9 02 00 00 00 91 BA 03 00 00 00 87 15 00 20 00 00 BB 00 30 00 00 B0 05 D7 86 DF" /* mov eax,1; mov ecx,2; xchg eax,ecx; mov edx,3; xchg [0x2000],edx; mov ebx,0x3000; mov al,5; xlatb; xchg bl,bh */);
        assertEquals(0xAB, h.r[EAX] & 0xFF);
        assertEquals(1, h.r[ECX]);
        assertEquals(0x12345678, h.r[EDX]);
        assertEquals(3, h.read32(0x2000));
        assertEquals(0x0030, h.r[EBX] & 0xFFFF);
    }

    @Test
    void signExtensionOfAccumulator() {
        GuestHarness h = GuestHarness.flat32();
        h.runToHlt("B8 80 12 00 00 66 98 89 C3 B8 00 80 00 00 98 89 C1 99 89 D6 B8 FF 7F 00 00 66 99" /* mov eax,0x1280; cbw; mov ebx,eax; mov eax,0x8000; cwde; mov ecx,eax; cdq; mov esi,edx; mov eax,0x7FFF; cwd */);
        assertEquals(0xFF80, h.r[EBX] & 0xFFFF);
        assertEquals(0xFFFF8000, h.r[ECX]);
        assertEquals(0xFFFFFFFF, h.r[ESI]);
        assertEquals(0, h.r[EDX] & 0xFFFF);
    }

    @Test
    void cmovAndSetcc() {
        GuestHarness h = GuestHarness.flat32();
        h.runToHlt("B8 05 00 00 00 BB 07 00 00 00 B9 01 00 00 00 BA 02 00 00 00 39 D8 0F 4C CB 0F 4F D3 0F 92 05 00 20 00 00 0F 94 05 01 20 00 00 0F 93 C4" /* mov eax,5; mov ebx,7; mov ecx,1; mov edx,2; cmp eax,ebx; cmovl ecx,ebx; cmovg edx,ebx; setb [0x2000]; setz [0x2001]; setae ah */);
        assertEquals(7, h.r[ECX]);
        assertEquals(2, h.r[EDX]);
        assertEquals(1, h.phys.read8(0x2000));
        assertEquals(0, h.phys.read8(0x2001));
        assertEquals(0, (h.r[EAX] >> 8) & 0xFF);
    }

    @Test
    void cmovReadsMemoryEvenWhenFalse() {
        GuestHarness h = GuestHarness.flat32().paging().pte(0x50000, 0);
        h.runToHlt("31 C0 0F 45 1D 00 00 05 00" /* xor eax,eax; cmovnz ebx,[0x50000] */);
        assertEquals(14, h.deliveredVector());
        assertEquals(0x50000, h.s.cr2);
    }

    @Test
    void bswap() {
        GuestHarness h = GuestHarness.flat32();
        h.runToHlt("BA 44 33 22 11 0F CA" /* mov edx,0x11223344; bswap edx */);
        assertEquals(0x44332211, h.r[EDX]);
    }

    @Test
    void cmpxchgBothOutcomes() {
        GuestHarness h = GuestHarness.flat32();
        h.phys.write32(0x2000, 10);
        h.runToHlt("B8 0A 00 00 00 B9 14 00 00 00 F0 0F B1 0D 00 20 00 00 0F 94 C3 B8 63 00 00 00 0F B1 0D 00 20 00 00 0F 94 C7" /* mov eax,10; mov ecx,20; lock cmpxchg [0x2000],ecx; setz bl; mov eax,99; cmpxchg [0x2000],ecx; setz bh */);
        assertEquals(20, h.read32(0x2000));
        assertEquals(1, h.r[EBX] & 0xFF);
        assertEquals(0, (h.r[EBX] >> 8) & 0xFF);
        assertEquals(20, h.r[EAX]); // the failed compare loads the destination
    }

    @Test
    void cmpxchg8b() {
        GuestHarness h = GuestHarness.flat32();
        h.phys.write32(0x2000, 1);
        h.phys.write32(0x2004, 2);
        h.runToHlt("B8 01 00 00 00 BA 02 00 00 00 BB 03 00 00 00 B9 04 00 00 00 0F C7 0D 00 20 00 00 0F 94 05 00 30 00 00 0F C7 0D 00 20 00 00 0F 94 05 01 30 00 00" /* mov eax,1; mov edx,2; mov ebx,3; mov ecx,4; cmpxchg8b [0x2000]; setz [0x3000]; cmpxchg8b [0x2000]; setz [0x3001] */);
        assertEquals(3, h.read32(0x2000));
        assertEquals(4, h.read32(0x2004));
        assertEquals(1, h.phys.read8(0x3000));
        assertEquals(0, h.phys.read8(0x3001));
        assertEquals(3, h.r[EAX]);
        assertEquals(4, h.r[EDX]);
    }

    @Test
    void xadd() {
        GuestHarness h = GuestHarness.flat32();
        h.phys.write32(0x2000, 0xFFFFFFFF);
        h.runToHlt("B9 01 00 00 00 F0 0F C1 0D 00 20 00 00 BB 05 00 00 00 BA 06 00 00 00 0F C1 D3" /* mov ecx,1; lock xadd [0x2000],ecx; mov ebx,5; mov edx,6; xadd ebx,edx */);
        assertEquals(0, h.read32(0x2000));
        assertEquals(0xFFFFFFFF, h.r[ECX]);
        assertEquals(11, h.r[EBX]);
        assertEquals(5, h.r[EDX]);
        assertEquals(0, LazyFlags.arith(h.s) & Flags.CF);
    }

    @Test
    void loadFarPointers() {
        GuestHarness h = GuestHarness.real();
        h.phys.write16(0x20100, 0x1111);
        h.phys.write16(0x20102, 0x3000);
        h.runToHlt("C4 3E 00 01 C5 36 00 01" /* les di,[0x100]; lds si,[0x100] */);
        assertEquals(0x1111, h.r[EDI] & 0xFFFF);
        assertEquals(0x3000, h.s.seg[Segment.ES].selector);
        assertEquals(0x30000, h.s.seg[Segment.DS].base);
        assertEquals(0x1111, h.r[ESI] & 0xFFFF);
    }

    @Test
    void extensionsFromRegisters() {
        GuestHarness h = GuestHarness.flat32();
        h.runToHlt("BA E5 F6 34 12 0F B6 C6 0F BE DE 0F B7 CA 0F BF F2 0F BE FA" /* mov edx,0x1234F6E5; movzx eax,dh; movsx ebx,dh; movzx ecx,dx; movsx esi,dx; movsx edi,dl */);
        assertEquals(0xF6, h.r[EAX]);
        assertEquals(0xFFFFFFF6, h.r[EBX]);
        assertEquals(0xF6E5, h.r[ECX]);
        assertEquals(0xFFFFF6E5, h.r[ESI]);
        assertEquals(0xFFFFFFE5, h.r[EDI]);
    }

    @Test
    void multiByteNopTouchesNoMemory() {
        GuestHarness h = GuestHarness.flat32().paging().pte(0x50000, 0);
        h.runToHlt("0F 1F 05 00 00 05 00 B8 03 00 00 00 0F AF C0 0F AF C0" /* nop dword [0x50000]; mov eax,3; imul eax,eax; imul eax,eax */);
        assertEquals(StopReason.HALTED, h.cpu.run(1));
        assertEquals(81, h.r[EAX]);
        assertEquals(0, h.s.cr2);
    }
}
