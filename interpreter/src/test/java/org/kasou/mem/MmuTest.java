package org.kasou.mem;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.kasou.cpu.CpuFault;
import org.kasou.cpu.CpuState;
import org.kasou.cpu.Segment;
import org.kasou.cpu.sys.SysFixture;
import org.kasou.cpu.sys.SystemOps;

/** Paging, the TLB and its flushes, A20, and code-page write tracking (SDM vol. 3, chapter 4). */
class MmuTest {
    static final int PD = 0x10000, PT = 0x11000, PT2 = 0x12000;
    static final int P = 1, RW = 2, US = 4, A = 0x20, D = 0x40, PS = 0x80, G = 0x100;

    SysFixture f;
    PhysicalMemory phys;
    Memory mem;
    CpuState s;

    @BeforeEach
    void setUp() {
        f = new SysFixture();
        f.protectedFlat();
        phys = f.phys;
        mem = f.cpu.memory;
        s = f.s;
        // PDE 1 (linear 0x00400000-0x007FFFFF) -> PT; PDE 0 identity-maps the first 4 MiB through PT2.
        phys.write32(PD + 4, PT | P | RW | US);
        phys.write32(PD, PT2 | P | RW | US);
        for (int i = 0; i < 1024; i++) phys.write32(PT2 + i * 4, (i << 12) | P | RW | US);
        s.cr3 = PD;
        SystemOps.movToCr(f.cpu, 0, s.cr0 | CpuState.CR0_PG);
    }

    void map(int linear, int pte) {
        phys.write32(PT + ((linear >>> 12) & 0x3FF) * 4, pte);
    }

    @Test
    void fourKilobytePageWalkSetsAccessedThenDirty() {
        map(0x401000, 0x5000 | P | RW | US);
        phys.write32(0x5123, 0xCAFEBABE);
        assertEquals(0xCAFEBABE, mem.readLinear32(0x401123));
        assertEquals(A, phys.read32(PD + 4) & (A | D));
        assertEquals(A, phys.read32(PT + 4) & (A | D), "a read sets A, not D");
        mem.writeLinear16(0x401200, 0x1234);
        assertEquals(0x1234, phys.read16(0x5200));
        assertEquals(A | D, phys.read32(PT + 4) & (A | D), "a write sets D");
        assertEquals(0, phys.read32(PD + 4) & D, "D is not set in a PDE that points to a page table");
    }

    @Test
    void fourMegabytePagesNeedPse() {
        phys.write32(PD + 8, 0x00000000 | P | RW | PS); // linear 0x800000 -> physical 0 as a 4 MiB page
        phys.write32(0x32345, 0x11223344);
        SystemOps.movToCr(f.cpu, 4, CpuState.CR4_PSE);
        assertEquals(0x11223344, mem.readSystem32(0x832345));
        mem.writeSystem8(0x832345, 0x55);
        assertEquals(A | D, phys.read32(PD + 8) & (A | D));
        assertEquals(0x11223355, phys.read32(0x32345));
    }

    @Test
    void largePageIgnoredWithoutPse() {
        // Without CR4.PSE, PS is ignored and the PDE is a page-table pointer (here to physical 0).
        phys.write32(PD + 8, 0x00000000 | P | RW | PS);
        phys.write32(0x8, 0x7000 | P | RW); // "PTE" 2 of that table: linear 0x802000 -> 0x7000
        phys.write32(0x7010, 0xA5A5A5A5);
        assertEquals(0xA5A5A5A5, mem.readSystem32(0x802010));
    }

    @Test
    void notPresentPageFaultCodesAndCr2() {
        map(0x402000, 0);
        f.assertFault(CpuFault.PF, 0, () -> mem.readSystem32(0x402010));
        assertEquals(0x402010, s.cr2);
        f.assertFault(CpuFault.PF, Memory.PF_W, () -> mem.writeSystem8(0x402FFF, 1));
        assertEquals(0x402FFF, s.cr2);
        s.cpl = 3;
        f.assertFault(CpuFault.PF, Memory.PF_U, () -> mem.readLinear8(0x402001));
        f.assertFault(CpuFault.PF, Memory.PF_U | Memory.PF_W, () -> mem.writeLinear8(0x402001, 0));
        // Not-present directory entry.
        f.assertFault(CpuFault.PF, Memory.PF_U, () -> mem.readLinear8(0xC0000000));
        assertEquals(0xC0000000, s.cr2);
    }

