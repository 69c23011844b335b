package org.kasou.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.kasou.cpu.sys.SysFixture;
import org.kasou.cpu.sys.SystemOps;

/**
 * Links between blocks are followed as long as the translation of the pages the code was found in
 * holds: an INVLPG, a CR3 load or an IRET that leaves those translations and CS as they were keeps
 * them (a kernel patching its code does that thousands of times), one that changes where code is
 * found drops them.
 */
class BlockLinksTest {
    static final int PD = 0x10000, PT = 0x11000;
    static final int P = 1, RW = 2, US = 4, G = 0x100;
    /** Handlers of INT 0x80 (IRET) and INT 0x81 (HLT) at CPL 0. */
    static final int KERNEL = 0x28000;
    /** The loop, the function it calls (another page), a data page, and a frame holding another function. */
    static final int LOOP = 0x20000, FUNCTION = 0x22000, DATA = 0x24000, OTHER_FRAME = 0x26000;
    static final int TURNS = 1000;

    /** Paging on, the first 4 MiB mapped one to one through PT (global pages when {@code global}). */
    private static SysFixture paged(boolean global) {
        return paged(global ? G : 0);
    }

    /** Paging on, the first 4 MiB mapped one to one through PT, each page with P, RW and {@code bits}. */
    static SysFixture paged(int bits) {
        SysFixture f = new SysFixture();
        f.protectedFlat();
        f.phys.write32(PD, PT | P | RW | US);
        for (int i = 0; i < 1024; i++) f.phys.write32(PT + i * 4, (i << 12) | P | RW | bits);
        f.s.cr3 = PD;
        SystemOps.movToCr(f.cpu, 4, (bits & G) != 0 ? CpuState.CR4_PGE : 0);
        SystemOps.movToCr(f.cpu, 0, f.s.cr0 | CpuState.CR0_PG);
        f.s.gpr[CpuState.ESP] = 0x9000;
        return f;
    }

    /**
     * A loop that calls FUNCTION ("add eax, 1; ret", or "add eax, 100; ret" in OTHER_FRAME), runs
     * {@code each} every turn, and halts after TURNS turns.
     */
    private static void load(SysFixture f, byte[] each) {
        java.io.ByteArrayOutputStream a = new java.io.ByteArrayOutputStream();
        a.writeBytes(new byte[] {(byte) 0xB9, (byte) TURNS, (byte) (TURNS >> 8), 0, 0}); // mov ecx, TURNS
        int loop = LOOP + a.size();
        a.writeBytes(each);
        int call = LOOP + a.size();
        int rel = FUNCTION - (call + 5);
        a.writeBytes(new byte[] {(byte) 0xE8, (byte) rel, (byte) (rel >> 8), (byte) (rel >> 16), (byte) (rel >> 24)}); // call FUNCTION
        int back = loop - (LOOP + a.size() + 3);
        a.writeBytes(new byte[] {0x49, 0x75, (byte) back}); // dec ecx; jnz loop
        a.writeBytes(new byte[] {(byte) 0xF4}); // hlt
        byte[] code = a.toByteArray();
        f.phys.load(LOOP, code, 0, code.length);
        byte[] function = {(byte) 0x83, (byte) 0xC0, 1, (byte) 0xC3};
        byte[] other = {(byte) 0x83, (byte) 0xC0, 100, (byte) 0xC3};
        f.phys.load(FUNCTION, function, 0, function.length);
        f.phys.load(OTHER_FRAME, other, 0, other.length);
        f.s.eip = LOOP;
    }

    private static byte[] invlpg(int address) {
        return new byte[] {0x0F, 0x01, 0x3D, (byte) address, (byte) (address >> 8), (byte) (address >> 16), (byte) (address >> 24)};
    }

    /** mov edx, cr3; mov cr3, edx. */
    private static final byte[] RELOAD_CR3 = {0x0F, 0x20, (byte) 0xDA, 0x0F, 0x22, (byte) 0xDA};

