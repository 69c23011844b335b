package org.kasou.mem;

import java.util.Arrays;
import org.kasou.cpu.CpuFault;
import org.kasou.cpu.CpuState;
import org.kasou.cpu.Flags;
import org.kasou.cpu.sys.BreakpointMatch;
import org.kasou.cpu.Segment;

/**
 * The CPU's view of memory: segmentation (limit and rights checks), then paging (32-bit paging
 * with 4 KiB and 4 MiB pages, or PAE paging with 4 KiB and 2 MiB pages and 32-bit physical
 * addresses) through a TLB indexed by virtual page, then physical memory. Faults are thrown as the CPU's preallocated
 * {@link CpuFault}.
 *
 * <p>The TLB has one entry per 4 KiB linear page (2^20 entries) in two arrays, one for reads
 * (and instruction fetches) and one for writes. An entry holds the physical frame in its high 20
 * bits and, in its low bits, whether a supervisor access ({@link #T_SUP}) and a user access
 * ({@link #T_USER}) may use it. Beside the entries, four arrays hold per linear page the RAM page
 * (its chunk) that a supervisor or user read or write may access directly, or null ({@link
 * #readPages}, {@link #writePages}): compiled code and the interpreter's blocks, which know the CPL,
 * make an access with one load, a null test and the RAM access. Only plain RAM is ever entered, and entering it allocates its chunk; MMIO pages, page-crossing accesses and (for writes)
 * pages marked as code always take the slow path, which goes through {@link PhysicalMemory} and
 * thus reports code writes.
 *
 * <p>Whoever changes CR0.PG/WP, CR3 or CR4's paging bits directly (rather than through the
 * system instructions) must call {@link #flushTlb()} afterwards. CPL changes need no flush: the
 * permission is chosen per access from {@code state.cpl}.
 */
public final class Memory {
    /** TLB entry bits: a supervisor access may use it; a user access may; the page is global. */
    static final int T_SUP = 1, T_USER = 2, T_GLOBAL = 4, T_LARGE = 8;
    /**
     * Write-TLB bits of a page that holds compiled or decoded code: the write is allowed (for a
     * supervisor, a user access) but must go through {@link PhysicalMemory}, which reports it. The
     * fast paths test only T_SUP/T_USER and so miss; the slow path finds the translation here
     * instead of walking the page tables for every write to such a page.
     */
    static final int T_CODE_SUP = T_SUP << 4, T_CODE_USER = T_USER << 4;
    private static final int T_ACCESS = T_SUP | T_USER;

    /** Segment types (access bits 0-3) readable / writable without a closer look. */
    private static final int FAST_READ_TYPES = 0xCC0F; // data 0-3 (not expand-down), readable code A,B,E,F
    private static final int FAST_WRITE_TYPES = 0x000C; // writable data 2,3 (not expand-down)

    // Page-table entry bits (SDM vol. 3, 4.3).
    static final int PTE_P = 1, PTE_RW = 2, PTE_US = 4, PTE_A = 0x20, PTE_D = 0x40, PTE_PS = 0x80, PTE_G = 0x100;
    // #PF error code bits.
    public static final int PF_P = 1, PF_W = 2, PF_U = 4;

    private final CpuState s;
    private final PhysicalMemory phys;
    private final CpuFault fault;

    final int[] tlbRead = SpareTables.ints();
    final int[] tlbWrite = SpareTables.ints();
    /**
     * Per linear page, the RAM page that a supervisor or user read or write may access without a
     * closer look, or null where that access must take the slow path: exactly what tlbRead's and
     * tlbWrite's T_SUP and T_USER bits allow (code pages' write entries give null). Every valid
     * read entry allows supervisor reads, and a valid write entry maps the frame of the read
     * entry, so supReads also holds the page of every valid write entry.
     */
    final byte[][] supReads = SpareTables.pages();
    /**
     * The same for user reads and for writes, each allocated (4 MB) when first asked for: many
     * guests never run user code, and a thread of a Linux program (a CPU of its own) never runs
     * supervisor code. Once allocated, an array stays (compiled code holds it as a constant).
     */
    private byte[][] userReads, supWrites, userWrites;
    /**
     * Per fetch privilege (index 0 supervisor, CPL 0-2; 1 user, CPL 3), the times a read entry
     * that code was fetched through at that privilege ({@link #fetchedFrom}) was dropped or
     * replaced by another: while it stays the same, every linear page that such code was found in
     * still maps the same frame with the same rights, so the interpreter's links between blocks
     * and compiled code's links between units may go on trusting the translations they looked up
     * before. Entries that only data went through come and go without changing it (a kernel that
     * patches its code maps, writes and INVLPGs a data page thousands of times), and a CR3 load
     * that drops a process's pages leaves the kernel's global code pages, and their links, alone.
     */
    private final int[] codeMappingGeneration = new int[2];
    /** Per fetch privilege, the linear pages whose read entry code was fetched through, a bit per page. */
    private final long[][] fetched = {SpareTables.take(long[].class, (1 << 20) / 64), SpareTables.take(long[].class, (1 << 20) / 64)};
    /** Code was fetched from a page that got no entry (MMIO, a watched page): any drop counts then. */
    private boolean fetchedUntracked;
    /** Virtual pages that may have a non-zero entry, so that a flush touches only those. */
    private final int[] filled = SpareTables.take(int[].class, 1 << 14);
    private int filledCount;
    private boolean largePagesMapped;
    /** All ones, or all ones but bit 20 when the A20 gate is disabled. */
    private int a20Mask = -1;
    /**
     * An enabled DR0-DR3 breakpoint watches data: the pages it covers stay out of the TLB, so that
     * every access to them takes the slow path, which matches it.
     */
    private boolean watchingData;
    /** Told of every data access (an embedder's memory hooks); while set, no page enters the TLB. */
    private AccessWatcher accessWatcher;
    /** DR0-DR3 and DR7 as last seen by {@link #debugRegistersChanged}. */
    private final int[] watchedRegisters = new int[5];
    /** DR6-style bits of the data breakpoints hit since the run loop last cleared it. */
    public int dataBreakpointHits;

