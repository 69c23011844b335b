package org.kasou.cpu.sys;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.kasou.cpu.CpuFault;
import org.kasou.cpu.CpuState;
import org.kasou.cpu.Flags;
import org.kasou.cpu.Segment;

/** Task switches to and from 16-bit TSSs (the 44-byte layout of SDM vol. 3, figure 7-10). */
class TaskSwitch16Test {
    static final int TSS16 = 0x3800, TSS16_SEL = 0x68, GATE_SEL = 0x70;
    final SysFixture f = new SysFixture();
    final CpuState s = f.s;

    @BeforeEach
    void aSixteenBitTask() {
        f.protectedFlat();
        f.putGdt(TSS16_SEL, SysFixture.desc(TSS16, 0x2B, 0x81));
        f.putGdt(GATE_SEL, SysFixture.gate(TSS16_SEL, 0, Descriptors.TASK_GATE, 0));
        s.gdtrLimit = 0x77;
        f.phys.write16(TSS16 + 0x0E, 0x2222); // IP
        f.phys.write16(TSS16 + 0x10, Flags.FIXED1 | Flags.CF);
        for (int i = 0; i < 8; i++) f.phys.write16(TSS16 + 0x12 + 2 * i, 0x100 + i);
        f.phys.write16(TSS16 + 0x12 + 2 * CpuState.ESP, 0xA000);
        int[] sels = {SysFixture.DATA0, SysFixture.CODE0, SysFixture.DATA0, SysFixture.DATA0};
        for (int i = 0; i < 4; i++) f.phys.write16(TSS16 + 0x22 + 2 * i, sels[i]);
        for (int i = 0; i < 8; i++) s.gpr[i] = 0x50500000 + i;
        s.gpr[CpuState.ESP] = 4; // the new task's ESP keeps this upper half, and its SS is 32-bit
        s.eip = 0x1111;
        s.setEflags(Flags.FIXED1 | Flags.ZF);
    }

    int type(int sel) {
        return Descriptors.type(f.get(SysFixture.GDT + sel));
    }

    @Test
    void callLoadsTheLowWordsAndIretSavesOnlyThem() {
        FarTransfer.callFar(f.cpu, TSS16_SEL, 0, 4, 0x1115);
        assertEquals(TSS16_SEL, s.seg[Segment.TR].selector);
        assertEquals(3, type(TSS16_SEL), "busy 16-bit TSS");
        assertEquals(0x2222, s.eip);
        assertEquals(0x50500101, s.gpr[CpuState.ECX], "the upper half is left as it was");
        assertTrue(s.flag(Flags.CF));
        assertTrue((s.eflagsRest & Flags.NT) != 0);
        assertEquals(SysFixture.TSS_SEL, f.phys.read16(TSS16), "back link");
        assertFalse(s.seg[Segment.FS].valid, "no FS in a 16-bit TSS: null");
        assertEquals(0, s.seg[Segment.GS].selector);
        f.phys.write16(TSS16 + 0x2C, 0x7777); // the word after the 44 bytes is never written
        s.gpr[CpuState.EDX] = 0xABCD1234;
        FarTransfer.iret(f.cpu, 4, 0x2224);
        assertEquals(SysFixture.TSS_SEL, s.seg[Segment.TR].selector);
        assertEquals(1, type(TSS16_SEL), "available again");
        assertEquals(0x2224, f.phys.read16(TSS16 + 0x0E));
        assertEquals(0x1234, f.phys.read16(TSS16 + 0x12 + 2 * CpuState.EDX));
        assertEquals(0x0103, f.phys.read16(TSS16 + 0x12 + 2 * CpuState.EBX), "the next field keeps its own word");
        assertEquals(0, f.phys.read16(TSS16 + 0x10) & Flags.NT);
        assertEquals(0x7777, f.phys.read16(TSS16 + 0x2C));
        assertEquals(0x1115, s.eip);
        assertEquals(0x50500002, s.gpr[CpuState.EDX], "the 32-bit task gets its whole registers back");
    }

    @Test
    void anExceptionPushesAWordErrorCode() {
        f.put(SysFixture.IDT + 13 * 8, SysFixture.gate(TSS16_SEL, 0, Descriptors.TASK_GATE, 0));
        Interrupts.raise(f.cpu, CpuFault.GP, 0x1230, Interrupts.EXCEPTION);
        assertEquals(0x9FFE, s.gpr[CpuState.ESP], "a word pushed");
        assertEquals(0x1230, f.phys.read16(0x9FFE));
    }

    @Test
    void aTaskEnteredFromVirtual8086ModeIsNotOne() {
        s.setEflags(s.eflags() | Flags.VM);
        s.cpl = 3;
        f.put(SysFixture.IDT + 0x40 * 8, SysFixture.gate(TSS16_SEL, 0, Descriptors.TASK_GATE, 3));
        Interrupts.raise(f.cpu, 0x40, CpuFault.NO_ERROR_CODE, Interrupts.EXTERNAL);
        assertFalse(s.v86(), "a 16-bit TSS has no VM flag");
        assertEquals(0, s.cpl);
        assertEquals(SysFixture.CODE0, s.seg[Segment.CS].selector);
        assertEquals(Flags.VM, f.phys.read32(SysFixture.TSS + 0x24) & Flags.VM, "the old 32-bit TSS keeps VM");
    }

    @Test
    void anInterruptFromRing3TakesSp0AndSs0() {
        s.seg[Segment.TR].set(TSS16_SEL, TSS16, 0x2B, 0x83);
        f.phys.write16(TSS16 + 2, 0x8000); // SP0
        f.phys.write16(TSS16 + 4, SysFixture.DATA0); // SS0
        f.put(SysFixture.IDT + 0x40 * 8, SysFixture.gate(SysFixture.CODE0, 0x6000, Descriptors.INT_GATE32, 3));
        s.cpl = 3;
        s.seg[Segment.CS].set(SysFixture.CODE3, 0, 0xFFFFFFFF, SysFixture.ACC_CODE | 0x60 | 1);
        s.seg[Segment.SS].set(SysFixture.DATA3, 0, 0xFFFFFFFF, SysFixture.ACC_DATA | 0x60 | 1);
        s.gpr[CpuState.ESP] = 0x7000;
        Interrupts.raise(f.cpu, 0x40, CpuFault.NO_ERROR_CODE, Interrupts.SOFTWARE);
        assertEquals(0, s.cpl);
        assertEquals(SysFixture.DATA0, s.seg[Segment.SS].selector);
        assertEquals(0x8000 - 20, s.gpr[CpuState.ESP]);
        assertEquals(0x7000, f.phys.read32(0x8000 - 8), "the old ESP");
    }

    @Test
    void limitBelow0x2BIsTs() {
        f.putGdt(TSS16_SEL, SysFixture.desc(TSS16, 0x2A, 0x81));
        f.assertFault(CpuFault.TS, TSS16_SEL, () -> FarTransfer.jmpFar(f.cpu, TSS16_SEL, 0, 4, 0));
        assertEquals(SysFixture.TSS_SEL, s.seg[Segment.TR].selector);
    }

    @Test
    void ioBitmapDeniesEveryPortWithA16BitTss() {
        FarTransfer.jmpFar(f.cpu, GATE_SEL, 0, 4, 0x1115);
        s.cpl = 3;
        f.assertFault(CpuFault.GP, 0, () -> SystemOps.checkIo(f.cpu, 0x80, 1));
    }
}
