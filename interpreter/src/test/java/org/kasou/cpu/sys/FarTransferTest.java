package org.kasou.cpu.sys;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import org.junit.jupiter.api.Test;
import org.kasou.cpu.CpuFault;
import org.kasou.cpu.CpuState;
import org.kasou.cpu.Flags;
import org.kasou.cpu.Segment;

/** Far JMP, CALL, RET and IRET (SDM vol. 2). */
class FarTransferTest {
    final SysFixture f = new SysFixture();
    final CpuState s = f.s;

    @Test
    void realModeCallAndReturn() {
        s.seg[Segment.CS].loadReal(0x1000);
        s.seg[Segment.SS].loadReal(0x2000);
        s.gpr[CpuState.ESP] = 0x0100;
        FarTransfer.callFar(f.cpu, 0x3000, 0x12345, 2, 0x0055);
        assertEquals(0x2345, s.eip, "16-bit operand size truncates the offset");
        assertEquals(0x30000, s.seg[Segment.CS].base);
        assertEquals(0xFC, s.gpr[CpuState.ESP]);
        assertEquals(0x55, f.phys.read16(0x200FC));
        assertEquals(0x1000, f.phys.read16(0x200FE));
        FarTransfer.retFar(f.cpu, 2, 4);
        assertEquals(0x55, s.eip);
        assertEquals(0x1000, s.seg[Segment.CS].selector);
        assertEquals(0x104, s.gpr[CpuState.ESP]);
    }

    @Test
    void realModeThirtyTwoBitCallPushesDwords() {
        s.seg[Segment.SS].loadReal(0x2000);
        s.gpr[CpuState.ESP] = 0x0100;
        FarTransfer.callFar(f.cpu, 0x3000, 0x1234, 4, 0x0055);
        assertEquals(0xF8, s.gpr[CpuState.ESP]);
        assertEquals(0x55, f.phys.read32(0x200F8));
        assertEquals(0xF000, f.phys.read32(0x200FC));
        f.assertFault(CpuFault.GP, 0, () -> FarTransfer.jmpFar(f.cpu, 0, 0x10000, 4, 0));
    }

    @Test
    void realModeIretRestoresFlags() {
        s.seg[Segment.SS].loadReal(0);
        s.gpr[CpuState.ESP] = 0x500;
        f.phys.write16(0x500, 0x1111);
        f.phys.write16(0x502, 0x2222);
        f.phys.write16(0x504, Flags.IF | Flags.DF | Flags.CF | Flags.IOPL | Flags.FIXED1);
        FarTransfer.iret(f.cpu, 2);
        assertEquals(0x1111, s.eip);
        assertEquals(0x22220, s.seg[Segment.CS].base);
        assertEquals(0x506, s.gpr[CpuState.ESP]);
        assertEquals(Flags.IF | Flags.DF | Flags.CF | Flags.IOPL | Flags.FIXED1, s.eflags());
    }

    @Test
    void protectedJmpAndCallToCode() {
        f.protectedFlat();
        s.gpr[CpuState.ESP] = 0x8000;
        FarTransfer.jmpFar(f.cpu, SysFixture.CODE16, 0x100, 2, 0);
        assertEquals(0x10000, s.seg[Segment.CS].base);
        assertFalse(s.seg[Segment.CS].big());
        FarTransfer.callFar(f.cpu, SysFixture.CODE0, 0x4000, 4, 0x105);
        assertEquals(0x7FF8, s.gpr[CpuState.ESP]);
        assertEquals(0x105, f.phys.read32(0x7FF8));
        assertEquals(SysFixture.CODE16, f.phys.read32(0x7FFC));
        FarTransfer.retFar(f.cpu, 4, 0);
        assertEquals(SysFixture.CODE16, s.seg[Segment.CS].selector);
        assertEquals(0x105, s.eip);
        assertEquals(0x8000, s.gpr[CpuState.ESP]);
    }

    @Test
    void protectedTransferChecks() {
        f.protectedFlat();
        s.gpr[CpuState.ESP] = 0x8000;
        f.assertFault(CpuFault.GP, 0, () -> FarTransfer.jmpFar(f.cpu, 0, 0, 4, 0));
        f.assertFault(CpuFault.GP, SysFixture.DATA0, () -> FarTransfer.jmpFar(f.cpu, SysFixture.DATA0, 0, 4, 0));
        f.assertFault(CpuFault.GP, SysFixture.CODE3 & ~3, () -> FarTransfer.jmpFar(f.cpu, SysFixture.CODE3, 0, 4, 0));
        f.assertFault(CpuFault.GP, 0, () -> FarTransfer.jmpFar(f.cpu, SysFixture.CODE16, 0x10000, 4, 0));
        f.assertFault(CpuFault.GP, SysFixture.TSS_SEL, () -> FarTransfer.callFar(f.cpu, SysFixture.TSS_SEL, 0, 4, 0));
        f.putGdt(SysFixture.NOT_PRESENT, SysFixture.desc(0, 0xFFFF, 0x1A));
        f.assertFault(CpuFault.NP, SysFixture.NOT_PRESENT, () -> FarTransfer.callFar(f.cpu, SysFixture.NOT_PRESENT, 0, 4, 0));
        assertEquals(0x8000, s.gpr[CpuState.ESP], "a failed CALL pushes nothing");
        // A conforming segment of DPL 0 is reachable from CPL 3 and keeps CPL 3.
        s.cpl = 3;
        s.seg[Segment.SS].set(SysFixture.DATA3, 0, 0xFFFFFFFF, SysFixture.ACC_DATA | 0x61);
        FarTransfer.jmpFar(f.cpu, SysFixture.CONFORMING, 0x10, 4, 0);
        assertEquals(SysFixture.CONFORMING | 3, s.seg[Segment.CS].selector);
        assertEquals(3, s.cpl);
    }

