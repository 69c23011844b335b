package org.kasou.cpu.sys;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.kasou.cpu.CpuFault;
import org.kasou.cpu.CpuState;
import org.kasou.cpu.Flags;
import org.kasou.cpu.Segment;

/** Exception and interrupt delivery: frames, gates, privilege, #DF and triple fault (SDM vol. 3, ch. 6). */
class InterruptsTest {
    final SysFixture f = new SysFixture();
    final CpuState s = f.s;

    @Test
    void realModeThroughTheIvt() {
        s.idtrBase = 0;
        f.phys.write16(0x21 * 4, 0x1234);
        f.phys.write16(0x21 * 4 + 2, 0x5000);
        s.seg[Segment.CS].loadReal(0x0700);
        s.seg[Segment.SS].loadReal(0x0900);
        s.gpr[CpuState.ESP] = 0x100;
        s.eip = 0x42;
        s.setEflags(Flags.IF | Flags.TF | Flags.CF | Flags.FIXED1);
        Interrupts.softwareInterrupt(f.cpu, 0x21, 0x44);
        assertEquals(0xFA, s.gpr[CpuState.ESP]);
        assertEquals(0x44, f.phys.read16(0x90FA), "IP");
        assertEquals(0x0700, f.phys.read16(0x90FC), "CS");
        assertEquals(Flags.IF | Flags.TF | Flags.CF | Flags.FIXED1, f.phys.read16(0x90FE), "FLAGS");
        assertEquals(0x5000, s.seg[Segment.CS].selector);
        assertEquals(0x50000, s.seg[Segment.CS].base);
        assertEquals(0x1234, s.eip);
        assertEquals(0, s.eflagsRest & (Flags.IF | Flags.TF));
        assertEquals(Flags.CF, s.eflags() & Flags.CF);
    }

    @Test
    void realModeStackWrapsAt64KiB() {
        s.idtrBase = 0;
        s.seg[Segment.SS].loadReal(0x1000);
        s.gpr[CpuState.ESP] = 0x0002;
        Interrupts.raise(f.cpu, 0, CpuFault.NO_ERROR_CODE, Interrupts.EXCEPTION);
        assertEquals(0xFFFC, s.gpr[CpuState.ESP]);
        assertEquals(0xFFF0, f.phys.read16(0x10000 + 0xFFFC), "IP of the reset vector");
    }

    void idt(int vector, long gate) {
        f.put(SysFixture.IDT + vector * 8, gate);
    }

    @Test
    void protectedSamePrivilegeWithErrorCode() {
        f.protectedFlat();
        idt(13, SysFixture.gate(SysFixture.CODE0, 0x123456, Descriptors.INT_GATE32, 0));
        s.gpr[CpuState.ESP] = 0x8000;
        s.eip = 0x1000;
        s.setEflags(Flags.IF | Flags.ZF | Flags.FIXED1);
        Interrupts.raise(f.cpu, CpuFault.GP, 0x28, Interrupts.EXCEPTION);
        assertEquals(0x8000 - 16, s.gpr[CpuState.ESP]);
        assertEquals(0x28, f.phys.read32(0x7FF0), "error code");
        assertEquals(0x1000, f.phys.read32(0x7FF4), "EIP");
        assertEquals(SysFixture.CODE0, f.phys.read32(0x7FF8), "CS");
        assertEquals(Flags.IF | Flags.ZF | Flags.FIXED1 | Flags.RF, f.phys.read32(0x7FFC), "EFLAGS, with RF for a fault");
        assertEquals(0x123456, s.eip);
        assertEquals(0, s.eflagsRest & Flags.IF, "an interrupt gate clears IF");
    }

