package org.kasou.cpu.exec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.kasou.cpu.CpuState.EAX;
import static org.kasou.cpu.CpuState.EBX;
import static org.kasou.cpu.CpuState.ECX;
import static org.kasou.cpu.CpuState.EDX;
import static org.kasou.cpu.CpuState.ESI;
import static org.kasou.cpu.CpuState.EDI;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.kasou.cpu.Flags;
import org.kasou.cpu.LazyFlags;
import org.kasou.io.PortDevice;

/** String instructions with and without REP, port I/O, and the flag instructions. */
class StringIoFlagsTest {
    @Test
    void repMovsForwardAllSizes() {
        GuestHarness h = GuestHarness.flat32();
        for (int i = 0; i < 64; i++) h.phys.write8(0x20000 + i, i + 1);
        h.runToHlt("FC BE 00 00 02 00 BF 00 00 03 00 B9 07 00 00 00 F3 A4 B9 03 00 00 00 F3 66 A5 B9 04 00 00 00 F3 A5" /* cld; mov esi,0x20000; mov edi,0x30000; mov ecx,7; rep movsb; mov ecx,3; rep movsw; mov ecx,4; rep movsd */);
        for (int i = 0; i < 7 + 6 + 16; i++) assertEquals(i + 1, h.phys.read8(0x30000 + i), "byte " + i);
        assertEquals(0x30000 + 29, h.r[EDI]);
        assertEquals(0x20000 + 29, h.r[ESI]);
        assertEquals(0, h.r[ECX]);
    }

    @Test
    void repMovsBackward() {
        GuestHarness h = GuestHarness.flat32();
        for (int i = 0; i < 16; i++) h.phys.write8(0x20000 + i, 0x40 + i);
        h.runToHlt("FD BE 0C 00 02 00 BF 0C 00 03 00 B9 04 00 00 00 F3 A5 FC" /* std; mov esi,0x2000C; mov edi,0x3000C; mov ecx,4; rep movsd; cld */);
        for (int i = 0; i < 16; i++) assertEquals(0x40 + i, h.phys.read8(0x30000 + i));
        assertEquals(0x3000C - 16, h.r[EDI]);
    }

    @Test
    void overlappingMovsbReplicatesAPattern() {
        GuestHarness h = GuestHarness.flat32();
        h.phys.write8(0x20000, 0xAB);
        h.runToHlt("BE 00 00 02 00 BF 01 00 02 00 B9 64 00 00 00 F3 A4" /* mov esi,0x20000; mov edi,0x20001; mov ecx,100; rep movsb */);
        for (int i = 0; i <= 100; i++) assertEquals(0xAB, h.phys.read8(0x20000 + i));
    }

    @Test
    void largeRepStosAndMovs() {
        GuestHarness h = GuestHarness.flat32();
        h.runToHlt("BF 00 00 10 00 B8 44 33 22 11 B9 00 00 01 00 F3 AB BE 00 00 10 00 BF 00 00 14 00 B9 00 00 04 00 F3 A4" /* mov edi,0x100000; mov eax,0x11223344; mov ecx,0x10000; rep stosd; mov esi,0x100000; mov edi,0x140000; mov ecx,0x40000; rep movsb */);
        assertEquals(0x11223344, h.read32(0x100000));
        assertEquals(0x11223344, h.read32(0x13FFFC));
        assertEquals(0x11223344, h.read32(0x17FFFC));
        assertEquals(0x180000, h.r[EDI]);
        assertEquals(0, h.r[ECX]);
    }

    @Test
    void sixteenBitAddressingWraps() {
        GuestHarness h = GuestHarness.real();
        h.phys.write8(0x20000 + 0xFFFF, 0x5A);
        h.phys.write8(0x20000, 0x6B);
        h.runToHlt("BE FF FF BF 00 01 1E 07 B9 02 00 F3 A4" /* mov si,0xFFFF; mov di,0x100; push ds; pop es; mov cx,2; rep movsb */);
        assertEquals(0x5A, h.phys.read8(0x20100));
        assertEquals(0x6B, h.phys.read8(0x20101));
        assertEquals(1, h.r[ESI] & 0xFFFF);
    }

    @Test
    void repeCmpsStopsAtTheFirstDifference() {
        GuestHarness h = GuestHarness.flat32();
        byte[] a = "hello world".getBytes();
        byte[] b = "hello there".getBytes();
        h.phys.load(0x20000, a, 0, a.length);
        h.phys.load(0x30000, b, 0, b.length);
        h.runToHlt("FC BE 00 00 02 00 BF 00 00 03 00 B9 0B 00 00 00 F3 A6" /* cld; mov esi,0x20000; mov edi,0x30000; mov ecx,11; repe cmpsb */);
        assertEquals(11 - 7, h.r[ECX]);
        assertEquals(0x20007, h.r[ESI]);
        assertEquals(0, LazyFlags.arith(h.s) & Flags.ZF);
    }

    @Test
    void repneScasFindsAByte() {
        GuestHarness h = GuestHarness.flat32();
        byte[] text = "abcdefgh".getBytes();
        h.phys.load(0x20000, text, 0, text.length);
        h.runToHlt("BF 00 00 02 00 B0 65 B9 64 00 00 00 F2 AE" /* mov edi,0x20000; mov al,'e'; mov ecx,100; repne scasb */);
        assertEquals(0x20005, h.r[EDI]);
        assertEquals(95, h.r[ECX]);
        assertTrue(LazyFlags.zf(h.s));
    }

