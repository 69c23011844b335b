package org.kasou.cpu.sys;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.kasou.cpu.CpuFault;
import org.kasou.cpu.CpuState;
import org.kasou.cpu.Flags;
import org.kasou.cpu.Segment;

/** #AC(0) for misaligned data accesses at CPL 3 with CR0.AM and EFLAGS.AC (SDM vol. 3, 6.15). */
class AlignmentCheckTest {
    final SysFixture f = new SysFixture();
    final CpuState s = f.s;

    @BeforeEach
    void userModeWithAlignmentChecking() {
        f.protectedFlat();
        s.cpl = 3;
        s.seg[Segment.DS].set(SysFixture.DATA3, 0, 0xFFFFFFFF, SysFixture.ACC_DATA | 0x61);
        s.cr0 |= CpuState.CR0_AM;
        s.eflagsRest |= Flags.AC;
        f.phys.write32(0x5000, 0x44332211);
        f.phys.write32(0x5004, 0x88776655);
    }

    @Test
    void misalignedReadsAndWritesRaiseAc() {
        f.assertFault(CpuFault.AC, 0, () -> f.cpu.memory.read32(Segment.DS, 0x5001), "dword read at +1");
        f.assertFault(CpuFault.AC, 0, () -> f.cpu.memory.read16(Segment.DS, 0x5003), "word read at +3");
        f.assertFault(CpuFault.AC, 0, () -> f.cpu.memory.write32(Segment.DS, 0x5002, 0), "dword write at +2");
        assertEquals(0x44332211, f.phys.read32(0x5000), "the faulting write wrote nothing");
    }

    @Test
    void alignedAndByteAccessesDoNotFault() {
        assertEquals(0x88776655, f.cpu.memory.read32(Segment.DS, 0x5004));
        assertEquals(0x4433, f.cpu.memory.read16(Segment.DS, 0x5002));
        assertEquals(0x22, f.cpu.memory.read8(Segment.DS, 0x5001));
    }

    @Test
    void noCheckAtCplZeroWithAmClearOrAcClear() {
        s.cpl = 0;
        assertEquals(0x55443322, f.cpu.memory.read32(Segment.DS, 0x5001), "CPL 0");
        s.cpl = 3;
        s.cr0 &= ~CpuState.CR0_AM;
        assertEquals(0x55443322, f.cpu.memory.read32(Segment.DS, 0x5001), "CR0.AM clear");
        s.cr0 |= CpuState.CR0_AM;
        s.eflagsRest &= ~Flags.AC;
        assertEquals(0x55443322, f.cpu.memory.read32(Segment.DS, 0x5001), "EFLAGS.AC clear");
    }

    @Test
    void alignmentCheckingIsOnAtCplThreeWithAmAcAndPeOnly() {
        for (int cpl = 0; cpl < 4; cpl++) {
            for (int bits = 0; bits < 8; bits++) {
                boolean am = (bits & 1) != 0, ac = (bits & 2) != 0, pe = (bits & 4) != 0;
                s.cpl = cpl;
                s.cr0 = (s.cr0 & ~(CpuState.CR0_AM | CpuState.CR0_PE)) | (am ? CpuState.CR0_AM : 0) | (pe ? CpuState.CR0_PE : 0);
                s.eflagsRest = (s.eflagsRest & ~Flags.AC) | (ac ? Flags.AC : 0);
                assertEquals(cpl == 3 && am && ac && pe, f.cpu.memory.alignmentChecking(),
                        "CPL " + cpl + " AM " + am + " AC " + ac + " PE " + pe);
            }
        }
    }

    @Test
    void aPageFaultComesBeforeTheAlignmentCheck() {
        // a misaligned dword across into an unmapped page: #PF has the higher priority (SDM vol. 3, 6.9)
        int pd = 0x100000, pt = 0x101000;
        f.phys.write32(pd, pt | 7);
        for (int i = 0; i < 0x10; i++) f.phys.write32(pt + i * 4, (i << 12) | 7);
        s.cr3 = pd;
        s.cr0 |= CpuState.CR0_PG;
        f.cpu.memory.flushTlb();
        f.assertFault(CpuFault.PF, 4 | 0, () -> f.cpu.memory.read32(Segment.DS, 0xFFFE), "user read, page 0x10 not present");
    }
}