    @Test
    void trapGateKeepsIfAndSixteenBitGatePushesWords() {
        f.protectedFlat();
        idt(0x30, SysFixture.gate(SysFixture.CODE0, 0x2000, Descriptors.TRAP_GATE32, 3));
        idt(0x31, SysFixture.gate(SysFixture.CODE0, 0x3000, Descriptors.TRAP_GATE16, 3));
        s.gpr[CpuState.ESP] = 0x8000;
        s.setEflags(Flags.IF | Flags.FIXED1);
        Interrupts.softwareInterrupt(f.cpu, 0x30, 0x500);
        assertEquals(0x7FF4, s.gpr[CpuState.ESP]);
        assertTrue((s.eflagsRest & Flags.IF) != 0);
        Interrupts.softwareInterrupt(f.cpu, 0x31, 0x600);
        assertEquals(0x7FF4 - 6, s.gpr[CpuState.ESP]);
        assertEquals(0x600, f.phys.read16(0x7FEE));
        assertEquals(SysFixture.CODE0, f.phys.read16(0x7FF0));
        assertEquals(0x3000, s.eip);
    }

    @Test
    void userToKernelSwitchesToTheTssStack() {
        f.protectedFlat();
        idt(0x80, SysFixture.gate(SysFixture.CODE0, 0x4000, Descriptors.INT_GATE32, 3));
        s.seg[Segment.CS].set(SysFixture.CODE3, 0, 0xFFFFFFFF, SysFixture.ACC_CODE | 0x61);
        s.seg[Segment.SS].set(SysFixture.DATA3, 0, 0xFFFFFFFF, SysFixture.ACC_DATA | 0x61);
        s.seg[Segment.DS].set(SysFixture.DATA3, 0, 0xFFFFFFFF, SysFixture.ACC_DATA | 0x61);
        s.cpl = 3;
        s.gpr[CpuState.ESP] = 0x6000;
        s.setEflags(Flags.IF | Flags.FIXED1);
        Interrupts.softwareInterrupt(f.cpu, 0x80, 0x700);
        assertEquals(0, s.cpl);
        assertEquals(SysFixture.DATA0, s.seg[Segment.SS].selector);
        assertEquals(0x9000 - 20, s.gpr[CpuState.ESP]);
        assertEquals(0x700, f.phys.read32(0x9000 - 20), "EIP");
        assertEquals(SysFixture.CODE3, f.phys.read32(0x9000 - 16), "CS");
        assertEquals(Flags.IF | Flags.FIXED1, f.phys.read32(0x9000 - 12), "EFLAGS");
        assertEquals(0x6000, f.phys.read32(0x9000 - 8), "ESP");
        assertEquals(SysFixture.DATA3, f.phys.read32(0x9000 - 4), "SS");
        assertEquals(SysFixture.CODE0, s.seg[Segment.CS].selector);
        // IRET goes back to ring 3 and restores the user stack.
        FarTransfer.iret(f.cpu, 4);
        assertEquals(3, s.cpl);
        assertEquals(0x6000, s.gpr[CpuState.ESP]);
        assertEquals(SysFixture.DATA3, s.seg[Segment.SS].selector);
        assertEquals(0x700, s.eip);
        assertTrue((s.eflagsRest & Flags.IF) != 0);
    }

    @Test
    void softwareInterruptChecksGateDpl() {
        f.protectedFlat();
        idt(0x40, SysFixture.gate(SysFixture.CODE0, 0x4000, Descriptors.INT_GATE32, 0));
        idt(13, SysFixture.gate(SysFixture.CODE0, 0xD000, Descriptors.INT_GATE32, 0));
        s.seg[Segment.CS].set(SysFixture.CODE3, 0, 0xFFFFFFFF, SysFixture.ACC_CODE | 0x61);
        s.seg[Segment.SS].set(SysFixture.DATA3, 0, 0xFFFFFFFF, SysFixture.ACC_DATA | 0x61);
        s.cpl = 3;
        s.gpr[CpuState.ESP] = 0x6000;
        Interrupts.softwareInterrupt(f.cpu, 0x40, 0x700);
        // INT 0x40 at CPL 3 through a DPL 0 gate becomes #GP(0x40 * 8 + 2), delivered to ring 0.
        assertEquals(0xD000, s.eip);
        assertEquals(0x40 * 8 + 2, f.phys.read32(0x9000 - 24));
        // An external interrupt ignores the gate's DPL.
        s.cpl = 3;
        s.seg[Segment.CS].set(SysFixture.CODE3, 0, 0xFFFFFFFF, SysFixture.ACC_CODE | 0x61);
        s.seg[Segment.SS].set(SysFixture.DATA3, 0, 0xFFFFFFFF, SysFixture.ACC_DATA | 0x61);
        Interrupts.raise(f.cpu, 0x40, CpuFault.NO_ERROR_CODE, Interrupts.EXTERNAL);
        assertEquals(0x4000, s.eip);
    }