    @Test
    void lodsAndStosWithoutRep() {
        GuestHarness h = GuestHarness.flat32();
        h.phys.write32(0x20000, 0x01020304);
        h.runToHlt("BE 00 00 02 00 66 AD BF 00 00 03 00 AA AC" /* mov esi,0x20000; lodsw; mov edi,0x30000; stosb; lodsb */);
        assertEquals(0x04, h.phys.read8(0x30000));
        assertEquals(0x20003, h.r[ESI]);
        assertEquals(0x30001, h.r[EDI]);
        assertEquals(0x0302, h.r[EAX] & 0xFFFF);
    }

    @Test
    void repMovsFaultLeavesRegistersAtTheFaultingIteration() {
        GuestHarness h = GuestHarness.flat32().paging().pte(0x31000, 0);
        h.runToHlt("BE 00 00 02 00 BF F0 0F 03 00 B9 40 00 00 00 F3 A4" /* mov esi,0x20000; mov edi,0x30FF0; mov ecx,0x40; rep movsb */);
        assertEquals(14, h.deliveredVector());
        assertEquals(0x31000, h.s.cr2);
        assertEquals(0x40 - 0x10, h.r[ECX]);
        assertEquals(0x31000, h.r[EDI]);
        assertEquals(0x20010, h.r[ESI]);
        assertEquals(GuestHarness.CODE + 15, h.read32(h.r[org.kasou.cpu.CpuState.ESP] + 4)); // EIP of the rep movsb
    }

    @Test
    void repStosdFaultInBulkPathIsPrecise() {
        GuestHarness h = GuestHarness.flat32().paging().pte(0x33000, 0);
        h.runToHlt("BF 00 00 03 00 B8 07 00 00 00 B9 00 20 00 00 F3 AB" /* mov edi,0x30000; mov eax,7; mov ecx,0x2000; rep stosd */);
        assertEquals(14, h.deliveredVector());
        assertEquals(0x33000, h.r[EDI]);
        assertEquals(0x2000 - 0xC00, h.r[ECX]);
        assertEquals(7, h.read32(0x32FFC));
    }

    static final class Ports implements PortDevice {
        final List<String> log = new ArrayList<>();
        int next = 0x40;

        @Override
        public int in(int port, int size) {
            log.add("in " + Integer.toHexString(port) + "/" + size);
            return next++;
        }

        @Override
        public void out(int port, int size, int value) {
            log.add("out " + Integer.toHexString(port) + "/" + size + "=" + Integer.toHexString(value));
        }
    }

    @Test
    void portIo() {
        GuestHarness h = GuestHarness.flat32();
        Ports p = new Ports();
        h.io.register(0x60, 8, p);
        h.io.register(0x3F8, 8, p);
        h.runToHlt("E4 60 88 C3 66 BA F8 03 B8 78 56 34 12 EF E6 61 66 ED B9 02 00 00 00 BF 00 00 02 00 F3 6C BE 00 00 02 00 B9 02 00 00 00 F3 6E" /* in al,0x60; mov bl,al; mov dx,0x3F8; mov eax,0x12345678; out dx,eax; out 0x61,al; in ax,dx; mov ecx,2; mov edi,0x20000; rep insb; mov esi,0x20000; mov ecx,2; rep outsb */);
        assertEquals(List.of("in 60/1", "out 3f8/4=12345678", "out 61/1=78", "in 3f8/2", "in 3f8/1", "in 3f8/1", "out 3f8/1=42", "out 3f8/1=43"), p.log);
        assertEquals(0x40, h.r[EBX] & 0xFF);
        assertEquals(0x41, h.r[EAX] & 0xFFFF);
    }

    @Test
    void flagInstructions() {
        GuestHarness h = GuestHarness.flat32();
        h.runToHlt("F9 0F 92 C3 F5 0F 92 C7 F8 FD B4 D5 9E 9F 88 E1 D6 88 C2 F8 D6 88 C6 FC" /* stc; setc bl; cmc; setc bh; clc; std; mov ah,0xD5; sahf; lahf; mov cl,ah; salc; mov dl,al; clc; salc; mov dh,al; cld */);
        assertEquals(1, h.r[EBX] & 0xFF);
        assertEquals(0, (h.r[EBX] >> 8) & 0xFF);
        assertEquals(0xD7, h.r[ECX] & 0xFF); // SF ZF AF PF CF plus the always-one bit 1
        assertEquals(0xFF, h.r[EDX] & 0xFF);
        assertEquals(0, (h.r[EDX] >> 8) & 0xFF);
        assertEquals(0, h.s.eflagsRest & Flags.DF);
    }

    @Test
    void cliStiInRealMode() {
        GuestHarness h = GuestHarness.real();
        h.runToHlt("FB B8 01 00 FA" /* sti; mov ax,1; cli */);
        assertEquals(0, h.s.eflagsRest & Flags.IF);
        assertEquals(1, h.r[EAX] & 0xFFFF);
    }
}
