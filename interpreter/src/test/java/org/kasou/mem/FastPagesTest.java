package org.kasou.mem;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.kasou.cpu.CpuFault;
import org.kasou.cpu.CpuState;
import org.kasou.cpu.sys.SysFixture;
import org.kasou.cpu.sys.SystemOps;

/**
 * The RAM pages that Memory hands to the fast paths ({@link Memory#readPages}, {@link
 * Memory#writePages}) always say exactly what the TLB entries allow at each CPL: the page's array
 * where the entry lets that access through, null everywhere else, through fills, protection
 * changes, code pages and every kind of flush.
 */
class FastPagesTest {
    static final int PD = 0x10000, PT = 0x11000, PT2 = 0x12000;
    static final int P = 1, RW = 2, US = 4, G = 0x100;
    static final int LINEAR = 0x400000, PAGES = 16, FRAME = 0x40000;

    /**
     * Protected mode with paging on: the first 4 MiB mapped one to one, page i with the rights
     * {@code rights(i)}; the next 4 MiB through PT (empty).
     */
    private static SysFixture paging(java.util.function.IntUnaryOperator rights, int cr0, int cr4) {
        SysFixture f = new SysFixture();
        f.protectedFlat();
        f.phys.write32(PD + 4, PT | P | RW | US);
        f.phys.write32(PD, PT2 | P | RW | US);
        for (int i = 0; i < 1024; i++) f.phys.write32(PT2 + i * 4, (i << 12) | P | rights.applyAsInt(i));
        f.s.cr3 = PD;
        SystemOps.movToCr(f.cpu, 4, cr4);
        SystemOps.movToCr(f.cpu, 0, f.s.cr0 | CpuState.CR0_PG | cr0);
        return f;
    }

    /** The four arrays at vp against its entries; counts in seen the pages found on the fast path. */
    private static void checkPages(Memory mem, PhysicalMemory phys, int vp, int step, int[] seen) {
        int r = mem.tlbRead[vp], w = mem.tlbWrite[vp];
        byte[] ram = r == 0 ? null : phys.chunks[r >>> 12];
        expect(mem.readPages(0)[vp], (r & Memory.T_SUP) != 0, ram, "supervisor read", vp, step, seen, 0);
        expect(mem.readPages(3)[vp], (r & Memory.T_USER) != 0, ram, "user read", vp, step, seen, 1);
        expect(mem.writePages(0)[vp], (w & Memory.T_SUP) != 0, ram, "supervisor write", vp, step, seen, 2);
        expect(mem.writePages(3)[vp], (w & Memory.T_USER) != 0, ram, "user write", vp, step, seen, 3);
    }

    /**
     * Another guest thread's munmap drops this TLB's entries from its own thread (a Linux program's
     * threads), so an access can find an entry that lets it through and then its page gone: it
     * takes the slow path, which translates again. With the page read through Unsafe unchecked,
     * that null was a JVM crash (SIGSEGV in Unsafe_GetByte, seen in ThreadProgramsTest).
     */
    @Test
    void anAccessWhosePageWentAwayAfterItsEntryWasReadTakesTheSlowPath() {
        SysFixture f = paging(i -> RW, 0, 0);
        Memory mem = f.cpu.memory;
        int lin = 0x5000, vp = lin >>> 12;
        f.phys.write32(lin, 0x11223344);
        f.phys.write32(lin + 4, 0x55667788);
        assertEquals(0x44, mem.readLinear8(lin), "the entry filled");
        mem.writeLinear8(lin + 8, 0);
        assertTrue((mem.tlbRead[vp] & Memory.T_SUP) != 0 && (mem.tlbWrite[vp] & Memory.T_SUP) != 0, "read and write entries");
        java.util.function.Consumer<String> lose = what -> mem.supReads[vp] = null; // as a drop from another thread leaves it, part-way
        lose.accept("8");
        assertEquals(0x44, mem.readLinear8(lin));
        lose.accept("16");
        assertEquals(0x3344, mem.readLinear16(lin));
        lose.accept("32");
        assertEquals(0x11223344, mem.readLinear32(lin));
        lose.accept("64");
        assertEquals(0x5566778811223344L, mem.read64(org.kasou.cpu.Segment.DS, lin));
        lose.accept("w8");
        mem.writeLinear8(lin, 0x99);
        lose.accept("w16");
        mem.writeLinear16(lin + 2, 0xAABB);
        lose.accept("w32");
        mem.writeLinear32(lin + 8, 0xCAFEBABE);
        lose.accept("w64");
        mem.write64(org.kasou.cpu.Segment.DS, lin + 16, 0x0123456789ABCDEFL);
        assertEquals(0xAABB3399, f.phys.read32(lin));
        assertEquals(0xCAFEBABE, f.phys.read32(lin + 8));
        assertEquals(0x89ABCDEF, f.phys.read32(lin + 16));
        assertEquals(0x01234567, f.phys.read32(lin + 20));
    }