    @Test
    void faultWhileDeliveringBecomesDoubleFault() {
        f.protectedFlat();
        idt(8, SysFixture.gate(SysFixture.CODE0, 0x8888, Descriptors.INT_GATE32, 0));
        long np = SysFixture.gate(SysFixture.CODE0, 0xD000, Descriptors.INT_GATE32, 0) & ~(1L << 47);
        idt(13, np); // not present: #NP(13 * 8 + 2 + EXT) while delivering #GP
        s.gpr[CpuState.ESP] = 0x8000;
        s.eip = 0x1234;
        Interrupts.raise(f.cpu, CpuFault.GP, 0, Interrupts.EXCEPTION);
        assertEquals(0x8888, s.eip);
        assertEquals(0, f.phys.read32(0x8000 - 16), "#DF pushes error code 0");
        assertEquals(0x1234, f.phys.read32(0x8000 - 12));
        assertFalse(s.shutdown);
    }

    @Test
    void benignFirstFaultIsDeliveredSerially() {
        f.protectedFlat();
        idt(11, SysFixture.gate(SysFixture.CODE0, 0xB000, Descriptors.INT_GATE32, 0));
        idt(1, SysFixture.gate(SysFixture.CODE0, 0x1000, Descriptors.INT_GATE32, 0) & ~(1L << 47));
        s.gpr[CpuState.ESP] = 0x8000;
        Interrupts.raise(f.cpu, CpuFault.DB, CpuFault.NO_ERROR_CODE, Interrupts.EXCEPTION);
        assertEquals(0xB000, s.eip, "#NP while delivering #DB is delivered as #NP");
        assertEquals(1 * 8 + 2 + 1, f.phys.read32(0x8000 - 16), "IDT error code with EXT");
    }

    @Test
    void faultWhileDeliveringDoubleFaultShutsDown() {
        f.protectedFlat();
        s.idtrLimit = 0; // nothing is deliverable
        s.gpr[CpuState.ESP] = 0x8000;
        Interrupts.raise(f.cpu, CpuFault.PF, 2, Interrupts.EXCEPTION);
        assertTrue(s.shutdown);
    }

    @Test
    void stackFaultOnEveryDeliveryIsATripleFault() {
        f.protectedFlat();
        idt(0x50, SysFixture.gate(SysFixture.CODE0, 0x5000, Descriptors.INT_GATE32, 0));
        idt(8, SysFixture.gate(SysFixture.CODE0, 0x8888, Descriptors.INT_GATE32, 0));
        idt(12, SysFixture.gate(SysFixture.CODE0, 0xC000, Descriptors.INT_GATE32, 0));
        s.seg[Segment.SS].set(SysFixture.EXPAND_DOWN, 0x30000, 0xFFF, 0x97); // 16-bit expand-down stack
        s.gpr[CpuState.ESP] = 0x1004; // room for one dword only
        Interrupts.softwareInterrupt(f.cpu, 0x50, 0x10);
        // #SS(0) is raised; delivering it on the same stack faults again: contributory twice -> #DF,
        // which needs the same stack too: a triple fault. Nothing was pushed.
        assertTrue(s.shutdown);
        assertEquals(0x1004, s.gpr[CpuState.ESP]);
        assertEquals(0, f.phys.read32(0x31000));
    }