    public Memory(CpuState s, PhysicalMemory phys, CpuFault fault) {
        this.s = s;
        this.phys = phys;
        this.fault = fault;
        phys.registerTlb(this);
    }

    public PhysicalMemory physical() {
        return phys;
    }

    // ------------------------------------------------------------------------------------------
    // For compiled code, which inlines the fast path of an access (segment limit and type, one TLB
    // load, one RAM access) and calls the methods below for everything else.

    /**
     * See {@link #codeMappingGeneration}: for user (CPL 3) or supervisor fetches, a different number
     * when the translation of a page that such code was found in may have gone or changed since.
     */
    public int codeMappingGeneration(boolean user) {
        return codeMappingGeneration[user ? 1 : 0];
    }

    /**
     * Records that code is found through the translation of lin's page at the CPU's privilege (a
     * block or a unit is looked up there): dropping that translation then starts a new
     * {@link #codeMappingGeneration} for that privilege.
     */
    public void fetchedFrom(int lin) {
        int vp = lin >>> 12;
        if (tlbRead[vp] == 0) fetchedUntracked = true;
        else fetched[s.cpl == 3 ? 1 : 0][vp >>> 6] |= 1L << vp;
    }

    /** The read (and fetch) TLB: per linear page, the frame in the high 20 bits and permission bits. */
    public int[] readTlb() {
        return tlbRead;
    }

    /**
     * Per linear page, the RAM page that a read at {@code cpl} may access directly, or null when it
     * must take the checked path (no translation or permission in the TLB). The alignment check is
     * not looked at: callers that use these while it is on must look themselves.
     */
    public byte[][] readPages(int cpl) {
        if (cpl != 3) return supReads;
        if (userReads == null) userReads = pagesAllowedBy(tlbRead, T_USER);
        return userReads;
    }

    /** Like {@link #readPages} for writes (null also for pages that hold code, whose writes are reported). */
    public byte[][] writePages(int cpl) {
        if (cpl == 3) {
            if (userWrites == null) userWrites = pagesAllowedBy(tlbWrite, T_USER);
            return userWrites;
        }
        if (supWrites == null) supWrites = pagesAllowedBy(tlbWrite, T_SUP);
        return supWrites;
    }

    /** A new page array holding what the entries filled so far allow an access with {@code bit} (every valid entry's page is among the filled ones). */
    private byte[][] pagesAllowedBy(int[] entries, int bit) {
        byte[][] pages = SpareTables.pages();
        for (int i = 0; i < filledCount; i++) {
            int vp = filled[i];
            pages[vp] = allowed(entries[vp], bit, supReads[vp]);
        }
        return pages;
    }

    /** The page an access with {@code bit} may touch directly under {@code entry}: chunk, or null. */
    private static byte[] allowed(int entry, int bit, byte[] chunk) {
        return (entry & bit) != 0 ? chunk : null;
    }

    /** The write TLB (code pages, MMIO and page-crossing accesses never hit it). */
    public int[] writeTlb() {
        return tlbWrite;
    }

    /** The TLB permission bit that an access at {@code cpl} needs. */
    public static int tlbAccessBit(int cpl) {
        return 1 << ((cpl + 1) >> 2);
    }

    /**
     * The highest offset (unsigned, as a long) that the fast path may access in a segment, or -1
     * when every access to it must take the checked path.
     */
    public static long fastLimit(Segment sg, boolean write) {
        int types = write ? FAST_WRITE_TYPES : FAST_READ_TYPES;
        if (!sg.valid || ((types >>> (sg.access & 0xF)) & 1) == 0) return -1;
        return sg.limit & 0xFFFFFFFFL;
    }

    /**
     * Whether the fast path may take offsets in a segment as linear addresses for reads or writes:
     * base 0 and all of 4 GiB within {@link #fastLimit} (every type the fast write path takes, the
     * fast read path takes too, so a segment flat for writes is flat for reads).
     */
    public static boolean flat(Segment sg, boolean write) {
        return sg.base == 0 && fastLimit(sg, write) == 0xFFFFFFFFL;
    }

    // ------------------------------------------------------------------------------------------
    // Segmented accesses: seg is Segment.ES..GS, off the effective address (already wrapped to
    // the address size by the caller).

    public int read8(int seg, int off) {
        Segment sg = s.seg[seg];
        if (sg.valid && ((FAST_READ_TYPES >>> (sg.access & 0xF)) & 1) != 0
                && Integer.compareUnsigned(off, sg.limit) <= 0) {
            return readLinear8(sg.base + off);
        }
        return readLinear8(checkSlow(seg, off, 1, false));
    }

