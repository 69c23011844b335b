package org.kasou.cpu.sys;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.kasou.cpu.CpuState;
import org.kasou.cpu.Segment;
import org.kasou.cpu.StopReason;
import org.kasou.io.PortDevice;

/**
 * INS and OUTS, with and without REP, at CPL 3 with IOPL 0: the I/O permission bitmap of the
 * 32-bit TSS decides (SDM vol. 1, 19.5.2), and a denied access is #GP(0) before any data moves,
 * also with ECX = 0.
 */
class IoPermissionStringsTest {
    static final int CODE = 0x5000, GP_HANDLER = 0x6100, BUF = 0x7000, BITMAP = 0x68;
    /** Ports 0x200 and 0x202-0x203 are allowed, 0x201 and everything else denied. */
    static final int ALLOWED = 0x200, DENIED = 0x201, ALLOWED_WORD = 0x202;
    final SysFixture f = new SysFixture();
    final CpuState s = f.s;
    final List<String> accesses = new ArrayList<>();

    @BeforeEach
    void ringThreeWithABitmap() {
        f.protectedFlat();
        f.put(SysFixture.IDT + 13 * 8, SysFixture.gate(SysFixture.CODE0, GP_HANDLER, Descriptors.INT_GATE32, 0));
        f.phys.write8(GP_HANDLER, 0xF4);
        f.phys.write16(SysFixture.TSS + 102, BITMAP);
        for (int i = 0; i < 0x80; i++) f.phys.write8(SysFixture.TSS + BITMAP + i, 0xFF);
        f.phys.write8(SysFixture.TSS + BITMAP + 0x80, 0xFF);
        f.phys.write8(SysFixture.TSS + BITMAP + (ALLOWED >> 3), 0b1111_0010);
        s.seg[Segment.TR].limit = BITMAP + 0x80;
        f.cpu.io.register(0x200, 8, new PortDevice() {
            @Override
            public int in(int port, int size) {
                accesses.add("in " + Integer.toHexString(port) + "/" + size);
                return 0xA5A5A5A5;
            }

            @Override
            public void out(int port, int size, int value) {
                accesses.add("out " + Integer.toHexString(port) + "/" + size);
            }
        });
        s.gpr[CpuState.ESI] = BUF;
        s.gpr[CpuState.EDI] = BUF;
        for (int i = 0; i < 16; i++) f.phys.write8(BUF + i, 0x55);
    }

    /**
     * Runs the code and a HLT at CPL 3: the #GP of either ends in the handler's HLT. Returns
     * whether the code itself faulted.
     */
    private boolean faults(int port, int count, int... code) {
        for (int i = 0; i < code.length; i++) f.phys.write8(CODE + i, code[i]);
        f.phys.write8(CODE + code.length, 0xF4);
        s.cpl = 3;
        s.seg[Segment.CS].set(SysFixture.CODE3, 0, 0xFFFFFFFF, SysFixture.ACC_CODE | 0x60 | 1);
        for (int r : new int[] {Segment.ES, Segment.SS, Segment.DS}) {
            s.seg[r].set(SysFixture.DATA3, 0, 0xFFFFFFFF, SysFixture.ACC_DATA | 0x60 | 1);
        }
        s.gpr[CpuState.ESP] = 0x8000;
        s.gpr[CpuState.EDX] = port;
        s.gpr[CpuState.ECX] = count;
        s.eip = CODE;
        s.halted = false; // the previous run ended in a HLT
        assertEquals(StopReason.HALTED, f.cpu.run(100));
        assertEquals(GP_HANDLER + 1, s.eip, "at CPL 3, HLT ends in the #GP handler as well");
        int savedEip = f.phys.read32(0x9000 - 20); // below SS, ESP, EFLAGS, CS on the ring-0 stack
        return savedEip == CODE;
    }

    @Test
    void repInsWithZeroCountOnADeniedPortFaults() {
        assertEquals(true, faults(DENIED, 0, 0xF3, 0x6C), "rep insb, ecx = 0");
        assertEquals(true, faults(DENIED, 0, 0xF3, 0x6E), "rep outsb, ecx = 0");
        assertEquals(List.of(), accesses);
    }

    @Test
    void aDeniedRepInsMovesNothing() {
        assertEquals(true, faults(ALLOWED, 3, 0xF3, 0x66, 0x6D), "rep insw straddling 0x200 (allowed) and 0x201 (denied)");
        assertEquals(3, s.gpr[CpuState.ECX]);
        assertEquals(BUF, s.gpr[CpuState.EDI]);
        assertEquals(0x55555555, f.phys.read32(BUF));
        assertEquals(true, faults(DENIED, 2, 0xF3, 0x6F), "rep outsd");
        assertEquals(BUF, s.gpr[CpuState.ESI]);
        assertEquals(List.of(), accesses);
    }

    @Test
    void allowedPortsMove() {
        assertEquals(false, faults(ALLOWED_WORD, 2, 0xF3, 0x66, 0x6D), "rep insw on 0x202-0x203");
        assertEquals(0, s.gpr[CpuState.ECX]);
        assertEquals(0xA5A5A5A5, f.phys.read32(BUF));
        assertEquals(false, faults(ALLOWED, 0, 0xF3, 0x6E), "rep outsb, ecx = 0 on an allowed port");
        assertEquals(false, faults(ALLOWED, 1, 0x6E), "outsb");
        assertEquals(List.of("in 202/2", "in 202/2", "out 200/1"), accesses);
    }
}