    @Test
    void callGateToInnerLevelCopiesParameters() {
        f.protectedFlat();
        int gateSel = 0x60;
        f.putGdt(gateSel, SysFixture.gate(SysFixture.CODE0, 0x7000, Descriptors.CALL_GATE32, 3) | (2L << 32));
        s.gdtrLimit = 0x67;
        s.seg[Segment.CS].set(SysFixture.CODE3, 0, 0xFFFFFFFF, SysFixture.ACC_CODE | 0x61);
        s.seg[Segment.SS].set(SysFixture.DATA3, 0, 0xFFFFFFFF, SysFixture.ACC_DATA | 0x61);
        s.cpl = 3;
        s.gpr[CpuState.ESP] = 0x6000;
        f.phys.write32(0x6000, 0xAAAA);
        f.phys.write32(0x6004, 0xBBBB);
        FarTransfer.callFar(f.cpu, gateSel | 3, 0xDEAD, 4, 0x321);
        assertEquals(0, s.cpl);
        assertEquals(0x7000, s.eip, "the gate's offset, not the instruction's");
        int sp = 0x9000 - 24;
        assertEquals(sp, s.gpr[CpuState.ESP]);
        assertEquals(0x321, f.phys.read32(sp));
        assertEquals(SysFixture.CODE3, f.phys.read32(sp + 4));
        assertEquals(0xAAAA, f.phys.read32(sp + 8));
        assertEquals(0xBBBB, f.phys.read32(sp + 12));
        assertEquals(0x6000, f.phys.read32(sp + 16));
        assertEquals(SysFixture.DATA3, f.phys.read32(sp + 20));
        // RET 8 back to ring 3 pops the parameters from both stacks.
        s.seg[Segment.DS].set(SysFixture.DATA0, 0, 0xFFFFFFFF, SysFixture.ACC_DATA | 1);
        FarTransfer.retFar(f.cpu, 4, 8);
        assertEquals(3, s.cpl);
        assertEquals(0x321, s.eip);
        assertEquals(0x6008, s.gpr[CpuState.ESP]);
        assertEquals(SysFixture.DATA3, s.seg[Segment.SS].selector);
        assertFalse(s.seg[Segment.DS].valid, "DS with DPL 0 is nulled on the way out");
    }

    @Test
    void iretChecksAndFlagRules() {
        f.protectedFlat();
        s.gpr[CpuState.ESP] = 0x8000;
        s.setEflags(Flags.FIXED1);
        // At CPL 0 IOPL and IF can change.
        f.phys.write32(0x8000, 0x1234);
        f.phys.write32(0x8004, SysFixture.CODE0);
        f.phys.write32(0x8008, Flags.IF | Flags.IOPL | Flags.CF | Flags.VIP | Flags.RF);
        FarTransfer.iret(f.cpu, 4);
        assertEquals(Flags.IF | Flags.IOPL | Flags.CF | Flags.VIP | Flags.RF | Flags.FIXED1, s.eflags(),
                "RF comes from the image (the run loop clears it after the next instruction)");
        // Returning to a more privileged level is #GP(selector).
        s.cpl = 3;
        s.seg[Segment.SS].set(SysFixture.DATA3, 0, 0xFFFFFFFF, SysFixture.ACC_DATA | 0x61);
        s.gpr[CpuState.ESP] = 0x8000;
        f.assertFault(CpuFault.GP, SysFixture.CODE0, () -> FarTransfer.iret(f.cpu, 4));
        // At CPL 3 with IOPL 0, IF and IOPL keep their values.
        s.setEflags(Flags.FIXED1);
        f.phys.write32(0x8004, SysFixture.CODE3);
        FarTransfer.iret(f.cpu, 4);
        assertEquals(Flags.CF | Flags.RF | Flags.FIXED1, s.eflags());
        // NT set with a null back link in the TSS: #TS(0).
        s.eflagsRest |= Flags.NT;
        f.assertFault(CpuFault.TS, 0, () -> FarTransfer.iret(f.cpu, 4));
    }

    @Test
    void iretToVirtual8086Mode() {
        f.protectedFlat();
        s.gpr[CpuState.ESP] = 0x8000;
        int[] frame = {0x0100, 0x2000, Flags.VM | Flags.IF | Flags.FIXED1, 0xFFE, 0x3000, 0x4000, 0x5000, 0x6000, 0x7000};
        for (int i = 0; i < frame.length; i++) f.phys.write32(0x8000 + 4 * i, frame[i]);
        FarTransfer.iret(f.cpu, 4);
        assertEquals(3, s.cpl);
        assertEquals(0x20000, s.seg[Segment.CS].base);
        assertEquals(0x30000, s.seg[Segment.SS].base);
        assertEquals(0x40000, s.seg[Segment.ES].base);
        assertEquals(0x70000, s.seg[Segment.GS].base);
        assertEquals(0xFFE, s.gpr[CpuState.ESP]);
        assertEquals(0x100, s.eip);
        assertEquals(true, s.v86());
    }
}