    public int read16(int seg, int off) {
        Segment sg = s.seg[seg];
        if (sg.valid && ((FAST_READ_TYPES >>> (sg.access & 0xF)) & 1) != 0
                && (off & 0xFFFFFFFFL) + 1 <= (sg.limit & 0xFFFFFFFFL)) {
            return readLinear16(sg.base + off);
        }
        return readLinear16(checkSlow(seg, off, 2, false));
    }

    public int read32(int seg, int off) {
        Segment sg = s.seg[seg];
        if (sg.valid && ((FAST_READ_TYPES >>> (sg.access & 0xF)) & 1) != 0
                && (off & 0xFFFFFFFFL) + 3 <= (sg.limit & 0xFFFFFFFFL)) {
            return readLinear32(sg.base + off);
        }
        return readLinear32(checkSlow(seg, off, 4, false));
    }

    public void write8(int seg, int off, int v) {
        Segment sg = s.seg[seg];
        if (sg.valid && ((FAST_WRITE_TYPES >>> (sg.access & 0xF)) & 1) != 0
                && Integer.compareUnsigned(off, sg.limit) <= 0) {
            writeLinear8(sg.base + off, v);
        } else {
            writeLinear8(checkSlow(seg, off, 1, true), v);
        }
    }

    public void write16(int seg, int off, int v) {
        Segment sg = s.seg[seg];
        if (sg.valid && ((FAST_WRITE_TYPES >>> (sg.access & 0xF)) & 1) != 0
                && (off & 0xFFFFFFFFL) + 1 <= (sg.limit & 0xFFFFFFFFL)) {
            writeLinear16(sg.base + off, v);
        } else {
            writeLinear16(checkSlow(seg, off, 2, true), v);
        }
    }

    public void write32(int seg, int off, int v) {
        Segment sg = s.seg[seg];
        if (sg.valid && ((FAST_WRITE_TYPES >>> (sg.access & 0xF)) & 1) != 0
                && (off & 0xFFFFFFFFL) + 3 <= (sg.limit & 0xFFFFFFFFL)) {
            writeLinear32(sg.base + off, v);
        } else {
            writeLinear32(checkSlow(seg, off, 4, true), v);
        }
    }

    /** Size-generic read (size 1, 2 or 4); the value is zero-extended. */
    public int read(int seg, int off, int size) {
        return size == 4 ? read32(seg, off) : size == 2 ? read16(seg, off) : read8(seg, off);
    }

    /** Size-generic write (size 1, 2 or 4). */
    public void write(int seg, int off, int size, int v) {
        if (size == 4) write32(seg, off, v);
        else if (size == 2) write16(seg, off, v);
        else write8(seg, off, v);
    }

    /**
     * Raises, without writing, any fault that writing {@code size} bytes at seg:off would raise
     * (segment checks, then paging at the current CPL). Lets an instruction that writes several
     * places check them all before changing anything.
     */
    public void probeWrite(int seg, int off, int size) {
        // a page that holds code takes writes, through the slow path: that is no fault
        int bit = accessBit();
        if (fastLinear(seg, off, size, true, bit | bit << 4) >= 0) return;
        int lin = checkSlow(seg, off, size, true);
        probeLinear(lin, size, true, s.cpl == 3);
    }

    /** Like {@link #probeWrite} for reads. */
    public void probeRead(int seg, int off, int size) {
        if (fastLinear(seg, off, size, false) >= 0) return;
        int lin = checkSlow(seg, off, size, false);
        probeLinear(lin, size, false, s.cpl == 3);
    }

    /**
     * A 64-bit read (x87 and CMPXCHG8B operands): one TLB lookup when all 8 bytes lie in a page the
     * TLB holds, otherwise both halves checked before either is read.
     */
    public long read64(int seg, int off) {
        long fast = fastLinear(seg, off, 8, false);
        int lin = (int) fast;
        if (fast >= 0) {
            byte[] p = supReads[lin >>> 12];
            if (p != null) return ChunkWords.get64(p, lin & 0xFFF);
        }
        probeRead(seg, off, 8);
        return (read32(seg, off) & 0xFFFFFFFFL) | (long) read32(seg, off + 4) << 32;
    }

    /** A 64-bit write, the counterpart of {@link #read64}: nothing is written when either half faults. */
    public void write64(int seg, int off, long v) {
        long fast = fastLinear(seg, off, 8, true);
        int lin = (int) fast;
        if (fast >= 0) {
            byte[] p = supReads[lin >>> 12];
            if (p != null) {
                ChunkWords.set64(p, lin & 0xFFF, v);
                return;
            }
        }
        long code = fastLinear(seg, off, 8, true, accessBit() << 4); // a code page's entry
        if (code >= 0 && besideCode(tlbWrite[(int) code >>> 12], (int) code, 8)) {
            lin = (int) code;
            byte[] p = supReads[lin >>> 12];
            if (p != null) {
                ChunkWords.set64(p, lin & 0xFFF, v);
                return;
            }
        }
        probeWrite(seg, off, 8);
        lin = s.seg[seg].base + off;
        // a page the TLB does not hold writable (a code page, say), with no watch or alignment check to make
        if (!watchingData && accessBit() != 0 && (lin & 0xFFF) <= 0xFF8) {
            phys.write64(translate(lin, true, s.cpl == 3), v);
            return;
        }
        write32(seg, off, (int) v);
        write32(seg, off + 4, (int) (v >>> 32));
    }

