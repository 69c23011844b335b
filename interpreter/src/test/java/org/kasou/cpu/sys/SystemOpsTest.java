package org.kasou.cpu.sys;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.kasou.cpu.CpuFault;
import org.kasou.cpu.CpuState;
import org.kasou.cpu.Flags;
import org.kasou.cpu.Segment;

/** CPUID, MSRs, SYSENTER/SYSEXIT, descriptor-table and control registers, selector tests. */
class SystemOpsTest {
    final SysFixture f = new SysFixture();
    final CpuState s = f.s;

    static String regsAsText(int... regs) {
        StringBuilder b = new StringBuilder();
        for (int r : regs) for (int i = 0; i < 4; i++) b.append((char) ((r >>> (8 * i)) & 0xFF));
        return b.toString();
    }

    @Test
    void cpuidIdentifiesAP6WithFpuWithoutSse() {
        s.gpr[CpuState.EAX] = 0;
        SystemOps.cpuid(f.cpu);
        assertEquals(1, s.gpr[CpuState.EAX]);
        assertEquals("KasouVirtCPU", regsAsText(s.gpr[CpuState.EBX], s.gpr[CpuState.EDX], s.gpr[CpuState.ECX]));
        s.gpr[CpuState.EAX] = 1;
        SystemOps.cpuid(f.cpu);
        assertEquals(6, (s.gpr[CpuState.EAX] >>> 8) & 0xF, "family");
        int edx = s.gpr[CpuState.EDX];
        assertEquals(1, edx & 1, "FPU");
        assertEquals(0, edx & (1 << 23), "no MMX");
        assertEquals(0, edx & (3 << 25), "no SSE/SSE2");
        for (int bit : new int[] {3, 4, 5, 8, 11, 13, 15}) assertTrue((edx & (1 << bit)) != 0, "feature bit " + bit);
        assertEquals(0, s.gpr[CpuState.ECX]);
        // Leaves above the maximum return the highest basic leaf.
        s.gpr[CpuState.EAX] = 0x1234;
        SystemOps.cpuid(f.cpu);
        assertEquals(edx, s.gpr[CpuState.EDX]);
        s.gpr[CpuState.EAX] = 0x80000002;
        SystemOps.cpuid(f.cpu);
        assertEquals("Kasou Virtual CP", regsAsText(s.gpr[CpuState.EAX], s.gpr[CpuState.EBX], s.gpr[CpuState.ECX], s.gpr[CpuState.EDX]));
    }

    @Test
    void timeStampCounterAndMsrs() {
        f.cpu.instructions = 1000;
        SystemOps.rdtsc(f.cpu);
        assertEquals(1000, s.gpr[CpuState.EAX]);
        s.gpr[CpuState.ECX] = SystemOps.MSR_TSC;
        s.gpr[CpuState.EAX] = 5;
        s.gpr[CpuState.EDX] = 1;
        SystemOps.wrmsr(f.cpu);
        f.cpu.instructions = 1010;
        SystemOps.rdtsc(f.cpu);
        assertEquals(15, s.gpr[CpuState.EAX]);
        assertEquals(1, s.gpr[CpuState.EDX]);
        s.gpr[CpuState.ECX] = SystemOps.MSR_BIOS_SIGN_ID; // the microcode signature probe of every OS
        SystemOps.wrmsr(f.cpu);
        SystemOps.rdmsr(f.cpu);
        assertEquals(0, s.gpr[CpuState.EDX]);
        s.gpr[CpuState.ECX] = 0x1B; // APIC base: not implemented yet
        f.assertFault(CpuFault.GP, 0, () -> SystemOps.rdmsr(f.cpu));
        f.protectedFlat();
        s.cpl = 3;
        s.gpr[CpuState.ECX] = SystemOps.MSR_SYSENTER_CS;
        f.assertFault(CpuFault.GP, 0, () -> SystemOps.rdmsr(f.cpu));
        SystemOps.rdtsc(f.cpu);
        s.cr4 = CpuState.CR4_TSD;
        f.assertFault(CpuFault.GP, 0, () -> SystemOps.rdtsc(f.cpu));
    }

    @Test
    void sysenterAndSysexit() {
        f.assertFault(CpuFault.GP, 0, () -> SystemOps.sysenter(f.cpu)); // real mode
        f.protectedFlat();
        s.gpr[CpuState.ECX] = SystemOps.MSR_SYSENTER_CS;
        s.gpr[CpuState.EAX] = SysFixture.CODE0;
        s.gpr[CpuState.EDX] = 0;
        SystemOps.wrmsr(f.cpu);
        s.sysenterEsp = 0x9000;
        s.sysenterEip = 0xC0001000;
        s.cpl = 3;
        s.eflagsRest |= Flags.IF;
        SystemOps.sysenter(f.cpu);
        assertEquals(0, s.cpl);
        assertEquals(SysFixture.CODE0, s.seg[Segment.CS].selector);
        assertEquals(SysFixture.CODE0 + 8, s.seg[Segment.SS].selector);
        assertEquals(0xC0001000, s.eip);
        assertEquals(0x9000, s.gpr[CpuState.ESP]);
        assertEquals(0, s.eflagsRest & Flags.IF);
        s.gpr[CpuState.ECX] = 0x7000;
        s.gpr[CpuState.EDX] = 0x400000;
        SystemOps.sysexit(f.cpu);
        assertEquals(3, s.cpl);
        assertEquals(SysFixture.CODE0 + 16 | 3, s.seg[Segment.CS].selector);
        assertEquals(SysFixture.CODE0 + 24 | 3, s.seg[Segment.SS].selector);
        assertEquals(3, s.seg[Segment.SS].dpl());
        assertEquals(0x400000, s.eip);
        assertEquals(0x7000, s.gpr[CpuState.ESP]);
        f.assertFault(CpuFault.GP, 0, () -> SystemOps.sysexit(f.cpu));
    }

