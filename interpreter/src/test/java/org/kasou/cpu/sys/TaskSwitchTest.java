package org.kasou.cpu.sys;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.kasou.cpu.CpuFault;
import org.kasou.cpu.CpuState;
import org.kasou.cpu.Flags;
import org.kasou.cpu.Segment;

/** Hardware task switches through CALL, IRET, JMP to a task gate and an exception task gate (SDM 7.3). */
class TaskSwitchTest {
    static final int TSS2 = 0x3800, TSS2_SEL = 0x68, GATE_SEL = 0x70;
    final SysFixture f = new SysFixture();
    final CpuState s = f.s;

    @BeforeEach
    void twoTasks() {
        f.protectedFlat();
        f.putGdt(TSS2_SEL, SysFixture.desc(TSS2, 0x67, 0x89));
        f.putGdt(GATE_SEL, SysFixture.gate(TSS2_SEL, 0, Descriptors.TASK_GATE, 0));
        s.gdtrLimit = 0x77;
        // The second task: flat ring 0, its own registers.
        f.phys.write32(TSS2 + 0x20, 0x2222); // EIP
        f.phys.write32(TSS2 + 0x24, Flags.FIXED1 | Flags.CF);
        for (int i = 0; i < 8; i++) f.phys.write32(TSS2 + 0x28 + 4 * i, 0x100 + i);
        f.phys.write32(TSS2 + 0x28 + 4 * CpuState.ESP, 0xA000);
        int[] sels = {SysFixture.DATA0, SysFixture.CODE0, SysFixture.DATA0, SysFixture.DATA0, 0, 0};
        for (int i = 0; i < 6; i++) f.phys.write16(TSS2 + 0x48 + 4 * i, sels[i]);
        for (int i = 0; i < 8; i++) s.gpr[i] = 0x50 + i;
        s.eip = 0x1111;
        s.setEflags(Flags.FIXED1 | Flags.ZF);
    }

    int type(int sel) {
        return Descriptors.type(f.get(SysFixture.GDT + sel));
    }

    @Test
    void callSavesLinksAndIretReturns() {
        FarTransfer.callFar(f.cpu, TSS2_SEL, 0, 4, 0x1115);
        assertEquals(TSS2_SEL, s.seg[Segment.TR].selector);
        assertEquals(0x2222, s.eip);
        assertEquals(0x101, s.gpr[CpuState.ECX]);
        assertEquals(0xA000, s.gpr[CpuState.ESP]);
        assertTrue((s.eflagsRest & Flags.NT) != 0, "NT set in the called task");
        assertTrue(s.flag(Flags.CF));
        assertTrue((s.cr0 & CpuState.CR0_TS) != 0);
        assertEquals(SysFixture.TSS_SEL, f.phys.read16(TSS2), "back link");
        assertEquals(0xB, type(TSS2_SEL));
        assertEquals(0xB, type(SysFixture.TSS_SEL), "the caller stays busy");
        assertEquals(0x1115, f.phys.read32(SysFixture.TSS + 0x20), "old EIP saved");
        assertEquals(0x52, f.phys.read32(SysFixture.TSS + 0x28 + 8), "old EDX saved");
        assertEquals(SysFixture.CODE0, f.phys.read16(SysFixture.TSS + 0x4C), "old CS saved");
        assertEquals(0, s.seg[Segment.FS].selector);
        // IRET with NT goes back through the link and frees the called task.
        FarTransfer.iret(f.cpu, 4, 0x2224);
        assertEquals(SysFixture.TSS_SEL, s.seg[Segment.TR].selector);
        assertEquals(0x1115, s.eip);
        assertEquals(0x52, s.gpr[CpuState.EDX]);
        assertEquals(0x9, type(TSS2_SEL));
        assertEquals(0x2224, f.phys.read32(TSS2 + 0x20));
        assertEquals(0, f.phys.read32(TSS2 + 0x24) & Flags.NT, "NT cleared in the saved image");
        assertTrue(s.flag(Flags.ZF));
    }