    /**
     * The linear address of seg:off when the segment takes the fast path, the access stays in
     * its limit and in one page, and the TLB holds that page for this access at the current CPL
     * (so no check, fault or code-page watch applies); -1 otherwise.
     */
    private long fastLinear(int seg, int off, int size, boolean write) {
        return fastLinear(seg, off, size, write, accessBit());
    }

    /** {@link #fastLinear}, with the TLB entry bits that let the access through. */
    private long fastLinear(int seg, int off, int size, boolean write, int entryBits) {
        Segment sg = s.seg[seg];
        int types = write ? FAST_WRITE_TYPES : FAST_READ_TYPES;
        if (!sg.valid || ((types >>> (sg.access & 0xF)) & 1) == 0 || (off & 0xFFFFFFFFL) + size - 1 > (sg.limit & 0xFFFFFFFFL)) {
            return -1;
        }
        int lin = sg.base + off;
        if ((lin & 0xFFF) > 0x1000 - size) return -1;
        int e = write ? tlbWrite[lin >>> 12] : tlbRead[lin >>> 12];
        return (e & entryBits) != 0 ? lin & 0xFFFFFFFFL : -1;
    }

    /**
     * The segment checks of SDM vol. 3, 5.3 and 5.4 (and the 64 KiB real-mode limit, which a 386
     * enforces with #GP(0) or #SS(0)); returns the linear address.
     */
    public int checkSlow(int seg, int off, int size, boolean write) {
        Segment sg = s.seg[seg];
        int acc = sg.access;
        if (s.protectedMode() && !s.v86()) {
            if (!sg.valid) throw fault.set(CpuFault.GP, 0);
            int type = acc & 0xF;
            if ((acc & Segment.ACC_S) == 0) throw fault.set(seg == Segment.SS ? CpuFault.SS : CpuFault.GP, 0);
            if (write ? (type & 0xA) != 0x2 : (type & 0xA) == 0x8) {
                // write to code or read-only data; read of execute-only code
                throw fault.set(CpuFault.GP, 0);
            }
        }
        long first = off & 0xFFFFFFFFL;
        long last = first + size - 1;
        long limit = sg.limit & 0xFFFFFFFFL;
        boolean expandDown = (acc & Segment.ACC_S) != 0 && (acc & 0xC) == 0x4;
        boolean ok;
        if (expandDown) {
            long upper = sg.big() ? 0xFFFFFFFFL : 0xFFFFL;
            ok = first > limit && last <= upper;
        } else {
            ok = last <= limit;
        }
        if (!ok) throw fault.set(seg == Segment.SS ? CpuFault.SS : CpuFault.GP, 0);
        return sg.base + off;
    }

    // ------------------------------------------------------------------------------------------
    // Linear accesses at the current CPL.

    /**
     * 1 << 0 (T_SUP) at CPL 0-2, 1 << 1 (T_USER) at CPL 3; 0 while the alignment check is on, so
     * that every access misses the fast paths and reaches the slow one, which checks alignment.
     */
    private int accessBit() {
        return alignmentChecking() ? 0 : 1 << ((s.cpl + 1) >> 2);
    }

    /** CR0.AM, EFLAGS.AC and CPL 3 in protected or virtual-8086 mode: misaligned data accesses raise #AC(0) (SDM vol. 3, 6.15). */
    public boolean alignmentChecking() {
        // Without a branch on the CPL: it first becomes 3 when a kernel starts its first program, and
        // a branch that had never gone that way sent each compiled method that inlined this one back
        // to HotSpot's interpreter (27 methods in a Debian boot, the interpreter's and the JIT's loops
        // among them). Each term is 0 or 1 in bit 0; (CPL + 1) >> 2 is 1 at CPL 3 only.
        int cpl3 = (s.cpl + 1) >> 2;
        int ac = s.eflagsRest >>> AC_SHIFT, am = s.cr0 >>> AM_SHIFT, pe = s.cr0 >>> PE_SHIFT;
        return (cpl3 & ac & am & pe & 1) != 0;
    }

    private static final int AC_SHIFT = Integer.numberOfTrailingZeros(Flags.AC);
    private static final int AM_SHIFT = Integer.numberOfTrailingZeros(CpuState.CR0_AM);
    private static final int PE_SHIFT = Integer.numberOfTrailingZeros(CpuState.CR0_PE);

    /** #AC(0) for a misaligned user access, after any #PF the access would raise (which comes first). */
    private void checkAlignment(int lin, int size, boolean write, boolean user) {
        if (user && size > 1 && (lin & (size - 1)) != 0 && alignmentChecking()) {
            probeLinear(lin, size, write, true);
            throw fault.set(CpuFault.AC, 0);
        }
    }

    // The fast paths load the page apart from the entry and test it: another guest thread's munmap
    // or mprotect drops this TLB's entries from its own thread (a Linux program's threads share an
    // address space), so an entry may let an access through whose page is already gone, and
    // ChunkWords reads it unchecked. Such an access takes the slow path, which translates again.

    public int readLinear8(int lin) {
        int e = tlbRead[lin >>> 12];
        byte[] p = supReads[lin >>> 12];
        if ((e & accessBit()) != 0 && p != null) return ChunkWords.get8(p, lin & 0xFFF);
        return readSlow(lin, 1, s.cpl == 3);
    }

    public int readLinear16(int lin) {
        int e = tlbRead[lin >>> 12];
        byte[] p = supReads[lin >>> 12];
        if ((e & accessBit()) != 0 && (lin & 0xFFF) <= 0xFFE && p != null) {
            return ChunkWords.get16(p, lin & 0xFFF);
        }
        return readSlow(lin, 2, s.cpl == 3);
    }