    @Test
    void pagesFollowTheEntriesThroughRandomAccessesAndFlushes() {
        SysFixture f = paging(i -> RW | US, 0, CpuState.CR4_PGE);
        PhysicalMemory phys = f.phys;
        Memory mem = f.cpu.memory;
        CpuState s = f.s;
        SplittableRandom random = new SplittableRandom(2026);
        int[] seen = new int[4];
        int[] before = new int[PAGES];
        for (int step = 0; step < 20_000; step++) {
            for (int p = 0; p < PAGES; p++) {
                before[p] = mem.tlbRead[(LINEAR >>> 12) + p];
                if (p % 2 == 0) mem.fetchedFrom(LINEAR + p * 0x1000); // code is found in every other page
            }
            int generation = mem.codeMappingGeneration(false);
            int k = random.nextInt(PAGES);
            int lin = LINEAR + k * 0x1000 + random.nextInt(0x1000 - 4);
            switch (random.nextInt(10)) {
                case 0 -> phys.write32(PT + k * 4, (FRAME + random.nextInt(2 * PAGES) * 0x1000) | P
                        | (random.nextBoolean() ? RW : 0) | (random.nextBoolean() ? US : 0) | (random.nextInt(4) == 0 ? G : 0));
                case 1 -> mem.invalidatePage(lin);
                case 2 -> mem.flushNonGlobal();
                case 3 -> SystemOps.movToCr(f.cpu, 0, s.cr0 ^ CpuState.CR0_WP);
                case 4 -> phys.markCode(FRAME + random.nextInt(2 * PAGES) * 0x1000 + random.nextInt(0x1000), 4);
                case 5 -> phys.unmarkCodePage((FRAME >>> 12) + random.nextInt(2 * PAGES));
                default -> {
                    s.cpl = random.nextBoolean() ? 3 : 0;
                    try {
                        if (random.nextBoolean()) mem.writeLinear32(lin, step);
                        else mem.readLinear32(lin);
                    } catch (CpuFault fault) {
                        // a protection fault: the entries stay as they were
                    }
                    s.cpl = 0;
                }
            }
            for (int p = 0; p < PAGES; p++) {
                int vp = (LINEAR >>> 12) + p;
                checkPages(mem, phys, vp, step, seen);
                if (p % 2 == 0 && before[p] != 0 && mem.tlbRead[vp] != before[p]) {
                    assertNotEquals(generation, mem.codeMappingGeneration(false),
                            "code page " + Integer.toHexString(vp) + " lost or changed its translation in step " + step + " without a new code mapping generation");
                }
                int w = mem.tlbWrite[vp];
                if (w != 0) assertTrue(mem.writePages(0)[vp] == null || !phys.isCodePage(w >>> 12), "a code page is never written directly");
            }
        }
        // Every kind of page was on the fast path at some point.
        for (int n : seen) assertTrue(n > 100, () -> java.util.Arrays.toString(seen));
        mem.flushTlb();
        for (int p = 0; p < PAGES; p++) {
            int vp = (LINEAR >>> 12) + p;
            assertNull(mem.readPages(0)[vp]);
            assertNull(mem.readPages(3)[vp]);
            assertNull(mem.writePages(0)[vp]);
            assertNull(mem.writePages(3)[vp]);
        }
    }

    /**
     * Filling entries leaves the code mapping generation as it is (links between blocks and units
     * keep trusting the translations they looked up); dropping the entry of a page that code was
     * fetched through, by INVLPG, a CR3 load or a flush, changes it; dropping other pages' entries
     * does not.
     */
    @Test
    void onlyDroppingACodePagesTranslationStartsANewCodeMappingGeneration() {
        SysFixture f = paging(i -> RW | US, 0, 0);
        Memory mem = f.cpu.memory;
        int generation = mem.codeMappingGeneration(false);
        for (int vp = 0x100; vp < 0x140; vp++) mem.readLinear32(vp << 12);
        for (int vp = 0x100; vp < 0x140; vp += 2) mem.writeLinear32(vp << 12, vp);
        mem.translateCode(0x130 << 12);
        assertEquals(generation, mem.codeMappingGeneration(false), "entries were only added");
        mem.flushTlb();
        Runnable[] drops = {() -> mem.invalidatePage(0x120 << 12), mem::flushNonGlobal, mem::flushTlb};
        for (Runnable drop : drops) {
            mem.readLinear32(0x120 << 12);
            generation = mem.codeMappingGeneration(false);
            drop.run();
            assertEquals(generation, mem.codeMappingGeneration(false), "no code was fetched through page 0x120");
            mem.translateCode(0x120 << 12);
            drop.run();
            assertNotEquals(generation, mem.codeMappingGeneration(false), "code was fetched through page 0x120");
        }
        // A page code was fetched through at CPL 3 counts for user fetches only.
        f.s.cpl = 3;
        mem.translateCode(0x122 << 12);
        f.s.cpl = 0;
        int user = mem.codeMappingGeneration(true);
        generation = mem.codeMappingGeneration(false);
        mem.invalidatePage(0x122 << 12);
        assertNotEquals(user, mem.codeMappingGeneration(true), "user code was fetched through page 0x122");
        assertEquals(generation, mem.codeMappingGeneration(false), "no supervisor code was fetched through page 0x122");
        // A page that gets no entry (MMIO) counts as dropped at the next drop of any entry.
        generation = mem.codeMappingGeneration(false);
        mem.invalidatePage(0x121 << 12);
        assertEquals(generation, mem.codeMappingGeneration(false));
        mem.fetchedFrom(0x7F0 << 12);
        mem.invalidatePage(0x121 << 12);
        assertNotEquals(generation, mem.codeMappingGeneration(false), "a fetch through no entry");
    }