    @Test
    void theDebugTrapFlagOfTheNewTssRaisesDbBeforeItsFirstInstruction() {
        f.phys.write16(TSS2 + 0x64, 1); // T
        f.put(SysFixture.IDT + 8, SysFixture.gate(SysFixture.CODE0, 0x4444, Descriptors.INT_GATE32, 0));
        FarTransfer.jmpFar(f.cpu, TSS2_SEL, 0, 4, 0x1115);
        assertEquals(TSS2_SEL, s.seg[Segment.TR].selector, "the switch completed first");
        assertEquals(0x4444, s.eip, "then #DB was delivered");
        assertEquals(0x8000, s.dr[6] & 0x8000, "DR6.BT");
        assertEquals(0x2222, f.phys.read32(0xA000 - 12), "the new task's first instruction is the return address");
        assertEquals(0x101, s.gpr[CpuState.ECX], "the new task's registers");
    }

    @Test
    void withoutTheDebugTrapFlagNoDb() {
        f.put(SysFixture.IDT + 8, SysFixture.gate(SysFixture.CODE0, 0x4444, Descriptors.INT_GATE32, 0));
        FarTransfer.jmpFar(f.cpu, TSS2_SEL, 0, 4, 0x1115);
        assertEquals(0x2222, s.eip);
        assertEquals(0, s.dr[6] & 0x8000);
    }

    @Test
    void jumpThroughTaskGateFreesTheOldTask() {
        FarTransfer.jmpFar(f.cpu, GATE_SEL, 0, 4, 0x1115);
        assertEquals(TSS2_SEL, s.seg[Segment.TR].selector);
        assertEquals(0x9, type(SysFixture.TSS_SEL));
        assertEquals(0xB, type(TSS2_SEL));
        assertEquals(0, s.eflagsRest & Flags.NT);
        // A busy TSS cannot be entered again.
        f.assertFault(CpuFault.GP, TSS2_SEL, () -> FarTransfer.callFar(f.cpu, TSS2_SEL, 0, 4, 0));
    }

    @Test
    void exceptionThroughTaskGatePushesTheErrorCode() {
        f.put(SysFixture.IDT + 8 * 8, SysFixture.gate(TSS2_SEL, 0, Descriptors.TASK_GATE, 0));
        Interrupts.raise(f.cpu, CpuFault.DF, 0, Interrupts.EXCEPTION);
        assertEquals(TSS2_SEL, s.seg[Segment.TR].selector);
        assertEquals(0x2222, s.eip);
        assertEquals(0xA000 - 4, s.gpr[CpuState.ESP]);
        assertEquals(0, f.phys.read32(0xA000 - 4));
        assertEquals(0x1111, f.phys.read32(SysFixture.TSS + 0x20), "the faulting EIP is saved");
    }

    @Test
    void aSwitchClearsTheLocalBreakpointEnables() {
        s.dr[7] = 0x400 | 0xFF; // L0-L3 and G0-G3, execute breakpoints at DR0-DR3 = 0
        f.cpu.memory.debugRegistersChanged();
        FarTransfer.jmpFar(f.cpu, TSS2_SEL, 0, 4, 0x1115);
        assertEquals(0x400 | 0xAA, s.dr[7], "only the global enables stay");
    }

    @Test
    void badNewTaskSegmentsRaiseTs() {
        f.phys.write16(TSS2 + 0x48 + 4, SysFixture.DATA0); // CS = a data segment
        f.assertFault(CpuFault.TS, SysFixture.DATA0, () -> FarTransfer.jmpFar(f.cpu, TSS2_SEL, 0, 4, 0));
        // The fault belongs to the new task: TR has already switched and the old state is saved.
        assertEquals(TSS2_SEL, s.seg[Segment.TR].selector);
        assertEquals(0x2222, s.eip);
    }
}
