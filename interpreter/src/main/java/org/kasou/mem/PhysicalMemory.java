package org.kasou.mem;

import java.util.Arrays;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Guest physical address space: RAM as little-endian byte arrays of one 4 KiB page each ({@link #chunks}),
 * plus memory-mapped I/O regions at 4 KiB granularity. Addresses at or above the RAM size that no
 * device claims read as all ones and ignore writes.
 *
 * <p>RAM takes host memory only as the guest uses it: a chunk is allocated by the first write to
 * it through this class, or when a TLB maps a page in it ({@link #chunkFor}); until then it reads
 * as zeros. A TLB entry therefore always names an allocated chunk, so that the fast path of an
 * access is {@code chunks[pa >>> CHUNK_SHIFT][pa & CHUNK_MASK]} with no null test.
 *
 * <p>Pages can be marked as holding code ({@link #markCodePage}); every write to such a page made
 * through this class (or through {@link Memory}, whose TLB never maps a code page for writing)
 * calls the {@link CodeWriteListener}s after storing the bytes: one per CPU when several CPUs
 * share this memory (threads of one guest process). Code that writes {@link #chunks} directly
 * bypasses this and must not be used on pages that may hold code.
 */
public final class PhysicalMemory {
    public static final int PAGE_SHIFT = 12;

    /** pageFlags bits. */
    static final byte PAGE_MMIO = 1, PAGE_CODE = 2;

    /**
     * log2 of the chunk size: RAM is allocated a page at a time, so that a TLB can hold the page's
     * own array and an access indexes it with the offset in the page alone.
     */
    public static final int CHUNK_SHIFT = PAGE_SHIFT;
    public static final int CHUNK_SIZE = 1 << CHUNK_SHIFT;
    public static final int CHUNK_MASK = CHUNK_SIZE - 1;

    /**
     * RAM by page-sized chunk ({@code pa >>> CHUNK_SHIFT}); null until first touched (reads as zeros).
     * Only {@link #chunkFor} allocates.
     */
    public final byte[][] chunks;
    private final int ramBytes;
    private int allocatedChunks;
    /** Thrown when the heap cannot hold another chunk (allocated now: then there is no room). */
    private final GuestMemoryExhaustedException exhausted;
    /** MMIO handler and region base per physical page; allocated by the first {@link #mapMmio}. */
    private MmioHandler[] mmio;
    private int[] mmioBase;
    /** PAGE_MMIO / PAGE_CODE per physical page; 0 for plain RAM (or nothing). */
    final byte[] pageFlags = SpareTables.bytes();
    /**
     * Per code page, which of its 64-byte lines hold code (bit k: bytes 64k to 64k + 63), by groups
     * of 1,024 pages allocated as pages become code pages. Lines are cleared only with the page.
     */
    private final long[][] codeLines = new long[1 << 10][];
    /** Told about writes to code pages: one per CPU over this memory (copied on change, read without a lock). */
    private volatile CodeWriteListener[] codeWriteListeners = new CodeWriteListener[0];
    /**
     * Set once a second CPU works on this memory (guest threads), before that CPU runs: from then
     * on LOCK'd instructions take {@link #atomicLock}. A plain field: it changes only on the way
     * from one CPU to two, in the thread that makes the second one, which starts it afterwards.
     */
    /** Volatile: compiled code reads it at each atomic instruction, and no loop may keep an old value. */
    private volatile boolean sharedByCpus;
    /** Replaced only before this memory's first CPU runs (see {@link #shareAtomicsWith}). */
    private Object atomicLock = new Object();
    /** TLBs that must drop write mappings of a page when it becomes a code page. */
    private final CopyOnWriteArrayList<Memory> tlbs = new CopyOnWriteArrayList<>();

    public PhysicalMemory(int ramBytes) {
        if (ramBytes <= 0 || (ramBytes & 0xFFF) != 0) {
            throw new IllegalArgumentException("RAM size must be a positive multiple of 4 KiB: " + ramBytes);
        }
        this.ramBytes = ramBytes;
        this.exhausted = new GuestMemoryExhaustedException(ramBytes);
        this.chunks = SpareTables.take(byte[][].class, (ramBytes + CHUNK_MASK) >>> CHUNK_SHIFT);
    }

    public int ramSize() {
        return ramBytes;
    }

    /** How many chunks (pages) of RAM have been allocated (touched) so far. */
    public int allocatedChunks() {
        return allocatedChunks;
    }

    /**
     * The chunk holding RAM address {@code pa} (below {@link #ramSize()}), allocated now if it was
     * never touched. A guest that touches more RAM than the Java heap can hold gets
     * {@link GuestMemoryExhaustedException} rather than an OutOfMemoryError.
     */
    public byte[] chunkFor(int pa) {
        byte[] c = chunks[pa >>> CHUNK_SHIFT];
        return c != null ? c : allocate(pa >>> CHUNK_SHIFT);
    }

    /**
     * Synchronized, and looks again: CPUs of several threads may touch a new chunk at once, and
     * all of them must get the same one (a second array would silently hold one CPU's writes).
     */
    private synchronized byte[] allocate(int index) {
        byte[] c = chunks[index];
        if (c != null) return c;
        try {
            c = new byte[CHUNK_SIZE];
        } catch (OutOfMemoryError e) {
            throw exhausted.at(allocatedChunks);
        }
        chunks[index] = c;
        allocatedChunks++;
        return c;
    }

    public void mapMmio(int base, int size, MmioHandler handler) {
        if (mmio == null) {
            mmio = new MmioHandler[1 << 20];
            mmioBase = new int[1 << 20];
        }
        for (long p = Integer.toUnsignedLong(base) >>> PAGE_SHIFT; p < (Integer.toUnsignedLong(base) + size + 0xFFF) >>> PAGE_SHIFT; p++) {
            mmio[(int) p] = handler;
            mmioBase[(int) p] = base;
            pageFlags[(int) p] |= PAGE_MMIO;
        }
        for (Memory m : tlbs) m.flushTlb();
    }

    /** Makes the pages of [base, base + size) ordinary addresses again (RAM where there is RAM). */
    public void unmapMmio(int base, int size) {
        if (mmio == null) return;
        for (long p = Integer.toUnsignedLong(base) >>> PAGE_SHIFT; p < (Integer.toUnsignedLong(base) + size + 0xFFF) >>> PAGE_SHIFT; p++) {
            mmio[(int) p] = null;
            mmioBase[(int) p] = 0;
            pageFlags[(int) p] &= ~PAGE_MMIO;
        }
        for (Memory m : tlbs) m.flushTlb();
    }

    /** Replaces every listener with {@code l} (one CPU, or an embedder watching code writes itself). */
    public synchronized void setCodeWriteListener(CodeWriteListener l) {
        codeWriteListeners = l == null ? new CodeWriteListener[0] : new CodeWriteListener[] {l};
    }

    /** Adds a listener (the CPU of one more guest thread over this memory). */
    public synchronized void addCodeWriteListener(CodeWriteListener l) {
        CodeWriteListener[] old = codeWriteListeners;
        CodeWriteListener[] now = Arrays.copyOf(old, old.length + 1);
        now[old.length] = l;
        codeWriteListeners = now;
    }

    /** Removes a listener added before (a guest thread's CPU that ended). */
    public synchronized void removeCodeWriteListener(CodeWriteListener l) {
        CodeWriteListener[] old = codeWriteListeners;
        for (int i = 0; i < old.length; i++) {
            if (old[i] == l) {
                CodeWriteListener[] now = new CodeWriteListener[old.length - 1];
                System.arraycopy(old, 0, now, 0, i);
                System.arraycopy(old, i + 1, now, i, now.length - i);
                codeWriteListeners = now;
                return;
            }
        }
    }

    /** Whether more than one CPU works on this memory, so that LOCK'd instructions must exclude each other. */
    public boolean sharedByCpus() {
        return sharedByCpus;
    }

    /** The lock LOCK'd instructions hold while they read, compute and write, once {@link #sharedByCpus()}. */
    public Object atomicLock() {
        return atomicLock;
    }

    /**
     * A CPU no longer holds code in a page. With one CPU the page stops being a code page; with
     * several it stays one, since another CPU may still hold code there and asking it would mean
     * reading its caches from this thread.
     */
    public void releaseCodePage(int physPage) {
        if (!sharedByCpus) unmarkCodePage(physPage);
    }

    /** Marks a whole physical page (address >>> 12) as holding code: every write to it will be reported. */
    public void markCodePage(int physPage) {
        markLines(physPage & 0xFFFFF, -1L);
    }

    /**
     * Marks the bytes [physAddr, physAddr + length) as holding code: writes to the 64-byte lines
     * they occupy will be reported, and the rest of their pages are written without a report.
     */
    public void markCode(int physAddr, int length) {
        int end = physAddr + length; // exclusive
        for (int pa = physAddr; Integer.compareUnsigned(pa, end) < 0; pa = (pa | 0xFFF) + 1) {
            int last = Integer.compareUnsigned(end - 1, pa | 0xFFF) < 0 ? end - 1 : pa | 0xFFF;
            long lines = -1L >>> (63 - ((last >>> 6) & 63)) & -1L << ((pa >>> 6) & 63);
            markLines(pa >>> PAGE_SHIFT, lines);
            if ((pa | 0xFFF) == -1) break; // the last page of the address space
        }
    }

    private void markLines(int physPage, long lines) {
        long[] group = codeLines[physPage >>> 10];
        if (group == null) group = codeLines[physPage >>> 10] = new long[1 << 10];
        group[physPage & 0x3FF] |= lines;
        if ((pageFlags[physPage] & PAGE_CODE) != 0) return;
        pageFlags[physPage] |= PAGE_CODE;
        for (Memory m : tlbs) m.slowWriteMappings(physPage);
    }

    public void unmarkCodePage(int physPage) {
        physPage &= 0xFFFFF;
        if ((pageFlags[physPage] & PAGE_CODE) == 0) return;
        pageFlags[physPage] &= ~PAGE_CODE;
        codeLines[physPage >>> 10][physPage & 0x3FF] = 0;
        for (Memory m : tlbs) m.restoreWriteMappings(physPage);
    }

    /**
     * Whether a write of {@code size} bytes (1 to 8) at pa touches a line marked as holding code
     * (a write that crosses into the next page is looked at in both).
     */
    public boolean touchesCode(int pa, int size) {
        return touchesCodeLine(pa) || touchesCodeLine(pa + size - 1);
    }

    private boolean touchesCodeLine(int pa) {
        int page = pa >>> PAGE_SHIFT;
        if ((pageFlags[page] & PAGE_CODE) == 0) return false;
        return (codeLines[page >>> 10][page & 0x3FF] >>> ((pa >>> 6) & 63) & 1) != 0;
    }

    public boolean isCodePage(int physPage) {
        return (pageFlags[physPage & 0xFFFFF] & PAGE_CODE) != 0;
    }

    /**
     * The memory is gone for good (every CPU over it released): its page table goes to
     * {@link SpareTables}. Nothing may use this object afterwards.
     */
    public void release() {
        SpareTables.give(pageFlags);
        SpareTables.give(chunks);
    }

    /**
     * Makes this memory's page at {@code pa} the same array as {@code from}'s page at
     * {@code fromPa} (allocated there first when it never was), so that writes through either
     * memory are seen through both: memory that processes share. Callers map {@code pa} only
     * after this, and call {@link #dropSharedChunk} before they reuse it.
     */
    public void shareChunk(int pa, PhysicalMemory from, int fromPa) {
        useChunk(pa, from.chunkFor(fromPa));
    }

    /**
     * Makes the page at {@code pa} the array {@code c} (a page-sized array that other memories, or
     * its owner, hold too: a SysV shared memory segment's page), until {@link #dropSharedChunk}.
     */
    public synchronized void useChunk(int pa, byte[] c) {
        if (c.length != CHUNK_SIZE) throw new IllegalArgumentException("not a page: " + c.length + " bytes");
        if (chunks[pa >>> CHUNK_SHIFT] == null) allocatedChunks++;
        chunks[pa >>> CHUNK_SHIFT] = c;
    }

    /**
     * Forgets the array of a shared page (unmapped here) without clearing it: others still use it,
     * and this page reads as zeros until written again.
     */
    public synchronized void dropSharedChunk(int pa) {
        if (chunks[pa >>> CHUNK_SHIFT] != null) allocatedChunks--;
        chunks[pa >>> CHUNK_SHIFT] = null;
    }

    /**
     * This memory, not yet used by any CPU, shares pages with {@code other}: LOCK'd instructions
     * of both take one lock from now on, so that they are atomic against each other.
     */
    public void shareAtomicsWith(PhysicalMemory other) {
        atomicLock = other.atomicLock;
        sharedByCpus = true;
        other.sharedByCpus = true;
    }

    /**
     * Pages of this memory are shared with CPUs of other memories that did not come from it (a
     * SysV segment that unrelated processes attach): from now on LOCK'd instructions take the
     * atomic path, whose compare-and-set stores exclude those CPUs' writes too. Called on the
     * thread of this memory's one CPU, or when it has several already.
     */
    public void sharePagesWithOthers() {
        sharedByCpus = true;
    }

    /** A CPU's TLB that is gone (its guest thread ended): code pages no longer need to reach it. */
    public void forgetTlb(Memory m) {
        tlbs.remove(m);
    }

    void registerTlb(Memory m) {
        tlbs.add(m);
        if (tlbs.size() > 1) sharedByCpus = true;
    }

    /** Whether a physical page is plain RAM, so that callers may access {@link #chunks} directly. */
    public boolean isRam(int pa) {
        return Integer.compareUnsigned(pa, ramBytes) < 0 && (pageFlags[pa >>> PAGE_SHIFT] & PAGE_MMIO) == 0;
    }

    /** Whether a physical page is RAM that may be written directly (not MMIO, not code). */
    boolean isPlainRam(int pa) {
        return Integer.compareUnsigned(pa, ramBytes) < 0 && pageFlags[pa >>> PAGE_SHIFT] == 0;
    }

    public int read8(int pa) {
        if (isRam(pa)) {
            byte[] c = chunks[pa >>> CHUNK_SHIFT];
            return c == null ? 0 : c[pa & CHUNK_MASK] & 0xFF;
        }
        return slowRead(pa, 1);
    }

    public int read16(int pa) {
        if ((pa & 0xFFF) <= 0xFFE && isRam(pa)) {
            byte[] c = chunks[pa >>> CHUNK_SHIFT];
            return c == null ? 0 : ChunkWords.get16(c, pa & CHUNK_MASK);
        }
        if ((pa & 0xFFF) <= 0xFFE && isMmio(pa)) return slowRead(pa, 2);
        return read8(pa) | (read8(pa + 1) << 8);
    }

    public int read32(int pa) {
        if ((pa & 0xFFF) <= 0xFFC && isRam(pa)) {
            byte[] c = chunks[pa >>> CHUNK_SHIFT];
            return c == null ? 0 : ChunkWords.get32(c, pa & CHUNK_MASK);
        }
        if ((pa & 0xFFF) <= 0xFFC && isMmio(pa)) return slowRead(pa, 4);
        return read16(pa) | (read16(pa + 2) << 16);
    }

    public void write8(int pa, int v) {
        if (isPlainRam(pa)) chunkFor(pa)[pa & CHUNK_MASK] = (byte) v;
        else slowWrite(pa, 1, v);
    }

    public void write16(int pa, int v) {
        if ((pa & 0xFFF) <= 0xFFE) {
            if (isPlainRam(pa)) ChunkWords.set16(chunkFor(pa), pa & CHUNK_MASK, v);
            else slowWrite(pa, 2, v);
        } else {
            write8(pa, v);
            write8(pa + 1, v >>> 8);
        }
    }

    public void write32(int pa, int v) {
        if ((pa & 0xFFF) <= 0xFFC) {
            if (isPlainRam(pa)) ChunkWords.set32(chunkFor(pa), pa & CHUNK_MASK, v);
            else slowWrite(pa, 4, v);
        } else {
            write16(pa, v);
            write16(pa + 2, v >>> 16);
        }
    }

    /** Eight bytes; on a code page the write is reported once, as one. */
    public void write64(int pa, long v) {
        if ((pa & 0xFFF) <= 0xFF8 && !isMmio(pa) && Integer.compareUnsigned(pa, ramBytes) < 0) {
            ChunkWords.set64(chunkFor(pa), pa & CHUNK_MASK, v);
            notifyCodeWrite(pa, 8);
        } else {
            write32(pa, (int) v);
            write32(pa + 4, (int) (v >>> 32));
        }
    }

    private boolean isMmio(int pa) {
        return (pageFlags[pa >>> PAGE_SHIFT] & PAGE_MMIO) != 0;
    }

    private int slowRead(int pa, int size) {
        MmioHandler h = isMmio(pa) ? mmio[pa >>> PAGE_SHIFT] : null;
        if (h != null) return h.read(pa - mmioBase[pa >>> PAGE_SHIFT], size);
        return size == 1 ? 0xFF : size == 2 ? 0xFFFF : -1;
    }

    /** A write within one page that is MMIO, code, or outside RAM. */
    private void slowWrite(int pa, int size, int v) {
        MmioHandler h = isMmio(pa) ? mmio[pa >>> PAGE_SHIFT] : null;
        if (h != null) {
            h.write(pa - mmioBase[pa >>> PAGE_SHIFT], size, v);
            return;
        }
        if (Integer.compareUnsigned(pa, ramBytes) >= 0) return;
        byte[] c = chunkFor(pa);
        switch (size) {
            case 1 -> c[pa & CHUNK_MASK] = (byte) v;
            case 2 -> ChunkWords.set16(c, pa & CHUNK_MASK, v);
            default -> ChunkWords.set32(c, pa & CHUNK_MASK, v);
        }
        notifyCodeWrite(pa, size);
    }

    private void notifyCodeWrite(int pa, int size) {
        if (!touchesCode(pa, size)) return;
        for (CodeWriteListener l : codeWriteListeners) l.codeWritten(pa, size);
    }

    /** Copies bytes into RAM (loaders), reporting writes to code pages like any other write. */
    public void load(int pa, byte[] data, int off, int len) {
        int i = 0;
        while (i < len) {
            int addr = pa + i;
            int chunk = Math.min(len - i, 0x1000 - (addr & 0xFFF));
            if (isPlainRam(addr)) {
                System.arraycopy(data, off + i, chunkFor(addr), addr & CHUNK_MASK, chunk);
            } else {
                for (int j = 0; j < chunk; j++) write8(addr + j, data[off + i + j]);
            }
            i += chunk;
        }
    }

    /**
     * Sets {@code len} bytes of RAM from {@code pa} to zero (a loader clearing bss), reporting
     * writes to code pages. Chunks never touched are zero already and stay unallocated.
     */
    public void zero(int pa, int len) {
        int i = 0;
        while (i < len) {
            int addr = pa + i;
            int n = Math.min(len - i, 0x1000 - (addr & 0xFFF));
            if (isPlainRam(addr)) {
                byte[] c = chunks[addr >>> CHUNK_SHIFT];
                if (c != null) Arrays.fill(c, addr & CHUNK_MASK, (addr & CHUNK_MASK) + n, (byte) 0);
            } else {
                for (int j = 0; j < n; j++) write8(addr + j, 0);
            }
            i += n;
        }
    }

    /** Copies {@code len} bytes of RAM from {@code pa} into {@code dst} (zeros where untouched). */
    /** Whether the RAM page holding {@code pa} was ever written (else it reads as zeros and takes no host memory). */
    public boolean allocated(int pa) {
        return Integer.compareUnsigned(pa, ramBytes) < 0 && chunks[pa >>> CHUNK_SHIFT] != null;
    }

    public void copyOut(int pa, byte[] dst, int off, int len) {
        if (pa < 0 || len < 0 || (long) pa + len > ramBytes) {
            throw new IndexOutOfBoundsException("RAM range " + pa + "+" + len + " of " + ramBytes);
        }
        int i = 0;
        while (i < len) {
            int addr = pa + i;
            int n = Math.min(len - i, CHUNK_SIZE - (addr & CHUNK_MASK));
            byte[] c = chunks[addr >>> CHUNK_SHIFT];
            if (c == null) Arrays.fill(dst, off + i, off + i + n, (byte) 0);
            else System.arraycopy(c, addr & CHUNK_MASK, dst, off + i, n);
            i += n;
        }
    }

    /** A copy of {@code len} bytes of RAM from {@code pa}. */
    public byte[] copyOut(int pa, int len) {
        byte[] b = new byte[len];
        copyOut(pa, b, 0, len);
        return b;
    }

    /**
     * The lowest RAM address whose byte differs from {@code image[address]}, or -1 when RAM equals
     * the image. RAM beyond a shorter image is compared with zeros; an image longer than RAM
     * differs at {@link #ramSize()}.
     */
    public int mismatch(byte[] image) {
        int n = Math.min(image.length, ramBytes);
        for (int base = 0; base < n; base += CHUNK_SIZE) {
            int len = Math.min(CHUNK_SIZE, n - base);
            byte[] c = chunks[base >>> CHUNK_SHIFT];
            int k = c == null ? firstNonZero(image, base, len) : Arrays.mismatch(c, 0, len, image, base, base + len);
            if (k >= 0) return base + k;
        }
        if (image.length == ramBytes) return -1;
        if (image.length < ramBytes) {
            for (int base = n; base < ramBytes; base += CHUNK_SIZE - (base & CHUNK_MASK)) {
                byte[] c = chunks[base >>> CHUNK_SHIFT];
                if (c == null) continue;
                int from = base & CHUNK_MASK, to = Math.min(CHUNK_SIZE, from + ramBytes - base);
                for (int j = from; j < to; j++) if (c[j] != 0) return base + j - from;
            }
            return -1;
        }
        return n;
    }

    private static int firstNonZero(byte[] b, int from, int len) {
        for (int j = 0; j < len; j++) if (b[from + j] != 0) return j;
        return -1;
    }
}