    /**
     * Block lookups in the table while the loop runs with {@code each}: the block after the
     * instruction in {@code each} is always looked up (the generic instruction ended its block
     * unchained), the others only when their links were dropped. With an engine (the JIT) the
     * interpreter looks up every block after compiled code ran, whatever the links: then only the
     * results are checked (ChainingTest has the units' links), and this returns -1.
     */
    private static long lookups(SysFixture f, byte[] each) {
        load(f, each);
        assertEquals(StopReason.HALTED, f.cpu.run(1_000_000));
        assertEquals(TURNS, f.s.gpr[CpuState.EAX], "every call reached the function");
        return f.cpu.interpreter().engine() != null ? -1 : f.cpu.interpreter().blockLookups();
    }

    /** About one lookup a turn: the links held. */
    private static void linksKept(long lookups, String what) {
        if (lookups >= 0) assertTrue(lookups < TURNS + 50, what + ": " + lookups);
    }

    /** Two or more a turn: the links were dropped. */
    private static void linksDropped(long lookups, String what) {
        if (lookups >= 0) assertTrue(lookups >= 2 * TURNS, what + ": " + lookups);
    }

    @Test
    void anInvlpgOfAPageWithoutCodeKeepsTheLinks() {
        long lookups = lookups(paged(false), invlpg(DATA));
        linksKept(lookups, "the blocks were looked up again after each INVLPG");
    }

    @Test
    void anInvlpgOfTheFunctionsPageDropsTheLinks() {
        long lookups = lookups(paged(false), invlpg(FUNCTION));
        linksDropped(lookups, "the function's block was reached through a link whose page was invalidated");
    }

    @Test
    void aCr3LoadKeepsTheLinksIntoGlobalPagesOnly() {
        long global = lookups(paged(true), RELOAD_CR3);
        linksKept(global, "links into global pages were dropped at each CR3 load");
        long notGlobal = lookups(paged(false), RELOAD_CR3);
        linksDropped(notGlobal, "links into pages a CR3 load dropped were followed");
    }

    /** The function's page mapped to another frame and INVLPGed in the middle: the calls after it reach the new code. */
    @Test
    void aRemappedFunctionIsReachedThroughItsNewFrame() {
        SysFixture f = paged(false);
        // Halfway (ECX = TURNS / 2): mov dword [pte of FUNCTION], OTHER_FRAME | P | RW; invlpg [FUNCTION].
        int pte = PT + 4 * (FUNCTION >>> 12);
        byte[] each = concat(
                new byte[] {(byte) 0x81, (byte) 0xF9, (byte) (TURNS / 2), (byte) (TURNS / 2 >> 8), 0, 0}, // cmp ecx, TURNS / 2
                new byte[] {0x75, 10 + 7},                                                             // jne over
                new byte[] {(byte) 0xC7, 0x05, (byte) pte, (byte) (pte >> 8), (byte) (pte >> 16), 0,
                    (byte) (OTHER_FRAME | P | RW), (byte) ((OTHER_FRAME | P | RW) >> 8), (byte) (OTHER_FRAME >> 16), 0}, // mov dword [pte], ...
                invlpg(FUNCTION));
        load(f, each);
        assertEquals(StopReason.HALTED, f.cpu.run(1_000_000));
        assertEquals(TURNS / 2 + 100 * (TURNS / 2), f.s.gpr[CpuState.EAX], "half the calls reached each function");
    }

