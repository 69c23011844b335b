package org.kasou.cpu.sys;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.kasou.cpu.CpuFault;
import org.kasou.cpu.Flags;
import org.kasou.cpu.Segment;

/** Segment limit and rights checks (SDM vol. 3, 5.3-5.4) and segment register loads. */
class SegmentationTest {
    final SysFixture f = new SysFixture();

    @Test
    void realModeWrapsSelectorTimesSixteenAndChecksThe64KiBLimit() {
        Segmentation.loadSegment(f.cpu, Segment.DS, 0x1234);
        assertEquals(0x12340, f.s.seg[Segment.DS].base);
        f.cpu.memory.write16(Segment.DS, 0xFFFE, 0xBEEF);
        assertEquals(0xBEEF, f.phys.read16(0x2233E));
        // A word at offset 0xFFFF crosses the limit: #GP(0) for DS, #SS(0) for SS (80386 and later).
        f.assertFault(CpuFault.GP, 0, () -> f.cpu.memory.read16(Segment.DS, 0xFFFF));
        f.assertFault(CpuFault.SS, 0, () -> f.cpu.memory.write16(Segment.SS, 0xFFFF, 0));
        f.assertFault(CpuFault.GP, 0, () -> f.cpu.memory.read8(Segment.ES, 0x10000));
        // Real mode writes through CS are allowed (no rights checks outside protected mode).
        f.cpu.memory.write8(Segment.CS, 0, 1);
    }

    @Test
    void protectedModeRights() {
        f.protectedFlat();
        Segmentation.loadSegment(f.cpu, Segment.ES, SysFixture.DATA_RO);
        f.phys.write8(0x20010, 7);
        assertEquals(7, f.cpu.memory.read8(Segment.ES, 0x10));
        f.assertFault(CpuFault.GP, 0, () -> f.cpu.memory.write8(Segment.ES, 0x10, 1));
        f.assertFault(CpuFault.GP, 0, () -> f.cpu.memory.write32(Segment.CS, 0x100, 1));
        f.s.seg[Segment.FS].set(SysFixture.CODE_XO, 0, 0xFFFF, 0x98);
        f.assertFault(CpuFault.GP, 0, () -> f.cpu.memory.read8(Segment.FS, 0));
        // A null selector loads fine but any use of the register is #GP(0).
        Segmentation.loadSegment(f.cpu, Segment.GS, 0x0003);
        assertFalse(f.s.seg[Segment.GS].valid);
        f.assertFault(CpuFault.GP, 0, () -> f.cpu.memory.read8(Segment.GS, 0));
    }

    @Test
    void expandDownLimits() {
        f.protectedFlat();
        Segmentation.loadSegment(f.cpu, Segment.DS, SysFixture.EXPAND_DOWN); // limit 0xFFF, 16-bit: offsets 0x1000-0xFFFF
        f.cpu.memory.write16(Segment.DS, 0x1000, 0x1234);
        assertEquals(0x1234, f.phys.read16(0x31000));
        f.cpu.memory.write16(Segment.DS, 0xFFFE, 1);
        f.assertFault(CpuFault.GP, 0, () -> f.cpu.memory.read8(Segment.DS, 0xFFF));
        f.assertFault(CpuFault.GP, 0, () -> f.cpu.memory.read16(Segment.DS, 0xFFFF));
        f.assertFault(CpuFault.GP, 0, () -> f.cpu.memory.read8(Segment.DS, 0x10000));
    }

    @Test
    void flatLimitAtTheTopOfTheAddressSpace() {
        f.protectedFlat();
        f.assertFault(CpuFault.GP, 0, () -> f.cpu.memory.read32(Segment.DS, 0xFFFFFFFE));
        f.assertFault(CpuFault.SS, 0, () -> f.cpu.memory.read32(Segment.SS, 0xFFFFFFFD));
    }

