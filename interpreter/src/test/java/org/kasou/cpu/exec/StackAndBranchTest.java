package org.kasou.cpu.exec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.kasou.cpu.CpuState.EAX;
import static org.kasou.cpu.CpuState.EBP;
import static org.kasou.cpu.CpuState.EBX;
import static org.kasou.cpu.CpuState.ECX;
import static org.kasou.cpu.CpuState.EDX;
import static org.kasou.cpu.CpuState.ESI;
import static org.kasou.cpu.CpuState.ESP;
import static org.kasou.cpu.CpuState.EDI;

import org.junit.jupiter.api.Test;
import org.kasou.cpu.Flags;
import org.kasou.cpu.Segment;

/** PUSH/POP in all forms, PUSHA/POPA, PUSHF/POPF, ENTER/LEAVE, and near JMP/Jcc/CALL/RET/LOOP/JCXZ. */
class StackAndBranchTest {
    static final int TOP = GuestHarness.STACK_TOP;

    @Test
    void pushPopForms() {
        GuestHarness h = GuestHarness.flat32();
        h.phys.write32(0x2000, 0xDEADBEEF);
        h.runToHlt("68 78 56 34 12 6A FE FF 35 00 20 00 00 54 58 5B 59 5A 66 68 34 12 66 5E" /* push 0x12345678; push byte -2; push dword [0x2000]; push esp; pop eax; pop ebx; pop ecx; pop edx; push word 0x1234; pop si */);
        assertEquals(TOP - 12, h.r[EAX]); // PUSH ESP pushes the value before the push
        assertEquals(0xDEADBEEF, h.r[EBX]);
        assertEquals(0xFFFFFFFE, h.r[ECX]);
        assertEquals(0x12345678, h.r[EDX]);
        assertEquals(0x1234, h.r[ESI] & 0xFFFF);
        assertEquals(TOP, h.r[ESP]);
    }

    @Test
    void popIntoEspBasedMemoryUsesIncrementedEsp() {
        GuestHarness h = GuestHarness.flat32();
        h.runToHlt("6A 11 6A 22 8F 04 24 5C" /* push 0x11; push 0x22; pop dword [esp]; pop esp */);
        // pop [esp]: reads 0x22, ESP += 4, stores at the new top (over 0x11); pop esp loads 0x22
        assertEquals(0x22, h.r[ESP]);
    }

    @Test
    void pushaPopa() {
        GuestHarness h = GuestHarness.flat32();
        h.runToHlt("B8 01 00 00 00 B9 02 00 00 00 BA 03 00 00 00 BB 04 00 00 00 BD 06 00 00 00 BE 07 00 00 00 BF 08 00 00 00 60 8B 44 24 0C 89 44 24 0C 31 C0 31 C9 31 D2 31 DB 31 ED 31 F6 31 FF 61" /* mov eax,1; mov ecx,2; mov edx,3; mov ebx,4; mov ebp,6; mov esi,7; mov edi,8; pushad; mov eax,[esp+12]; mov [esp+12],eax; xor eax,eax; xor ecx,ecx; xor edx,edx; xor ebx,ebx; xor ebp,ebp; xor esi,esi; xor edi,edi; popad */);
        assertEquals(1, h.r[EAX]);
        assertEquals(2, h.r[ECX]);
        assertEquals(3, h.r[EDX]);
        assertEquals(4, h.r[EBX]);
        assertEquals(TOP, h.r[ESP]);
        assertEquals(6, h.r[EBP]);
        assertEquals(7, h.r[ESI]);
        assertEquals(8, h.r[EDI]);
        assertEquals(TOP, h.read32(TOP - 20)); // the ESP slot holds the original ESP
    }

    @Test
    void pushfPopf() {
        GuestHarness h = GuestHarness.flat32();
        h.runToHlt("F9 FD 9C 58 68 D5 08 00 00 9D 9C 5B" /* stc; std; pushfd; pop eax; push 0x8D5; popfd; pushfd; pop ebx */);
        assertEquals(Flags.CF | Flags.DF | Flags.FIXED1, h.r[EAX] & (Flags.CF | Flags.DF | Flags.FIXED1 | Flags.ZF));
        assertEquals(0x8D5 | Flags.FIXED1, h.r[EBX] & 0xFFF);
        assertEquals(0x8D5, h.s.eflags() & 0x8D5);
    }

    @Test
    void enterLeave() {
        GuestHarness h = GuestHarness.flat32();
        h.r[EBP] = 0x5000;
        h.runToHlt("C8 10 00 00 89 E0 89 EB C9" /* enter 0x10,0; mov eax,esp; mov ebx,ebp; leave */);
        assertEquals(TOP - 4 - 0x10, h.r[EAX]);
        assertEquals(TOP - 4, h.r[EBX]);
        assertEquals(0x5000, h.r[EBP]);
        assertEquals(TOP, h.r[ESP]);
    }

    @Test
    void enterWithNestingLevel() {
        GuestHarness h = GuestHarness.flat32();
        int outer = 0x8F00;
        h.phys.write32(outer - 4, 0xAAAA0001); // the outer frame's display entry
        h.r[EBP] = outer;
        h.runToHlt("C8 08 00 02" /* enter 8,2 */);
        int frame = TOP - 4;
        assertEquals(frame, h.r[EBP]);
        assertEquals(outer, h.read32(TOP - 4));          // old EBP
        assertEquals(0xAAAA0001, h.read32(TOP - 8));     // copied from [old EBP - 4]
        assertEquals(frame, h.read32(TOP - 12));         // the new frame pointer
        assertEquals(TOP - 12 - 8, h.r[ESP]);
    }