    /** Puts the CPU in virtual-8086 mode at 2000:0100 with SS=3000, SP=0xFFE. */
    void enterV86(int iopl) {
        f.protectedFlat();
        s.setEflags(Flags.VM | Flags.FIXED1 | (iopl << 12));
        s.cpl = 3;
        Segmentation.loadSegment(f.cpu, Segment.SS, 0x3000);
        Segmentation.loadSegment(f.cpu, Segment.DS, 0x4000);
        Segmentation.loadSegment(f.cpu, Segment.ES, 0x5000);
        Segmentation.loadSegment(f.cpu, Segment.FS, 0x6000);
        Segmentation.loadSegment(f.cpu, Segment.GS, 0x7000);
        Segmentation.loadRealCs(s, 0x2000);
        s.gpr[CpuState.ESP] = 0xFFE;
    }

    @Test
    void virtual8086IntNIsIoplSensitive() {
        enterV86(0);
        assertEquals(0x40000, s.seg[Segment.DS].base);
        assertEquals(3, s.seg[Segment.DS].dpl());
        f.assertFault(CpuFault.GP, 0, () -> Interrupts.softwareInterrupt(f.cpu, 0x21, 0x102));
        assertEquals(0xFFE, s.gpr[CpuState.ESP]);
    }

    @Test
    void interruptFromVirtual8086ModeSavesSegmentsOnTheRing0Stack() {
        enterV86(3);
        idt(0x21, SysFixture.gate(SysFixture.CODE0, 0x6000, Descriptors.INT_GATE32, 3));
        Interrupts.softwareInterrupt(f.cpu, 0x21, 0x102);
        assertFalse(s.v86());
        assertEquals(0, s.cpl);
        assertEquals(0x6000, s.eip);
        int sp = 0x9000 - 36;
        assertEquals(sp, s.gpr[CpuState.ESP]);
        int[] expected = {0x102, 0x2000, Flags.VM | Flags.IOPL | Flags.FIXED1, 0xFFE, 0x3000, 0x5000, 0x4000, 0x6000, 0x7000};
        for (int i = 0; i < expected.length; i++) assertEquals(expected[i], f.phys.read32(sp + 4 * i), "slot " + i);
        assertFalse(s.seg[Segment.DS].valid, "data segments are nulled");
        // IRETD from ring 0 with VM in the image returns to virtual-8086 mode.
        FarTransfer.iret(f.cpu, 4);
        assertTrue(s.v86());
        assertEquals(0x40000, s.seg[Segment.DS].base);
        assertEquals(0x102, s.eip);
        assertEquals(0xFFE, s.gpr[CpuState.ESP]);
    }

    @Test
    void sixteenBitStackWrapsWithinTheSegment() {
        f.protectedFlat();
        idt(0x41, SysFixture.gate(SysFixture.CODE0, 0x4100, Descriptors.INT_GATE32, 0));
        s.seg[Segment.SS].set(0x10, 0x50000, 0xFFFF, 0x93); // 16-bit stack segment
        s.gpr[CpuState.ESP] = 0xABCD0004;
        s.setEflags(Flags.FIXED1);
        Interrupts.softwareInterrupt(f.cpu, 0x41, 0x77);
        assertEquals(0xABCDFFF8, s.gpr[CpuState.ESP], "SP wraps, the high half of ESP stays");
        assertEquals(Flags.FIXED1, f.phys.read32(0x50000));
        assertEquals(SysFixture.CODE0, f.phys.read32(0x5FFFC));
        assertEquals(0x77, f.phys.read32(0x5FFF8));
    }

    @Test
    void realModeStackOverrunWritesNothing() {
        s.idtrBase = 0;
        s.seg[Segment.SS].loadReal(0x1000);
        s.gpr[CpuState.ESP] = 0x0003; // FLAGS fits at 0001, CS would straddle FFFF
        f.phys.write16(0x10001, 0x5A5A);
        Interrupts.softwareInterrupt(f.cpu, 0x10, 0x20);
        assertEquals(0x5A5A, f.phys.read16(0x10001), "no partial frame");
        assertEquals(3, s.gpr[CpuState.ESP]);
        assertTrue(s.shutdown, "#SS on the same stack, then #DF, then shutdown");
    }
}