    @Test
    void loadChecks() {
        f.protectedFlat();
        f.assertFault(CpuFault.GP, 0, () -> Segmentation.loadSegment(f.cpu, Segment.SS, 0));
        f.assertFault(CpuFault.GP, SysFixture.DATA0, () -> Segmentation.loadSegment(f.cpu, Segment.SS, SysFixture.DATA0 | 3));
        f.assertFault(CpuFault.GP, SysFixture.DATA3 & ~3, () -> Segmentation.loadSegment(f.cpu, Segment.SS, SysFixture.DATA3 & ~3));
        f.assertFault(CpuFault.GP, SysFixture.DATA_RO, () -> Segmentation.loadSegment(f.cpu, Segment.SS, SysFixture.DATA_RO));
        f.assertFault(CpuFault.GP, SysFixture.CODE_XO, () -> Segmentation.loadSegment(f.cpu, Segment.DS, SysFixture.CODE_XO));
        f.assertFault(CpuFault.GP, SysFixture.TSS_SEL, () -> Segmentation.loadSegment(f.cpu, Segment.DS, SysFixture.TSS_SEL));
        f.assertFault(CpuFault.NP, SysFixture.NOT_PRESENT, () -> Segmentation.loadSegment(f.cpu, Segment.DS, SysFixture.NOT_PRESENT));
        f.putGdt(SysFixture.NOT_PRESENT, SysFixture.desc(0, 0xFFFF, 0x12)); // writable data, not present
        f.assertFault(CpuFault.SS, SysFixture.NOT_PRESENT, () -> Segmentation.loadSegment(f.cpu, Segment.SS, SysFixture.NOT_PRESENT));
        f.assertFault(CpuFault.GP, 0x68, () -> Segmentation.loadSegment(f.cpu, Segment.DS, 0x68)); // past the GDT limit
        f.assertFault(CpuFault.GP, 0x0C, () -> Segmentation.loadSegment(f.cpu, Segment.DS, 0x0C)); // LDT with no LDT
        // At CPL 3, a DPL 0 data segment is out of reach; RPL 3 to a DPL 3 one is fine.
        f.s.cpl = 3;
        f.assertFault(CpuFault.GP, SysFixture.DATA0, () -> Segmentation.loadSegment(f.cpu, Segment.DS, SysFixture.DATA0 | 3));
        Segmentation.loadSegment(f.cpu, Segment.DS, SysFixture.DATA3);
        // Conforming readable code can be loaded from any level.
        Segmentation.loadSegment(f.cpu, Segment.ES, SysFixture.CONFORMING | 3);
    }

    @Test
    void loadSetsAccessedBitAndCache() {
        f.protectedFlat();
        f.putGdt(SysFixture.DATA_RO, SysFixture.desc(0x20000, 0xFFFF, 0x90));
        Segmentation.loadSegment(f.cpu, Segment.DS, SysFixture.DATA_RO | 0);
        Segment ds = f.s.seg[Segment.DS];
        assertEquals(0x20000, ds.base);
        assertEquals(0xFFFF, ds.limit);
        assertEquals(0x91, ds.access);
        assertTrue((f.get(SysFixture.GDT + SysFixture.DATA_RO) >>> 40 & 1) == 1, "accessed bit written back");
        Segmentation.loadSegment(f.cpu, Segment.SS, SysFixture.DATA0);
        assertEquals(0xFFFFFFFF, f.s.seg[Segment.SS].limit, "4 KiB granularity");
        assertTrue(f.s.interruptShadow);
    }

    @Test
    void localDescriptorTable() {
        f.protectedFlat();
        int ldt = 0x5000;
        f.putGdt(SysFixture.LDT_SEL, SysFixture.desc(ldt, 0xF, 0x82));
        f.s.gdtrLimit = 0x6F;
        f.put(ldt + 8, SysFixture.desc(0x40000, 0xFF, 0x92));
        SystemOps.lldt(f.cpu, SysFixture.LDT_SEL);
        Segmentation.loadSegment(f.cpu, Segment.FS, 0x0C);
        assertEquals(0x40000, f.s.seg[Segment.FS].base);
        f.assertFault(CpuFault.GP, 0x14, () -> Segmentation.loadSegment(f.cpu, Segment.FS, 0x14));
        assertEquals(Flags.FIXED1, f.s.eflagsRest & Flags.FIXED1);
    }
}