    @Test
    void protectionFaults() {
        map(0x403000, 0x6000 | P | US); // read-only user page
        map(0x404000, 0x7000 | P | RW); // supervisor page
        s.cpl = 3;
        assertEquals(0, mem.readLinear8(0x403000));
        f.assertFault(CpuFault.PF, Memory.PF_P | Memory.PF_W | Memory.PF_U, () -> mem.writeLinear8(0x403004, 1));
        f.assertFault(CpuFault.PF, Memory.PF_P | Memory.PF_U, () -> mem.readLinear8(0x404000));
        assertEquals(0x404000, s.cr2);
        // Supervisor writes to a read-only page succeed unless CR0.WP is set.
        s.cpl = 0;
        mem.writeLinear8(0x403004, 0x77);
        assertEquals(0x77, phys.read8(0x6004));
        SystemOps.movToCr(f.cpu, 0, s.cr0 | CpuState.CR0_WP);
        f.assertFault(CpuFault.PF, Memory.PF_P | Memory.PF_W, () -> mem.writeLinear8(0x403004, 1));
        // A user access through a directory entry without U/S faults even if the PTE allows it.
        phys.write32(PD + 4, PT | P | RW);
        SystemOps.movToCr(f.cpu, 3, PD);
        s.cpl = 3;
        f.assertFault(CpuFault.PF, Memory.PF_P | Memory.PF_U, () -> mem.readLinear8(0x403000));
    }

    @Test
    void cplChangeNeedsNoFlush() {
        map(0x404000, 0x7000 | P | RW); // supervisor page, now cached by a supervisor access
        phys.write8(0x7000, 9);
        assertEquals(9, mem.readLinear8(0x404000));
        mem.writeLinear8(0x404001, 8);
        s.cpl = 3;
        f.assertFault(CpuFault.PF, Memory.PF_P | Memory.PF_U, () -> mem.readLinear8(0x404000));
        f.assertFault(CpuFault.PF, Memory.PF_P | Memory.PF_U | Memory.PF_W, () -> mem.writeLinear8(0x404001, 0));
    }

    @Test
    void staleTranslationUntilInvlpg() {
        map(0x405000, 0x8000 | P | RW);
        phys.write32(0x8000, 111);
        phys.write32(0x9000, 222);
        assertEquals(111, mem.readLinear32(0x405000));
        map(0x405000, 0x9000 | P | RW);
        assertEquals(111, mem.readLinear32(0x405000), "the TLB still holds the old translation");
        SystemOps.invlpg(f.cpu, Segment.DS, 0x405abc);
        assertEquals(222, mem.readLinear32(0x405000));
    }

    @Test
    void staleTranslationUntilCr3Write() {
        map(0x405000, 0x8000 | P | RW);
        phys.write32(0x8000, 111);
        phys.write32(0x9000, 222);
        mem.writeLinear32(0x405004, 5);
        assertEquals(111, mem.readLinear32(0x405000));
        map(0x405000, 0x9000 | P | RW);
        assertEquals(111, mem.readLinear32(0x405000));
        mem.writeLinear32(0x405004, 6);
        assertEquals(6, phys.read32(0x8004), "the write TLB entry is stale too");
        SystemOps.movToCr(f.cpu, 3, PD);
        assertEquals(222, mem.readLinear32(0x405000));
        mem.writeLinear32(0x405004, 7);
        assertEquals(7, phys.read32(0x9004));
    }