    public int readLinear32(int lin) {
        int e = tlbRead[lin >>> 12];
        byte[] p = supReads[lin >>> 12];
        if ((e & accessBit()) != 0 && (lin & 0xFFF) <= 0xFFC && p != null) {
            return ChunkWords.get32(p, lin & 0xFFF);
        }
        return readSlow(lin, 4, s.cpl == 3);
    }

    public void writeLinear8(int lin, int v) {
        int e = tlbWrite[lin >>> 12];
        byte[] p = supReads[lin >>> 12];
        if (((e & accessBit()) != 0 || besideCode(e, lin, 1)) && p != null) {
            ChunkWords.set8(p, lin & 0xFFF, v);
        } else {
            writeSlow(lin, 1, v, s.cpl == 3);
        }
    }

    public void writeLinear16(int lin, int v) {
        int e = tlbWrite[lin >>> 12];
        byte[] p = supReads[lin >>> 12];
        if (((e & accessBit()) != 0 && (lin & 0xFFF) <= 0xFFE || besideCode(e, lin, 2)) && p != null) {
            ChunkWords.set16(p, lin & 0xFFF, v);
        } else {
            writeSlow(lin, 2, v, s.cpl == 3);
        }
    }

    public void writeLinear32(int lin, int v) {
        int e = tlbWrite[lin >>> 12];
        byte[] p = supReads[lin >>> 12];
        if (((e & accessBit()) != 0 && (lin & 0xFFF) <= 0xFFC || besideCode(e, lin, 4)) && p != null) {
            ChunkWords.set32(p, lin & 0xFFF, v);
        } else {
            writeSlow(lin, 4, v, s.cpl == 3);
        }
    }

    /**
     * Whether a write of {@code size} bytes at lin, whose write-TLB entry is e, may be stored
     * directly although its page holds code: the entry lets the CPL write it (a code page's
     * entry), the write stays in the page, no data breakpoint or watcher looks, and the bytes are
     * in none of the page's lines that hold code, so there is nothing to report.
     */
    private boolean besideCode(int e, int lin, int size) {
        return (e & accessBit() << 4) != 0 && (lin & 0xFFF) <= 0x1000 - size && !watchingData
                && !phys.touchesCode((e & ~0xFFF) | (lin & 0xFFF), size);
    }

    // Instruction fetch: an execute access at the current CPL (no NX without PAE: same rights as a
    // read), which data breakpoints do not see.
    // (nor the alignment check).
    public int fetch8(int lin) { return watchingData || accessBit() == 0 ? readPaged(lin, 1, s.cpl == 3) : readLinear8(lin); }
    public int fetch16(int lin) { return watchingData || accessBit() == 0 ? readPaged(lin, 2, s.cpl == 3) : readLinear16(lin); }
    public int fetch32(int lin) { return watchingData || accessBit() == 0 ? readPaged(lin, 4, s.cpl == 3) : readLinear32(lin); }

    /** Physical address of the code byte at a linear address (raising #PF as a fetch would). */
    public int translateCode(int lin) {
        int pa = translate(lin, false, s.cpl == 3);
        fetchedFrom(lin);
        return pa;
    }

    // Supervisor accesses regardless of CPL: descriptor tables, the TSS, the IDT (SDM 4.6).
    public int readSystem8(int lin) { return readSlow(lin, 1, false); }
    public int readSystem16(int lin) { return readSlow(lin, 2, false); }
    public int readSystem32(int lin) { return readSlow(lin, 4, false); }
    public void writeSystem8(int lin, int v) { writeSlow(lin, 1, v, false); }
    public void writeSystem16(int lin, int v) { writeSlow(lin, 2, v, false); }
    public void writeSystem32(int lin, int v) { writeSlow(lin, 4, v, false); }

    /** Linear read with an explicit privilege (user = CPL 3 rules), size 1, 2 or 4. */
    public int readLinear(int lin, int size, boolean user) {
        return readSlow(lin, size, user);
    }

    /** Linear write with an explicit privilege (user = CPL 3 rules), size 1, 2 or 4. */
    public void writeLinear(int lin, int size, int v, boolean user) {
        writeSlow(lin, size, v, user);
    }

    /** Raises the #PF that an access of {@code size} bytes at {@code lin} would raise, if any. */
    public void probeLinear(int lin, int size, boolean write, boolean user) {
        translate(lin, write, user);
        int lastByte = lin + size - 1;
        if (((lastByte ^ lin) & ~0xFFF) != 0) translate(lastByte, write, user);
    }

    // ------------------------------------------------------------------------------------------
    // Slow paths.

    private int readSlow(int lin, int size, boolean user) {
        checkAlignment(lin, size, false, user);
        if (watchingData) dataBreakpointHits |= BreakpointMatch.data(s.dr, lin, size, false);
        AccessWatcher w = accessWatcher;
        if (w == null) return readPaged(lin, size, user);
        w.beforeRead(lin, size);
        int v = readPaged(lin, size, user);
        w.afterRead(lin, size, v);
        return v;
    }