    /**
     * The user and write arrays are made when first asked for: then they hold at once what the
     * entries filled before already allow.
     */
    @Test
    void pagesAskedForLateHoldWhatTheEntriesAlreadyAllow() {
        SysFixture f = paging(i -> (i % 3 == 0 ? 0 : RW) | (i % 2 == 0 ? US : 0), CpuState.CR0_WP, 0);
        PhysicalMemory phys = f.phys;
        Memory mem = f.cpu.memory;
        for (int i = 0x100; i < 0x140; i++) {
            f.s.cpl = i % 4 == 0 ? 3 : 0;
            try {
                mem.writeLinear32(i << 12, i);
            } catch (CpuFault fault) {
                mem.readLinear32(i << 12);
            }
        }
        f.s.cpl = 0;
        int[] seen = new int[4];
        for (int vp = 0x100; vp < 0x140; vp++) {
            assertTrue(mem.tlbRead[vp] != 0, "filled");
            checkPages(mem, phys, vp, 0, seen);
        }
        for (int n : seen) assertTrue(n > 0, () -> java.util.Arrays.toString(seen));
    }

    private static void expect(byte[] page, boolean allowed, byte[] ram, String what, int vp, int step, int[] seen, int kind) {
        String where = what + " of page " + Integer.toHexString(vp) + " after step " + step;
        // (identity compared as booleans: a failure should not print 4 KiB arrays)
        if (allowed) {
            assertTrue(page != null, where + ": the access may take the fast path, its page is missing");
            assertTrue(page == ram, where + ": not the RAM page the entry maps");
            seen[kind]++;
        } else {
            assertTrue(page == null, where + ": the access must take the slow path, yet its page is there");
        }
    }

    /**
     * A released Memory gives its tables to the next CPU cleared by its own flush (not a full
     * clear): after random accesses at both CPLs over many pages, with large pages among them, every
     * entry and page of every table it had is empty.
     */
    @Test
    void aReleasedTlbLeavesItsTablesEmpty() {
        SysFixture f = paging(i -> RW | US, 0, CpuState.CR4_PGE | CpuState.CR4_PSE);
        f.phys.write32(PD + 8, P | RW | US | 0x80); // a 4 MiB page at 8 MiB over the first 4 MiB of RAM
        Memory mem = f.cpu.memory;
        SplittableRandom random = new SplittableRandom(7);
        for (int step = 0; step < 20_000; step++) {
            f.s.cpl = random.nextBoolean() ? 3 : 0;
            int lin = random.nextBoolean() ? random.nextInt(0x400000 - 4) : 0x800000 + random.nextInt(0x400000 - 4);
            try {
                if (random.nextBoolean()) mem.writeLinear32(lin, step);
                else mem.readLinear32(lin);
            } catch (CpuFault fault) {
                // not mapped there: nothing to fill
            }
        }
        f.s.cpl = 0;
        byte[][][] pages = {mem.readPages(0), mem.readPages(3), mem.writePages(0), mem.writePages(3)};
        int[][] entries = {mem.tlbRead, mem.tlbWrite};
        int used = 0, large = 0;
        for (int vp = 0; vp < mem.tlbRead.length; vp++) {
            if (mem.tlbRead[vp] == 0) continue;
            used++;
            if (vp >= 0x800 && vp < 0xC00) large++;
        }
        assertTrue(used > 1000 && large > 500, "pages were entered: " + used + ", of the large page " + large);
        mem.release();
        for (int[] t : entries) for (int vp = 0; vp < t.length; vp++) assertEquals(0, t[vp], "entry " + Integer.toHexString(vp));
        for (byte[][] t : pages) for (int vp = 0; vp < t.length; vp++) assertNull(t[vp], "page " + Integer.toHexString(vp));
    }
}