    @Test
    void globalPagesSurviveCr3WriteOnlyWithPge() {
        map(0x406000, 0x8000 | P | RW | G);
        phys.write32(0x8000, 1);
        phys.write32(0x9000, 2);
        SystemOps.movToCr(f.cpu, 4, CpuState.CR4_PGE);
        assertEquals(1, mem.readLinear32(0x406000));
        map(0x406000, 0x9000 | P | RW | G);
        SystemOps.movToCr(f.cpu, 3, PD);
        assertEquals(1, mem.readLinear32(0x406000), "a global page survives a CR3 write");
        SystemOps.movToCr(f.cpu, 4, 0); // clearing PGE flushes everything
        assertEquals(2, mem.readLinear32(0x406000));
    }

    @Test
    void pageCrossingAccesses() {
        map(0x407000, 0x8000 | P | RW);
        map(0x408000, 0xA000 | P | RW);
        phys.write16(0x8FFE, 0x2211);
        phys.write16(0xA000, 0x4433);
        assertEquals(0x44332211, mem.readLinear32(0x407FFE));
        mem.writeLinear32(0x407FFF, 0xDDCCBBAA);
        assertEquals(0xAA, phys.read8(0x8FFF));
        assertEquals(0xDDCCBB, phys.read32(0xA000) & 0xFFFFFF);
        // A write whose second page is not present changes neither page.
        map(0x409000, 0);
        f.assertFault(CpuFault.PF, Memory.PF_W, () -> mem.writeLinear32(0x408FFE, 0));
        assertEquals(0x409000, s.cr2);
        assertEquals(0, phys.read16(0xAFFE));
    }

    @Test
    void writesToCodePagesAlwaysReachTheListener() {
        List<Integer> writes = new ArrayList<>();
        phys.setCodeWriteListener((pa, size) -> writes.add(pa));
        map(0x40A000, 0xB000 | P | RW);
        mem.writeLinear32(0x40A010, 1); // fills the write TLB entry
        phys.markCodePage(0xB);
        mem.writeLinear32(0x40A020, 2);
        mem.writeLinear8(0x40A021, 3);
        phys.write16(0xB100, 4);
        assertEquals(List.of(0xB020, 0xB021, 0xB100), writes);
        assertEquals(0x0302, phys.read16(0xB020));
        assertEquals(2 | (3 << 8), mem.readLinear32(0x40A020), "reads of code pages stay on the fast path and see the data");
        phys.unmarkCodePage(0xB);
        mem.writeLinear32(0x40A030, 5);
        assertEquals(3, writes.size());
    }

    /**
     * Writes to a code page keep their translation in the write TLB (so they do not walk the page
     * tables each time) but never on the fast path, and keep the page's protection: a user write to
     * a supervisor page still faults. Once the page holds no code, writes are fast again.
     */
    @Test
    void codePageWritesKeepTheirTranslationButNotTheFastPath() {
        List<Integer> writes = new ArrayList<>();
        phys.setCodeWriteListener((pa, size) -> writes.add(pa));
        map(0x40A000, 0xB000 | P | RW); // supervisor only
        phys.markCodePage(0xB);
        mem.writeLinear32(0x40A010, 1);
        int e = mem.writeTlb()[0x40A];
        assertEquals(0xB000, e & ~0xFFF, "the translation is kept");
        assertEquals(0, e & Memory.T_SUP, "but not for the fast path");
        map(0x40A000, 0xC000 | P | RW); // no INVLPG: the TLB keeps the old translation, as a CPU may
        mem.writeLinear32(0x40A014, 2);
        assertEquals(2, phys.read32(0xB014), "the write used the TLB entry, not a new walk");
        assertEquals(List.of(0xB010, 0xB014), writes);
        s.cpl = 3;
        f.assertFault(CpuFault.PF, Memory.PF_P | Memory.PF_W | Memory.PF_U, () -> mem.writeLinear32(0x40A018, 3));
        s.cpl = 0;
        phys.unmarkCodePage(0xB);
        assertTrue((mem.writeTlb()[0x40A] & Memory.T_SUP) != 0, "fast again once the page holds no code");
        mem.writeLinear32(0x40A01C, 4);
        assertEquals(2, writes.size());
        assertEquals(4, phys.read32(0xB01C));
    }