    @Test
    void descriptorTableRegisters() {
        s.seg[Segment.DS].loadReal(0);
        f.phys.write16(0x600, 0x1FF);
        f.phys.write32(0x602, 0xAB123456);
        SystemOps.lgdt(f.cpu, Segment.DS, 0x600, 2);
        assertEquals(0x123456, s.gdtrBase, "a 16-bit LGDT loads 24 bits of base");
        assertEquals(0x1FF, s.gdtrLimit);
        SystemOps.lidt(f.cpu, Segment.DS, 0x600, 4);
        assertEquals(0xAB123456, s.idtrBase);
        SystemOps.sidt(f.cpu, Segment.DS, 0x700, 4);
        assertEquals(0x1FF, f.phys.read16(0x700));
        assertEquals(0xAB123456, f.phys.read32(0x702));
        SystemOps.sidt(f.cpu, Segment.DS, 0x710, 2);
        assertEquals(0x00123456, f.phys.read32(0x712));
        f.protectedFlat();
        s.cpl = 3;
        f.assertFault(CpuFault.GP, 0, () -> SystemOps.lgdt(f.cpu, Segment.DS, 0x600, 4));
        SystemOps.sgdt(f.cpu, Segment.DS, 0x720, 4); // SGDT is not privileged
        assertEquals(SysFixture.GDT, f.phys.read32(0x722));
    }

    @Test
    void controlRegisters() {
        f.assertFault(CpuFault.GP, 0, () -> SystemOps.movToCr(f.cpu, 0, CpuState.CR0_PG)); // PG without PE
        f.assertFault(CpuFault.GP, 0, () -> SystemOps.movToCr(f.cpu, 0, CpuState.CR0_NW | CpuState.CR0_PE));
        f.assertFault(CpuFault.UD, CpuFault.NO_ERROR_CODE, () -> SystemOps.movToCr(f.cpu, 1, 0));
        f.assertFault(CpuFault.UD, CpuFault.NO_ERROR_CODE, () -> SystemOps.movFromCr(f.cpu, 5));
        f.assertFault(CpuFault.GP, 0, () -> SystemOps.movToCr(f.cpu, 4, CpuState.CR4_VME)); // not offered
        SystemOps.movToCr(f.cpu, 0, CpuState.CR0_PE | CpuState.CR0_MP);
        assertEquals(CpuState.CR0_PE | CpuState.CR0_MP | CpuState.CR0_ET, SystemOps.movFromCr(f.cpu, 0));
        SystemOps.lmsw(f.cpu, 0x8); // sets TS, cannot clear PE
        assertEquals(CpuState.CR0_PE | CpuState.CR0_TS | CpuState.CR0_ET, s.cr0);
        SystemOps.clts(f.cpu);
        assertEquals(0, s.cr0 & CpuState.CR0_TS);
        s.cpl = 3;
        f.assertFault(CpuFault.GP, 0, () -> SystemOps.movFromCr(f.cpu, 0));
        f.assertFault(CpuFault.GP, 0, () -> SystemOps.clts(f.cpu));
        f.assertFault(CpuFault.GP, 0, () -> SystemOps.hlt(f.cpu));
        f.assertFault(CpuFault.GP, 0, () -> SystemOps.movToDr(f.cpu, 7, 0));
        assertEquals(CpuState.CR0_PE | CpuState.CR0_ET, SystemOps.smsw(f.cpu) & 0xFFFF, "SMSW is not privileged");
    }

    @Test
    void debugRegisters() {
        SystemOps.movToDr(f.cpu, 0, 0x1234);
        assertEquals(0x1234, SystemOps.movFromDr(f.cpu, 0));
        assertEquals(0xFFFF0FF0, SystemOps.movFromDr(f.cpu, 4), "DR4 aliases DR6 without CR4.DE");
        s.cr4 = CpuState.CR4_DE;
        f.assertFault(CpuFault.UD, CpuFault.NO_ERROR_CODE, () -> SystemOps.movFromDr(f.cpu, 5));
        SystemOps.movToDr(f.cpu, 7, 1 << 13);
        f.assertFault(CpuFault.DB, CpuFault.NO_ERROR_CODE, () -> SystemOps.movFromDr(f.cpu, 0));
        assertEquals(1 << 13, s.dr[6] & (1 << 13), "DR6.BD");
    }