    /**
     * A loop at CPL 3 makes a system call (INT 0x80, whose handler at CPL 0 returns with IRET) on
     * every turn: the user blocks' links are found again when the CPU comes back to CPL 3 (two
     * lookups a turn, the handler's block and the block after the INT, which the generic
     * instructions end unchained), not looked up again after each return.
     */
    @Test
    void aSystemCallLeavesTheLinksOfTheProcess() {
        SysFixture f = paged(US);
        f.put(SysFixture.IDT + 0x80 * 8, SysFixture.gate(SysFixture.CODE0, KERNEL, org.kasou.cpu.sys.Descriptors.INT_GATE32, 3));
        f.put(SysFixture.IDT + 0x81 * 8, SysFixture.gate(SysFixture.CODE0, KERNEL + 1, org.kasou.cpu.sys.Descriptors.INT_GATE32, 3));
        f.phys.load(KERNEL, new byte[] {(byte) 0xCF, (byte) 0xF4}, 0, 2); // iretd; hlt
        load(f, new byte[] {(byte) 0xCD, (byte) 0x80}); // int 0x80 before the call each turn
        // The loop's HLT would fault at CPL 3: INT 0x81 ends it in the kernel.
        int hlt = LOOP + 5 + 2 + 5 + 3;
        f.phys.load(hlt, new byte[] {(byte) 0xCD, (byte) 0x81}, 0, 2);
        f.s.seg[Segment.CS].set(SysFixture.CODE3, 0, 0xFFFFFFFF, SysFixture.ACC_CODE | 0x60 | 1);
        for (int r : new int[] {Segment.DS, Segment.ES, Segment.SS}) {
            f.s.seg[r].set(SysFixture.DATA3, 0, 0xFFFFFFFF, SysFixture.ACC_DATA | 0x60 | 1);
        }
        f.s.cpl = 3;
        f.s.gpr[CpuState.ESP] = 0x8000;
        f.cpu.memory.flushTlb();
        assertEquals(StopReason.HALTED, f.cpu.run(1_000_000));
        assertEquals(TURNS, f.s.gpr[CpuState.EAX], "every call reached the function");
        assertEquals(0, f.s.cpl, "halted in the kernel");
        if (f.cpu.interpreter().engine() == null) {
            long lookups = f.cpu.interpreter().blockLookups();
            assertTrue(lookups < 2 * TURNS + 50, "the process's blocks were looked up again after each system call: " + lookups);
        }
    }

    /** Runs the loaded guest in slices of {@code slice} instructions, as an embedder does; returns the slices. */
    private static int runInSlices(SysFixture f, int slice, Runnable between) {
        int slices = 0;
        StopReason stop;
        do {
            stop = f.cpu.run(slice);
            slices++;
            between.run();
        } while (stop == StopReason.BUDGET_EXHAUSTED && slices < 100_000);
        assertEquals(StopReason.HALTED, stop);
        return slices;
    }

    /**
     * A guest run in slices of a few instructions (an embedder's loop, or a Linux program between
     * its system calls): each run starts with one lookup, and the blocks it goes through follow the
     * links found in the slices before, since nothing they depend on changed in between.
     */
    @Test
    void linksOutliveTheRunThatFoundThem() {
        SysFixture f = paged(false);
        load(f, new byte[0]);
        int slices = runInSlices(f, 7, () -> {});
        assertEquals(TURNS, f.s.gpr[CpuState.EAX], "every call reached the function");
        assertTrue(slices > 500, "slices: " + slices);
        if (f.cpu.interpreter().engine() == null) {
            long lookups = f.cpu.interpreter().blockLookups();
            assertTrue(lookups < slices + 50, "blocks were looked up again in each run: " + lookups + " lookups in " + slices + " runs");
        }
    }

    /**
     * Between two runs the embedder maps the function's page to another frame (as a Linux
     * program's mmap over its code does) and invalidates its translation: the links into the old
     * frame are not followed, and the calls after it reach the new code.
     */
    @Test
    void aPageRemappedBetweenRunsIsReachedThroughItsNewFrame() {
        SysFixture f = paged(false);
        load(f, new byte[0]);
        int pte = PT + 4 * (FUNCTION >>> 12);
        boolean[] remapped = {false};
        int[] callsBefore = {0};
        runInSlices(f, 7, () -> {
            if (!remapped[0] && f.s.gpr[CpuState.ECX] <= TURNS / 2 && f.s.eip == LOOP + 5) { // between two turns
                remapped[0] = true;
                callsBefore[0] = f.s.gpr[CpuState.EAX];
                f.phys.write32(pte, OTHER_FRAME | P | RW);
                f.cpu.memory.invalidatePage(FUNCTION);
            }
        });
        assertTrue(remapped[0]);
        int callsAfter = TURNS - callsBefore[0];
        assertEquals(callsBefore[0] + 100 * callsAfter, f.s.gpr[CpuState.EAX], "the calls after the remapping reached the new frame");
    }

    private static byte[] concat(byte[]... parts) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        for (byte[] p : parts) out.writeBytes(p);
        return out.toByteArray();
    }
}