    /**
     * Code marked by its bytes (as blocks and compiled units mark it): writes to the 64-byte lines
     * that hold it are reported; the rest of the page is data written directly, through Memory's
     * slow path (the write TLB still holds the page for code) or PhysicalMemory, unreported.
     */
    @Test
    void onlyWritesToTheLinesThatHoldCodeAreReported() {
        List<Integer> writes = new ArrayList<>();
        phys.setCodeWriteListener((pa, size) -> writes.add(pa));
        map(0x40A000, 0xB000 | P | RW);
        mem.writeLinear32(0x40A000, 0); // fills the write TLB entry
        phys.markCode(0xB470, 0x20); // bytes 0x470-0x48F: lines 0x440-0x47F and 0x480-0x4BF
        assertEquals(0, mem.writeTlb()[0x40A] & Memory.T_SUP, "the page's writes leave the fast path");
        mem.writeLinear32(0x40A43C, 1); // the line before
        mem.writeLinear8(0x40A4C0, 2); // the line after
        mem.write64(Segment.DS, 0x40A400, 0x0102030405060708L);
        phys.write16(0xBFFE, 3);
        assertEquals(List.of(), writes, "no write touched a line with code");
        assertEquals(1, phys.read32(0xB43C));
        assertEquals(2, phys.read8(0xB4C0));
        assertEquals(0x0102030405060708L, mem.read64(Segment.DS, 0x40A400));
        mem.writeLinear8(0x40A440, 4); // first byte of the first code line, outside the code itself
        mem.writeLinear32(0x40A43E, 5); // straddles into it
        mem.writeLinear16(0x40A4BF, 6); // the last byte of the second line, and one beyond
        mem.write64(Segment.DS, 0x40A478, 7);
        phys.write8(0xB480, 8);
        assertEquals(List.of(0xB440, 0xB43E, 0xB4BF, 0xB478, 0xB480), writes);
        phys.markCode(0xBFFF, 2); // the last byte of page B and the first of C
        assertTrue(phys.touchesCode(0xBFFC, 4));
        assertTrue(phys.touchesCode(0xC000, 1));
        assertTrue(!phys.touchesCode(0xC040, 4));
        phys.unmarkCodePage(0xB);
        assertTrue(!phys.touchesCode(0xB478, 8), "the lines go with the page");
        assertTrue((mem.writeTlb()[0x40A] & Memory.T_SUP) != 0);
        phys.markCodePage(0xB);
        assertTrue(phys.touchesCode(0xB000, 1) && phys.touchesCode(0xBFFF, 1), "a page marked as a whole has code in every line");
    }

    @Test
    void a20GateMasksBit20() {
        SystemOps.movToCr(f.cpu, 0, s.cr0 & ~CpuState.CR0_PG);
        mem.writeLinear8(0x100005, 0x42);
        assertEquals(0x42, phys.read8(0x100005));
        mem.setA20(false);
        assertEquals(phys.read8(0x5), mem.readLinear8(0x100005));
        mem.writeLinear8(0x100006, 0x43);
        assertEquals(0x43, phys.read8(0x6));
        mem.setA20(true);
        assertEquals(0x42, mem.readLinear8(0x100005));
    }

    @Test
    void mmioIsNeverCached() {
        int[] reads = {0};
        phys.mapMmio(0x300000, 0x1000, new MmioHandler() {
            public int read(int offset, int size) { reads[0]++; return offset; }
            public void write(int offset, int size, int value) { }
        });
        assertEquals(0x10, mem.readLinear32(0x300010));
        assertEquals(0x14, mem.readLinear32(0x300014));
        assertEquals(2, reads[0]);
    }

    @Test
    void translateCodeFaultsLikeAFetch() {
        map(0x40B000, 0xC000 | P);
        assertEquals(0xC123, mem.translateCode(0x40B123));
        s.cpl = 3;
        f.assertFault(CpuFault.PF, Memory.PF_P | Memory.PF_U, () -> mem.translateCode(0x40B123));
        assertTrue(s.cr2 == 0x40B123);
    }
}