    @Test
    void selectorTests() {
        f.assertFault(CpuFault.UD, CpuFault.NO_ERROR_CODE, () -> SystemOps.lar(f.cpu, SysFixture.CODE0));
        f.protectedFlat();
        s.setEflags(Flags.FIXED1 | Flags.CF);
        assertEquals(0x00CF9A00L, SystemOps.lar(f.cpu, SysFixture.CODE0)); // as stored: not yet accessed
        assertTrue(s.flag(Flags.ZF));
        assertTrue(s.flag(Flags.CF), "other flags are kept");
        assertEquals(0xFFFFFFFFL, SystemOps.lsl(f.cpu, SysFixture.DATA0));
        assertEquals(0x67L, SystemOps.lsl(f.cpu, SysFixture.TSS_SEL));
        assertEquals(-1L, SystemOps.lar(f.cpu, 0x1000)); // outside the GDT: no fault
        assertTrue(!s.flag(Flags.ZF));
        SystemOps.verw(f.cpu, SysFixture.DATA_RO);
        assertTrue(!s.flag(Flags.ZF));
        SystemOps.verr(f.cpu, SysFixture.DATA_RO);
        assertTrue(s.flag(Flags.ZF));
        SystemOps.verr(f.cpu, SysFixture.CODE_XO);
        assertTrue(!s.flag(Flags.ZF));
        s.cpl = 3;
        assertEquals(-1L, SystemOps.lar(f.cpu, SysFixture.DATA0 | 3), "DPL 0 is invisible at CPL 3");
        assertEquals(0x00CFF200L, SystemOps.lar(f.cpu, SysFixture.DATA3));
        assertEquals(0x1B, SystemOps.arpl(f.cpu, 0x18, 0x3));
        assertTrue(s.flag(Flags.ZF));
        assertEquals(0x1B, SystemOps.arpl(f.cpu, 0x1B, 0x1));
        assertTrue(!s.flag(Flags.ZF));
    }

    @Test
    void taskRegister() {
        f.protectedFlat();
        f.putGdt(SysFixture.TSS_SEL, SysFixture.desc(0x3000, 0x67, 0x89));
        SystemOps.ltr(f.cpu, SysFixture.TSS_SEL);
        assertEquals(SysFixture.TSS_SEL, SystemOps.str(f.cpu));
        assertEquals(0xB, Descriptors.type(f.get(SysFixture.GDT + SysFixture.TSS_SEL)), "marked busy");
        f.assertFault(CpuFault.GP, SysFixture.TSS_SEL, () -> SystemOps.ltr(f.cpu, SysFixture.TSS_SEL));
        f.assertFault(CpuFault.GP, SysFixture.DATA0, () -> SystemOps.ltr(f.cpu, SysFixture.DATA0));
    }

    @Test
    void ioPrivilege() {
        SystemOps.checkIo(f.cpu, 0x60, 1); // real mode: always allowed
        f.protectedFlat();
        s.cpl = 3;
        f.assertFault(CpuFault.GP, 0, () -> SystemOps.cli(f.cpu));
        // A TSS with an I/O bitmap at offset 0x68 allowing ports 0x60-0x67 except 0x64.
        s.seg[Segment.TR].limit = 0x68 + 0x10;
        f.phys.write16(SysFixture.TSS + 102, 0x68);
        f.phys.write8(SysFixture.TSS + 0x68 + 0x0C, 0x10);
        f.phys.write8(SysFixture.TSS + 0x68 + 0x0D, 0x00);
        SystemOps.checkIo(f.cpu, 0x60, 4);
        f.assertFault(CpuFault.GP, 0, () -> SystemOps.checkIo(f.cpu, 0x62, 4));
        f.assertFault(CpuFault.GP, 0, () -> SystemOps.checkIo(f.cpu, 0x64, 1));
        f.assertFault(CpuFault.GP, 0, () -> SystemOps.checkIo(f.cpu, 0x3F8, 1), "beyond the bitmap");
        s.eflagsRest |= Flags.IOPL;
        SystemOps.checkIo(f.cpu, 0x64, 1);
        SystemOps.cli(f.cpu);
        SystemOps.sti(f.cpu);
        assertTrue(s.interruptShadow);
    }

    @Test
    void popfPrivilegeRules() {
        f.protectedFlat();
        s.cpl = 3;
        s.setEflags(Flags.FIXED1 | Flags.IF);
        SystemOps.popf(f.cpu, Flags.IOPL | Flags.CF | Flags.DF, 4);
        assertEquals(Flags.FIXED1 | Flags.IF | Flags.CF | Flags.DF, s.eflags(), "IF and IOPL kept at CPL 3");
        s.cpl = 0;
        SystemOps.popf(f.cpu, Flags.IOPL | Flags.VM | Flags.RF, 4);
        assertEquals(Flags.FIXED1 | Flags.IOPL, s.eflags(), "VM unaffected, RF cleared");
    }
}