    private int readPaged(int lin, int size, boolean user) {
        int pa = translate(lin, false, user);
        int inPage = 0x1000 - (lin & 0xFFF);
        if (inPage >= size) {
            return size == 4 ? phys.read32(pa) : size == 2 ? phys.read16(pa) : phys.read8(pa);
        }
        int pa2 = translate(lin + inPage, false, user);
        int v = 0;
        for (int i = 0; i < size; i++) {
            int b = i < inPage ? phys.read8(pa + i) : phys.read8(pa2 + i - inPage);
            v |= b << (8 * i);
        }
        return v;
    }

    private void writeSlow(int lin, int size, int v, boolean user) {
        checkAlignment(lin, size, true, user);
        if (watchingData) dataBreakpointHits |= BreakpointMatch.data(s.dr, lin, size, true);
        AccessWatcher w = accessWatcher;
        if (w != null) w.beforeWrite(lin, size, v);
        int pa = translate(lin, true, user);
        int inPage = 0x1000 - (lin & 0xFFF);
        if (inPage >= size) {
            if (size == 4) phys.write32(pa, v);
            else if (size == 2) phys.write16(pa, v);
            else phys.write8(pa, v);
            return;
        }
        // Both pages are translated (and may fault) before any byte is written.
        int pa2 = translate(lin + inPage, true, user);
        for (int i = 0; i < size; i++) {
            int b = v >>> (8 * i);
            if (i < inPage) phys.write8(pa + i, b);
            else phys.write8(pa2 + i - inPage, b);
        }
    }

    /** Linear to physical through the TLB, walking the page tables on a miss. */
    public int translate(int lin, boolean write, boolean user) {
        int need = user ? T_USER : T_SUP;
        int e = write ? tlbWrite[lin >>> 12] : tlbRead[lin >>> 12];
        if ((e & (write ? need | need << 4 : need)) != 0) return (e & ~0xFFF) | (lin & 0xFFF);
        return walk(lin, write, user);
    }

    /** The page walk of SDM vol. 3, 4.3 (32-bit paging), with A/D updates and #PF. */
    private int walk(int lin, boolean write, boolean user) {
        int vp = lin >>> 12;
        if (!s.paging()) {
            int pa = lin & a20Mask;
            fill(vp, pa, T_SUP | T_USER, T_SUP | T_USER, write);
            return pa;
        }
        if ((s.cr4 & CpuState.CR4_PAE) != 0) return walkPae(lin, write, user);
        int pdeAddr = ((s.cr3 & ~0xFFF) | ((lin >>> 22) << 2)) & a20Mask;
        int pde = phys.read32(pdeAddr);
        if ((pde & PTE_P) == 0) throw pageFault(lin, 0, write, user);
        boolean large = (pde & PTE_PS) != 0 && (s.cr4 & CpuState.CR4_PSE) != 0;
        int leaf, combined, pa, pteAddr = 0;
        if (large) {
            leaf = pde;
            combined = pde;
            pa = (pde & 0xFFC00000) | (lin & 0x3FF000);
        } else {
            pteAddr = ((pde & ~0xFFF) | (((lin >>> 12) & 0x3FF) << 2)) & a20Mask;
            leaf = phys.read32(pteAddr);
            if ((leaf & PTE_P) == 0) throw pageFault(lin, 0, write, user);
            combined = pde & leaf;
            pa = leaf & ~0xFFF;
        }
        return finishWalk(lin, write, user, large, pdeAddr, pde, pteAddr, leaf, combined, pa);
    }

    /** Permission checks, accessed/dirty updates and the TLB fill shared by both paging modes. */
    private int finishWalk(int lin, boolean write, boolean user, boolean large, int pdeAddr, int pde,
            int pteAddr, int leaf, int combined, int pa) {
        boolean userOk = (combined & PTE_US) != 0;
        boolean rwOk = (combined & PTE_RW) != 0;
        boolean supWriteOk = rwOk || (s.cr0 & CpuState.CR0_WP) == 0;
        if (user && !userOk) throw pageFault(lin, PF_P, write, user);
        if (write && !(user ? rwOk : supWriteOk)) throw pageFault(lin, PF_P, write, user);
        // Accessed and dirty bits (SDM 4.8): written back to the tables (the low dword of a PAE entry).
        if (large) {
            int n = pde | PTE_A | (write ? PTE_D : 0);
            if (n != pde) phys.write32(pdeAddr, n);
        } else {
            if ((pde & PTE_A) == 0) phys.write32(pdeAddr, pde | PTE_A);
            int n = leaf | PTE_A | (write ? PTE_D : 0);
            if (n != leaf) phys.write32(pteAddr, n);
        }
        pa = (pa | (lin & 0xFFF)) & a20Mask;
        int extra = ((leaf & PTE_G) != 0 && (s.cr4 & CpuState.CR4_PGE) != 0 ? T_GLOBAL : 0) | (large ? T_LARGE : 0);
        int readBits = T_SUP | (userOk ? T_USER : 0);
        int writeBits = (supWriteOk ? T_SUP : 0) | (userOk && rwOk ? T_USER : 0);
        fill(lin >>> 12, pa, readBits | extra, writeBits == 0 ? 0 : writeBits | extra, write);
        return pa;
    }