    @Test
    void leaveOnA16BitStackKeepsTheHighHalfOfEsp() {
        GuestHarness h = GuestHarness.real();
        h.r[ESP] = 0xABCD0100;
        h.r[EBP] = 0x12340200;
        h.phys.write16(0x20200, 0x5555);
        h.runToHlt("C9" /* leave */);
        assertEquals(0xABCD0202, h.r[ESP]);
        assertEquals(0x12345555, h.r[EBP]);
    }

    @Test
    void sixteenBitStackWraps() {
        GuestHarness h = GuestHarness.real();
        h.r[ESP] = 0x12340000; // SP = 0: a push wraps to 0xFFFE and keeps ESP's high half
        h.runToHlt("50 06 1F" /* push ax; push es; pop ds */);
        assertEquals(0x1234FFFE, h.r[ESP]);
        assertEquals(0x2000, h.phys.read16(0x20000 + 0xFFFC));
    }

    @Test
    void callRetAndIndirect() {
        GuestHarness h = GuestHarness.flat32();
        // call f; mov ebx,eax; mov ecx,g; call ecx; hlt ; f: mov eax,7; ret ; g: mov edx,9; ret 0
        h.runToHlt("E8 22 00 00 00 89 C3 B9 2D 00 01 00 FF D1 C7 05 00 20 00 00 27 00 01 00 FF 15 00 20 00 00 6A 05 E8 0E 00 00 00 EB 13 B8 07 00 00 00 C3 BA 09 00 00 00 C3 8B 74 24 04 C2 04 00" /* call f; mov ebx,eax; mov ecx,0x10000+g; call ecx; mov [0x2000],dword 0x10000+f; call [0x2000]; push 5; call k; jmp end; f: mov eax,7; ret; g: mov edx,9; ret; k: mov esi,[esp+4]; ret 4; end: */);
        assertEquals(7, h.r[EBX]);
        assertEquals(9, h.r[EDX]);
        assertEquals(5, h.r[ESI]);
        assertEquals(TOP, h.r[ESP]);
    }

    @Test
    void conditionalBranchesAndLoops() {
        GuestHarness h = GuestHarness.flat32();
        h.runToHlt("31 C0 31 D2 B9 0A 00 00 00 01 C8 E2 FC 89 C3 B9 05 00 00 00 42 83 FA 03 E0 FA 89 CE 31 C9 E3 05 BF 01 00 00 00 83 FB 37 75 05 BF 02 00 00 00" /* xor eax,eax; xor edx,edx; mov ecx,10; a: add eax,ecx; loop a; mov ebx,eax; mov ecx,5; b: inc edx; cmp edx,3; loopne b; mov esi,ecx; xor ecx,ecx; jecxz c; mov edi,1; c: cmp ebx,55; jne bad; mov edi,2; bad: */);
        assertEquals(55, h.r[EBX]);
        assertEquals(3, h.r[EDX]);
        assertEquals(2, h.r[ESI]);
        assertEquals(2, h.r[EDI]);
    }

    @Test
    void everyConditionCode() {
        // After cmp 3,5: taken for b, be, l, le, ne, s, nz-family as the SDM table says.
        GuestHarness h = GuestHarness.flat32();
        StringBuilder text = new StringBuilder();
        h.runToHlt("B8 03 00 00 00 83 F8 05 0F 90 05 00 20 00 00 0F 91 05 01 20 00 00 0F 92 05 02 20 00 00 0F 93 05 03 20 00 00 0F 94 05 04 20 00 00 0F 95 05 05 20 00 00 0F 96 05 06 20 00 00 0F 97 05 07 20 00 00 0F 98 05 08 20 00 00 0F 99 05 09 20 00 00 0F 9A 05 0A 20 00 00 0F 9B 05 0B 20 00 00 0F 9C 05 0C 20 00 00 0F 9D 05 0D 20 00 00 0F 9E 05 0E 20 00 00 0F 9F 05 0F 20 00 00" /* mov eax,3; cmp eax,5; seto [0x2000]; setno [0x2001]; setb [0x2002]; setae [0x2003]; sete [0x2004]; setne [0x2005]; setbe [0x2006]; seta [0x2007]; sets [0x2008]; setns [0x2009]; setp [0x200a]; setnp [0x200b]; setl [0x200c]; setge [0x200d]; setle [0x200e]; setg [0x200f] */);
        // 3 - 5 = 0xFFFFFFFE: CF=1, ZF=0, SF=1, OF=0, PF: low byte 0xFE has 7 bits set -> odd -> PF=0
        int[] expected = {0, 1, 1, 0, 0, 1, 1, 0, 1, 0, 0, 1, 1, 0, 1, 0};
        for (int cc = 0; cc < 16; cc++) {
            assertEquals(expected[cc], h.phys.read8(0x2000 + cc), "cc " + cc);
        }
    }

    @Test
    void realModeIpWrapsAt64K() {
        GuestHarness h = GuestHarness.real();
        h.s.seg[Segment.CS].set(0x1000, 0x10000, 0xFFFF, 0x9B);
        h.s.eip = 0xFFFE;
        h.code("EB 02"); // jmp +2 -> (0x10000 + 2) & 0xFFFF = 2
        h.phys.load(0x10002, new byte[] {(byte) 0xF4}, 0, 1);
        h.cpu.run(10);
        assertEquals(3, h.s.eip);
    }

    @Test
    void jumpBeyondCsLimitFaults() {
        GuestHarness h = GuestHarness.flat32();
        h.s.seg[Segment.CS].limit = 0x10FFF;
        h.runToHlt("B8 00 00 02 00 FF E0" /* mov eax,0x20000; jmp eax */);
        assertEquals(13, h.deliveredVector());
        assertEquals(GuestHarness.CODE + 5, h.read32(h.r[ESP] + 4)); // error code, then EIP of the jmp
    }
}