    /**
     * PAE paging (SDM vol. 3, 4.4): the four PDPTEs cached at the last CR3 load, then 64-bit
     * directory and table entries, 2 MiB or 4 KiB pages. Physical addresses are 32-bit here:
     * address bits above 31 in an entry are ignored. No NX (EFER.NXE does not exist).
     */
    private int walkPae(int lin, boolean write, boolean user) {
        long pdpte = pdptes[lin >>> 30];
        if ((pdpte & PTE_P) == 0) throw pageFault(lin, 0, write, user);
        int pdeAddr = (((int) pdpte & ~0xFFF) + (((lin >>> 21) & 0x1FF) << 3)) & a20Mask;
        int pde = phys.read32(pdeAddr);
        if ((pde & PTE_P) == 0) throw pageFault(lin, 0, write, user);
        boolean large = (pde & PTE_PS) != 0;
        int leaf, combined, pa, pteAddr = 0;
        if (large) {
            leaf = pde;
            combined = pde;
            pa = (pde & 0xFFE00000) | (lin & 0x1FF000);
        } else {
            pteAddr = ((pde & ~0xFFF) + (((lin >>> 12) & 0x1FF) << 3)) & a20Mask;
            leaf = phys.read32(pteAddr);
            if ((leaf & PTE_P) == 0) throw pageFault(lin, 0, write, user);
            combined = pde & leaf;
            pa = leaf & ~0xFFF;
        }
        return finishWalk(lin, write, user, large, pdeAddr, pde, pteAddr, leaf, combined, pa);
    }

    /** The PDPTEs of PAE paging, loaded from CR3 by {@link #loadPdptes()}. */
    private final long[] pdptes = new long[4];

    /**
     * Loads the four PDPTEs that CR3 points to (SDM vol. 3, 4.4.1), as MOV to CR3 (and the CR0/CR4
     * writes that enable PAE paging) do. A present PDPTE with a reserved bit set (bits 1-2, 5-8,
     * 36-63) raises #GP(0) and leaves the cached entries unchanged; the caller then leaves the control
     * register unchanged too.
     */
    public void loadPdptes(int cr3) {
        int base = cr3 & ~0x1F;
        long[] next = new long[4];
        for (int i = 0; i < 4; i++) {
            int a = (base + 8 * i) & a20Mask;
            long e = (phys.read32(a) & 0xFFFFFFFFL) | ((long) phys.read32(a + 4) << 32);
            if ((e & PTE_P) != 0 && (e & 0xFFFFFFF0000001E6L) != 0) throw fault.set(CpuFault.GP, 0);
            next[i] = e;
        }
        System.arraycopy(next, 0, pdptes, 0, 4);
    }

    private CpuFault pageFault(int lin, int errBits, boolean write, boolean user) {
        s.cr2 = lin;
        return fault.set(CpuFault.PF, errBits | (write ? PF_W : 0) | (user ? PF_U : 0));
    }

    private void fill(int vp, int pa, int readBits, int writeBits, boolean write) {
        if (!phys.isRam(pa)) return; // MMIO and unbacked addresses always take the slow path
        if (accessWatcher != null || (watchingData && BreakpointMatch.watchesPage(s.dr, vp))) return;
        int frame = pa & ~0xFFF;
        if (tlbRead[vp] == 0 && tlbWrite[vp] == 0) track(vp);
        if ((readBits & T_LARGE) != 0) largePagesMapped = true;
        // One chunk per page for both entries: a write entry for another frame goes.
        if ((tlbWrite[vp] & ~0xFFF) != frame) tlbWrite[vp] = 0;
        int read = frame | readBits;
        if (tlbRead[vp] != 0 && tlbRead[vp] != read) forgetFetched(vp);
        tlbRead[vp] = read;
        if (write && writeBits != 0) {
            tlbWrite[vp] = frame | (phys.isCodePage(pa >>> 12) ? asCodeEntry(writeBits) : writeBits);
        }
        setPages(vp, phys.chunkFor(pa)); // allocated: the fast path never finds an unallocated page
    }

    /** Sets the fast paths' pages of vp to what its entries allow; chunk is the RAM page they map. */
    private void setPages(int vp, byte[] chunk) {
        int r = tlbRead[vp], w = tlbWrite[vp];
        supReads[vp] = allowed(r, T_SUP, chunk);
        if (userReads != null) userReads[vp] = allowed(r, T_USER, chunk);
        if (supWrites != null) supWrites[vp] = allowed(w, T_SUP, chunk);
        if (userWrites != null) userWrites[vp] = allowed(w, T_USER, chunk);
    }

    /** Drops both entries of vp and its pages. */
    private void drop(int vp) {
        forgetFetched(vp);
        tlbRead[vp] = 0;
        tlbWrite[vp] = 0;
        setPages(vp, null);
    }

    /** Drops the entries of the linear pages [from, to) and their pages. */
    private void dropAll(int from, int to) {
        for (int k = 0; k < 2; k++) {
            long[] bits = fetched[k];
            for (int vp = from; vp < to; vp += 64) { // whole words: ranges are 1024-page aligned
                if (bits[vp >>> 6] != 0) {
                    Arrays.fill(bits, from >>> 6, to >>> 6, 0L);
                    codeMappingGeneration[k]++;
                    break;
                }
            }
        }
        Arrays.fill(tlbRead, from, to, 0);
        Arrays.fill(tlbWrite, from, to, 0);
        for (byte[][] pages : new byte[][][] {supReads, userReads, supWrites, userWrites}) {
            if (pages != null) Arrays.fill(pages, from, to, null);
        }
    }

    /** vp's entry goes or changes: a new code mapping generation when code was fetched through it. */
    private void forgetFetched(int vp) {
        long bit = 1L << vp;
        for (int k = 0; k < 2; k++) {
            long[] bits = fetched[k];
            if ((bits[vp >>> 6] & bit) != 0) {
                bits[vp >>> 6] &= ~bit;
                codeMappingGeneration[k]++;
            }
        }
    }

    /** Entries are dropped: a fetch that went through none counts as dropped with them. */
    private void dropUntracked() {
        if (fetchedUntracked) {
            fetchedUntracked = false;
            codeMappingGeneration[0]++;
            codeMappingGeneration[1]++;
        }
    }

    private void track(int vp) {
        if (filledCount == filled.length) {
            dropAll(0, 1 << 20);
            filledCount = 0;
            largePagesMapped = false;
        }
        filled[filledCount++] = vp;
    }

    /**
     * This CPU is gone for good (its thread ended and nothing will run it again): its tables go to
     * {@link SpareTables} for the next CPU, and physical memory stops reporting to it. Nothing may
     * use this object afterwards, compiled code of its CPU included.
     */
    public void release() {
        phys.forgetTlb(this);
        flushTlb(); // every entry that may be set is among the filled ones: this clears them all
        SpareTables.giveCleared(tlbRead);
        SpareTables.giveCleared(tlbWrite);
        SpareTables.giveCleared(supReads);
        SpareTables.giveCleared(userReads);
        SpareTables.giveCleared(supWrites);
        SpareTables.giveCleared(userWrites);
        SpareTables.give(fetched[0]);
        SpareTables.give(fetched[1]);
        SpareTables.give(filled);
        userReads = supWrites = userWrites = null;
    }

    // ------------------------------------------------------------------------------------------
    // TLB maintenance.

    /** Drops every TLB entry (CR0.PG/WP or CR4 paging-bit changes, A20, MMIO remaps). */
    public void flushTlb() {
        dropUntracked();
        for (int i = 0; i < filledCount; i++) drop(filled[i]);
        filledCount = 0;
        largePagesMapped = false;
    }

    /** A CR3 write: drops every entry but those of global pages (CR4.PGE). */
    public void flushNonGlobal() {
        dropUntracked();
        int kept = 0;
        for (int i = 0; i < filledCount; i++) {
            int vp = filled[i];
            if ((tlbRead[vp] & T_GLOBAL) != 0) {
                filled[kept++] = vp;
            } else {
                drop(vp);
            }
        }
        filledCount = kept;
    }

    /** INVLPG: drops the translation of the page holding {@code lin} (the whole 4 MiB page if large). */
    public void invalidatePage(int lin) {
        dropUntracked();
        if (largePagesMapped) {
            int first = (lin >>> 12) & ~0x3FF;
            dropAll(first, first + 0x400);
        } else {
            drop(lin >>> 12);
        }
    }

    /** Called when a physical page becomes a code page: its write entries move to the code-page bits (the slow path). */
    void slowWriteMappings(int physPage) {
        for (int i = 0; i < filledCount; i++) {
            int vp = filled[i];
            int e = tlbWrite[vp];
            if (e != 0 && (e >>> 12) == physPage) {
                tlbWrite[vp] = asCodeEntry(e);
                setPages(vp, supReads[vp]);
            }
        }
    }

    /** The page holds no code any more: its write entries may take the fast path again. */
    void restoreWriteMappings(int physPage) {
        for (int i = 0; i < filledCount; i++) {
            int vp = filled[i];
            int e = tlbWrite[vp];
            if (e != 0 && (e >>> 12) == physPage) {
                tlbWrite[vp] = (e & ~(T_CODE_SUP | T_CODE_USER)) | ((e >>> 4) & T_ACCESS);
                setPages(vp, supReads[vp]);
            }
        }
    }

    /** A write entry moved to the code-page bits (the fast paths miss it). */
    private static int asCodeEntry(int e) {
        return (e & ~T_ACCESS) | ((e & T_ACCESS) << 4);
    }

    /**
     * DR0-DR3 or DR7 may have changed (MOV DRn, or an embedder before a run): when the watched
     * data changed, the TLB is dropped so that watched pages take the slow path from now on.
     */
    public void debugRegistersChanged() {
        int[] w = watchedRegisters;
        int[] dr = s.dr;
        if (w[0] == dr[0] && w[1] == dr[1] && w[2] == dr[2] && w[3] == dr[3] && w[4] == dr[7]) return;
        System.arraycopy(dr, 0, w, 0, 4);
        w[4] = dr[7];
        boolean was = watchingData;
        watchingData = BreakpointMatch.watchesData(dr[7]) || accessWatcher != null;
        if (was || watchingData) flushTlb();
    }

    /**
     * Reports every data access (not instruction fetches) to {@code w} from now on, or with null
     * stops doing so. While a watcher is set every access takes the slow path (nothing enters the
     * TLB, bulk string copies are off), compiled code included.
     */
    public void setAccessWatcher(AccessWatcher w) {
        accessWatcher = w;
        watchingData = BreakpointMatch.watchesData(s.dr[7]) || w != null;
        flushTlb();
    }

    /** Whether an enabled data breakpoint makes every access to the pages it covers take the slow path. */
    public boolean watchingData() {
        return watchingData;
    }

    /** The A20 gate: when disabled, physical address bit 20 reads as zero (8086 wrap-around). */
    public void setA20(boolean enabled) {
        int m = enabled ? -1 : ~(1 << 20);
        if (m != a20Mask) {
            a20Mask = m;
            flushTlb();
        }
    }

    public boolean a20() {
        return a20Mask == -1;
    }
}
