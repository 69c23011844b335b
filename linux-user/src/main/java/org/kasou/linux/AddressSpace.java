package org.kasou.linux;

import java.nio.charset.StandardCharsets;

/**
 * A guest process's user address space: which pages are mapped with which protection, the frames
 * behind them, and the two-level i386 page tables the CPU walks, kept in step here.
 *
 * <p>Pages get a frame when first touched (demand paging): a mapped page without a frame has a
 * not-present entry, the CPU faults, and {@link #handlePageFault} supplies a zeroed frame. PROT_NONE
 * pages and unmapped pages keep faulting, which the process turns into SIGSEGV. System calls read
 * and write guest memory through {@link #read}/{@link #write} and friends, which check the same
 * protection and fail with EFAULT: the guest reaches nothing but its own pages.
 *
 * <p>Pages of a file mapping get their contents when they get their frame: until then the page
 * keeps the host's mapping of the file and its offset there ({@link #filePages}). A program and
 * its libraries are mapped whole and touch a fraction of their pages (gawk's start: the dynamic
 * loader's mmap calls took about 85 ms when they read and copied every page, some twice).
 *
 * <p>The threads of a process share it: every method holds its lock, and so may a caller that
 * needs several steps to be one (mmap looking for room, then mapping). Each thread's CPU has its
 * own TLB, so changed entries are invalidated in all of them.
 */
final class AddressSpace {
    static final int PAGE = 4096;
    static final int PROT_READ = 1, PROT_WRITE = 2, PROT_EXEC = 4;
    /** {@link #prot} bit: the page is mapped (possibly PROT_NONE). */
    private static final byte MAPPED = 8;
    /**
     * {@link #prot} bit: the page's bytes may differ from its file's (it was writable at some time,
     * or the loader wrote it). A file page without it still holds exactly its file's bytes, so a
     * fork's child reads them from the file when it touches the page instead of getting a copy.
     */
    private static final byte MAY_DIFFER = 16;
    /**
     * {@link #prot} bit: the page is shared memory (MAP_SHARED | MAP_ANONYMOUS): a fork's child
     * gets the same page, not a copy, and its contents outlive this mapping while others map it.
     */
    private static final byte SHARED = 32;
    /** Run-wide numbers of shared pages, for the futexes of processes that share them. */
    private static final java.util.concurrent.atomic.AtomicLong SHARED_PAGES = new java.util.concurrent.atomic.AtomicLong();
    /** Highest page number a user mapping may use, plus one. */
    static final int USER_PAGES = CpuCore.KERNEL_BASE >>> 12;
    /** The largest mapping (in pages) whose frames are assigned at once rather than on first touch. */
    private static final int EAGER_PAGES = (64 << 20) >>> 12;
    /** Where top-down mmap searches start. */
    static final int MMAP_TOP = 0xF7000000;

    private final CpuCore core;
    /**
     * The CPUs of further threads (the first is {@link #core}), whose TLBs follow changes too: one
     * per supervisor slot, made for the slot's first thread and kept for the threads that use the
     * slot later (a CPU costs megabytes of TLB, and its decoded and compiled code stays good).
     */
    private final java.util.List<CpuCore> threadCores = new java.util.concurrent.CopyOnWriteArrayList<>();
    /** Supervisor slots of thread CPUs in use; by slot, its CPU and the two frames it was given. */
    private final java.util.BitSet usedSlots = new java.util.BitSet();
    private final java.util.Map<Integer, int[]> slotFrames = new java.util.HashMap<>();
    private final java.util.Map<Integer, CpuCore> slotCores = new java.util.HashMap<>();
    private final java.util.Map<CpuCore, Integer> slotOf = new java.util.HashMap<>();
    private final FrameAllocator frames;
    /** Per virtual page: MAPPED | PROT_* bits; 0 when unmapped. */
    private final byte[] prot = org.kasou.mem.SpareTables.bytes();
    /** Per virtual page: the frame's physical address, 0 when none yet. */
    private final int[] frame = org.kasou.mem.SpareTables.ints();
    /**
     * Pages of file mappings: where their contents come from when they get a frame. Kept after
     * that, so that a page whose frame is dropped (MADV_DONTNEED) reads the file again, as a
     * private file mapping does on Linux.
     */
    private final java.util.Map<Integer, FilePage> filePages = new java.util.HashMap<>();

    /** Per shared page: its run-wide number (the same in every process that shares it). */
    private final java.util.Map<Integer, Long> sharedPages = new java.util.HashMap<>();
    /** SysV shared memory segments attached here, by the page number they start at. */
    private final java.util.Map<Integer, SharedSegments.Segment> segments = new java.util.HashMap<>();
    /** Per page of a shared, writable file mapping: where its bytes go back to. */
    private final java.util.Map<Integer, FileWriteBack.Page> writeBacks = new java.util.HashMap<>();
    /** Per page of a shared file mapping: the file's page, which every shared mapping of it maps. */
    private final java.util.Map<Integer, SharedFilePages.Page> filePagesShared = new java.util.HashMap<>();

    /**
     * The bytes of a page of a file mapping: {@code view} from {@code offset} (zeros past its end),
     * or the file's page that shared mappings hold, where they hold page {@code index} of the host
     * file {@code key} (null: a loaded program's segment, no such file).
     */
    private record FilePage(java.nio.ByteBuffer view, int offset, SharedFilePages.FileKey key, long index) {}

    /** Per 4 MiB region: the physical address of its page table, 0 when none yet. */
    private final int[] tables = new int[1024];
    private final int directory;

    /** Set by {@link #release}. */
    private boolean released;

    /** The program break: start (end of the loaded image) and current end. */
    int brkStart, brk;
    /** Where execve put the argument and environment strings: /proc/self/cmdline and environ read them there. */
    int argStart, argEnd, envStart, envEnd;
    /** The auxiliary vector execve gave the program, as /proc/self/auxv shows it (pairs of 32-bit words). */
    byte[] auxv = new byte[0];

    AddressSpace(CpuCore core) {
        this.core = core;
        this.frames = new FrameAllocator(core);
        this.directory = frames.allocate();
        int kernelTable = frames.allocate();
        core.enterUserMode(directory, kernelTable, frames);
    }

    /** A copy of {@code parent}'s pages, contents and all, for a new CPU (fork). */
    AddressSpace(CpuCore core, AddressSpace parent) {
        this(core);
        byte[] page = new byte[PAGE];
        for (int p = 0; p < USER_PAGES; p++) {
            if (parent.prot[p] == 0) continue;
            prot[p] = parent.prot[p];
            if ((prot[p] & SHARED) != 0) {
                int f = frames.allocate();
                core.shareFrame(f, parent.core, parent.frameOf(p));
                frame[p] = f;
                setEntry(p, f);
                continue;
            }
            // A page that still holds its file's bytes is read from the file again when touched.
            if (parent.frame[p] != 0 && !((parent.prot[p] & MAY_DIFFER) == 0 && parent.filePages.containsKey(p))) {
                int f = frameOf(p);
                // A fresh frame reads as zeros: a parent's page never written (most of a stack) is
                // not even read, and one that holds only zeros stays unallocated in the child.
                if (parent.core.touched(parent.frame[p])) {
                    parent.core.copyOut(parent.frame[p], page, 0, PAGE);
                    if (!allZero(page)) core.load(f, page, 0, PAGE);
                }
            }
        }
        filePages.putAll(parent.filePages);
        sharedPages.putAll(parent.sharedPages);
        segments.putAll(parent.segments); // the caller counts the attaches (LinuxProcess)
        writeBacks.putAll(parent.writeBacks);
        for (FileWriteBack.Page w : writeBacks.values()) w.to().retain();
        for (var e : parent.filePagesShared.entrySet()) {
            filePagesShared.put(e.getKey(), SharedFilePages.acquire(e.getValue().file, e.getValue().index));
        }
        if (!sharedPages.isEmpty()) core.shareAtomicsWith(parent.core);
        brkStart = parent.brkStart;
        argStart = parent.argStart;
        argEnd = parent.argEnd;
        envStart = parent.envStart;
        envEnd = parent.envEnd;
        auxv = parent.auxv;
        brk = parent.brk;
    }

    /**
     * The process ended or replaced its program, and no thread runs any of this address space's
     * CPUs any more: their tables and this one's go to {@link org.kasou.mem.SpareTables}.
     */
    synchronized void release() {
        if (released) return; // a table given back twice would have two owners
        released = true;
        for (int p : new java.util.ArrayList<>(writeBacks.keySet())) release(p); // shared file pages go back to their files
        for (int p : new java.util.ArrayList<>(filePagesShared.keySet())) release(p);
        for (CpuCore c : threadCores) c.release();
        core.release();
        org.kasou.mem.SpareTables.give(prot);
        org.kasou.mem.SpareTables.give(frame);
    }

    private static boolean allZero(byte[] b) {
        for (byte x : b) {
            if (x != 0) return false;
        }
        return true;
    }

    // ------------------------------------------------------------------------------------------
    // Mappings.

    /** Whether every page of [start, start+len) is free. */
    synchronized boolean isFree(int start, int len) {
        for (int p = start >>> 12; p < pageEnd(start, len); p++) {
            if (p >= USER_PAGES || prot[p] != 0) return false;
        }
        return true;
    }

    private static int pageEnd(int start, int len) {
        return (int) ((Integer.toUnsignedLong(start) + Integer.toUnsignedLong(len) + PAGE - 1) >>> 12);
    }

    /** The highest free range of {@code len} bytes ending at or below {@code top}, or -1. */
    synchronized int findFree(int len, int top) {
        int pages = (int) ((Integer.toUnsignedLong(len) + PAGE - 1) >>> 12);
        int run = 0;
        for (int p = (top >>> 12) - 1; p >= 16; p--) {
            if (prot[p] == 0) {
                if (++run == pages) return p << 12;
            } else {
                run = 0;
            }
        }
        return -1;
    }

    /**
     * Maps [start, start+len) (page-aligned start) with {@code protection}, replacing what was
     * there. Mappings up to {@link #EAGER_PAGES} get their frames now: a frame costs host memory
     * only once touched, and a page fault taken from compiled code costs far more than the entry.
     */
    synchronized void map(int start, int len, int protection) {
        mapPages(start, len, protection, null, null, 0);
    }

    /**
     * Maps [start, start+len) (page-aligned start) with {@code protection} to the bytes of
     * {@code file} (a host mapping of the file from the mapping's offset), replacing what was there:
     * each page gets its frame, and its bytes, when first touched; pages past the file's end read
     * as zeros.
     */
    synchronized void mapFile(int start, int len, int protection, java.nio.ByteBuffer file) {
        mapPages(start, len, protection, file, null, 0);
    }

    /**
     * {@link #mapFile} of host file {@code key} from page {@code firstIndex}: a page first touched
     * takes the bytes that shared mappings of the file hold now, stores not yet written back
     * included, as a private mapping reads Linux's page cache.
     */
    synchronized void mapFile(int start, int len, int protection, java.nio.ByteBuffer file, SharedFilePages.FileKey key, long firstIndex) {
        mapPages(start, len, protection, file, key, firstIndex);
    }

    /**
     * Maps [start, start+len) as shared memory (MAP_SHARED | MAP_ANONYMOUS): zeros that a fork's
     * child shares instead of copying.
     */
    synchronized void mapShared(int start, int len, int protection) {
        mapPages(start, len, protection, null, null, 0);
        for (int p = start >>> 12; p < pageEnd(start, len); p++) {
            prot[p] |= SHARED;
            sharedPages.put(p, SHARED_PAGES.incrementAndGet());
        }
    }

    /** A new run-wide number for a shared page (see {@link #sharedFutexKey}). */
    static long newSharedPageNumber() {
        return SHARED_PAGES.incrementAndGet();
    }

    /**
     * shmat: maps SysV segment {@code seg} at {@code start} (page-aligned, its pages free or, with
     * {@code replace}, to be replaced), its pages the segment's own arrays, so that every process
     * that attaches it, and a fork's child, reads and writes the same bytes.
     */
    synchronized void attachSegment(SharedSegments.Segment seg, int start, int protection, boolean replace) {
        int pages = seg.pageCount();
        int first = start >>> 12;
        if (first + pages > USER_PAGES) throw new LinuxError(Errno.EINVAL);
        if (!replace && !isFree(start, pages << 12)) throw new LinuxError(Errno.EINVAL);
        byte[][] arrays = seg.pages();
        core.sharePagesWithOthers();
        for (int i = 0; i < pages; i++) {
            int p = first + i;
            release(p);
            filePages.remove(p);
            prot[p] = (byte) (MAPPED | (protection & 7) | SHARED | MAY_DIFFER);
            sharedPages.put(p, seg.pageNumbers[i]);
            int f = frames.allocate();
            core.useSharedPage(f, arrays[i]);
            frame[p] = f;
            setEntry(p, f);
        }
        segments.put(first, seg);
    }

    /** shmdt: unmaps the segment attached at {@code start} and returns it; EINVAL when none starts there. */
    synchronized SharedSegments.Segment detachSegment(int start) {
        SharedSegments.Segment seg = (start & 0xFFF) == 0 ? segments.remove(start >>> 12) : null;
        if (seg == null) throw new LinuxError(Errno.EINVAL);
        int first = start >>> 12;
        for (int p = first; p < first + seg.pageCount() && p < USER_PAGES; p++) {
            Long number = sharedPages.get(p);
            if (number == null || number != seg.pageNumbers[p - first]) continue; // mapped over since
            release(p);
            sharedPages.remove(p);
            prot[p] = 0;
        }
        return seg;
    }

    /** The SysV segments attached here, forgotten here (the process ended or replaced its program: each is detached once). */
    synchronized java.util.List<SharedSegments.Segment> takeSegments() {
        java.util.List<SharedSegments.Segment> all = new java.util.ArrayList<>(segments.values());
        segments.clear();
        return all;
    }

    /** The SysV segments attached here (a fork's child has its parent's). */
    synchronized java.util.List<SharedSegments.Segment> attachedSegments() {
        return new java.util.ArrayList<>(segments.values());
    }

    /**
     * Maps [start, start+len) to {@code file}'s bytes as a shared mapping (MAP_SHARED): a fork's
     * child shares the pages, and, through {@code writeBack} (null: the file cannot be written),
     * what the program writes goes back to the file.
     */
    synchronized void mapSharedFile(int start, int len, int protection, java.nio.ByteBuffer file, FileWriteBack writeBack,
            SharedFilePages.FileKey key, long firstIndex) {
        mapPages(start, len, protection, file, null, 0);
        core.sharePagesWithOthers();
        for (int p = start >>> 12, i = 0; p < pageEnd(start, len); p++, i++) {
            prot[p] |= SHARED;
            SharedFilePages.Page page = SharedFilePages.acquire(key, firstIndex + i);
            filePagesShared.put(p, page);
            sharedPages.put(p, page.number);
            if (writeBack != null) {
                writeBack.retain();
                writeBacks.put(p, new FileWriteBack.Page(writeBack, i));
            }
        }
    }

    /**
     * msync: writes the shared file pages of [start, start+len) back to their files; ENOMEM when
     * part of the range is not mapped.
     */
    synchronized void sync(int start, int len) {
        int end = pageEnd(start, len);
        for (int p = start >>> 12; p < end; p++) {
            if (p >= USER_PAGES || prot[p] == 0) throw new LinuxError(Errno.ENOMEM);
        }
        for (int p = start >>> 12; p < end; p++) writeBack(p);
    }

    /** Writes page p back to its file if it is a shared file page that may have been written. */
    private void writeBack(int p) {
        FileWriteBack.Page w = writeBacks.get(p);
        if (w == null || frame[p] == 0 || (prot[p] & MAY_DIFFER) == 0) return;
        byte[] page = new byte[PAGE];
        core.copyOut(frame[p], page, 0, PAGE);
        try {
            w.to().write(w.index(), page);
        } catch (java.io.IOException e) {
            throw new LinuxError(Errno.EIO);
        }
    }

    /**
     * The run-wide key of the futex at {@code addr} when it lies in shared memory (the same in
     * every process that shares the page), else -1.
     */
    synchronized long sharedFutexKey(int addr) {
        Long page = sharedPages.get(addr >>> 12);
        return page == null ? -1 : page << 12 | (addr & 0xFFF);
    }

    /** {@link #map} (file null) and {@link #mapFile}. */
    private void mapPages(int start, int len, int protection, java.nio.ByteBuffer file, SharedFilePages.FileKey key, long firstIndex) {
        int end = pageEnd(start, len);
        if (end > USER_PAGES) throw new LinuxError(Errno.ENOMEM);
        boolean eager = file == null && (protection & 7) != 0 && end - (start >>> 12) <= EAGER_PAGES;
        for (int p = start >>> 12; p < end; p++) {
            release(p);
            filePages.remove(p);
            sharedPages.remove(p);
            prot[p] = (byte) (MAPPED | (protection & 7) | mayDiffer(protection));
            long offset = (long) (p - (start >>> 12)) * PAGE;
            if (file != null && offset < file.capacity()) {
                filePages.put(p, new FilePage(file, (int) offset, key, firstIndex + (p - (start >>> 12))));
            }
            if (eager) frameOf(p);
        }
    }

    /** Unmaps [start, start+len), freeing the frames. */
    synchronized void unmap(int start, int len) {
        int end = Math.min(pageEnd(start, len), USER_PAGES);
        for (int p = start >>> 12; p < end; p++) {
            release(p);
            filePages.remove(p);
            sharedPages.remove(p);
            prot[p] = 0;
        }
    }

    /** Changes the protection of mapped pages; ENOMEM when part of the range is unmapped. */
    synchronized void protect(int start, int len, int protection) {
        int end = pageEnd(start, len);
        for (int p = start >>> 12; p < end; p++) {
            if (p >= USER_PAGES || prot[p] == 0) throw new LinuxError(Errno.ENOMEM);
        }
        for (int p = start >>> 12; p < end; p++) {
            prot[p] = (byte) (MAPPED | (protection & 7) | (prot[p] & (MAY_DIFFER | SHARED)) | mayDiffer(protection));
            if (frame[p] != 0) setEntry(p, frame[p]);
        }
    }

    /** Adds {@code protection} to the pages of a mapped range (segments sharing a page). */
    synchronized void protectUnion(int start, int len, int protection) {
        for (int p = start >>> 12; p < pageEnd(start, len); p++) {
            prot[p] |= (byte) ((protection & 7) | mayDiffer(protection));
            if (frame[p] != 0) setEntry(p, frame[p]);
        }
    }

    /** {@link #MAY_DIFFER} when {@code protection} lets the program write. */
    private static int mayDiffer(int protection) {
        return (protection & PROT_WRITE) != 0 ? MAY_DIFFER : 0;
    }

    /** Gives the pages of [start, start+len) the protection of the page holding {@code like}. */
    synchronized void protectLike(int start, int len, int like) {
        protect(start, len, prot[like >>> 12] & 7);
    }

    /**
     * Drops the contents of mapped pages: they read as zeros again (MADV_DONTNEED on private
     * memory). Shared pages keep theirs, as on Linux, where the next access finds them again.
     */
    synchronized void discard(int start, int len) {
        int end = Math.min(pageEnd(start, len), USER_PAGES);
        for (int p = start >>> 12; p < end; p++) {
            if (prot[p] != 0 && (prot[p] & SHARED) == 0) {
                byte keep = prot[p];
                release(p);
                prot[p] = keep;
            }
        }
    }

    /** Moves the pages of [from, from+len) to [to, to+len), frames and all (mremap). */
    synchronized void move(int from, int to, int len) {
        int pages = pageEnd(0, len);
        for (int i = 0; i < pages; i++) {
            int src = (from >>> 12) + i, dst = (to >>> 12) + i;
            byte pr = prot[src];
            int f = frame[src];
            FilePage fp = filePages.remove(src);
            Long shared = sharedPages.remove(src);
            if (shared != null) sharedPages.put(dst, shared);
            else sharedPages.remove(dst);
            FileWriteBack.Page w = writeBacks.remove(src);
            if (w != null) writeBacks.put(dst, w);
            SharedFilePages.Page sp = filePagesShared.remove(src);
            if (sp != null) filePagesShared.put(dst, sp);
            frame[src] = 0;
            prot[src] = 0;
            if (f != 0) setEntry(src, 0);
            prot[dst] = pr;
            frame[dst] = f;
            if (fp != null) filePages.put(dst, fp);
            else filePages.remove(dst);
            if (f != 0) setEntry(dst, f);
        }
    }

    /**
     * The mapped pages as runs of like pages: {first page, end page (exclusive), protection bits
     * (PROT_*), 1 when shared}, in address order (what /proc/self/maps lists; see ProcMaps).
     */
    synchronized java.util.List<int[]> mappedRuns() {
        java.util.List<int[]> runs = new java.util.ArrayList<>();
        int[] run = null;
        for (int p = 0; p < (1 << 20); p++) {
            int bits = prot[p];
            if (bits == 0) {
                run = null;
                continue;
            }
            int kind = bits & 7, shared = (bits & SHARED) != 0 ? 1 : 0;
            if (run != null && run[2] == kind && run[3] == shared) {
                run[1] = p + 1;
            } else {
                run = new int[] {p, p + 1, kind, shared};
                runs.add(run);
            }
        }
        return runs;
    }

    synchronized boolean isMapped(int addr) {
        return prot[addr >>> 12] != 0;
    }

    private void release(int p) {
        FileWriteBack.Page w = writeBacks.get(p);
        if (w != null) {
            try {
                writeBack(p);
            } catch (LinuxError e) {
                // the file went away or refused the write: as a page the kernel could not write back
            }
            writeBacks.remove(p);
            w.to().release();
        }
        if (frame[p] != 0) {
            if ((prot[p] & SHARED) != 0) core.dropSharedFrame(frame[p]); // others keep its contents
            frames.free(frame[p]);
            frame[p] = 0;
            setEntry(p, 0);
        }
        SharedFilePages.Page shared = filePagesShared.remove(p);
        if (shared != null) SharedFilePages.release(shared);
    }

    /** Writes the page-table entry of page {@code p}: the frame with the page's protection, or not present. */
    private void setEntry(int p, int pa) {
        int t = tables[p >>> 10];
        if (t == 0) {
            if (pa == 0) return;
            t = frames.allocate();
            tables[p >>> 10] = t;
            core.write32(directory + (p >>> 10) * 4, t | 0x7); // present, writable, user: the PTEs decide
        }
        int pr = prot[p];
        int entry = 0;
        if (pa != 0 && (pr & 7) != 0) {
            entry = pa | 0x5 | ((pr & PROT_WRITE) != 0 ? 0x2 : 0); // present, user, writable when PROT_WRITE
        }
        core.write32(t + (p & 0x3FF) * 4, entry);
        core.invalidatePage(p << 12);
        for (CpuCore c : threadCores) c.invalidatePage(p << 12);
    }

    /**
     * A CPU for a new thread of this address space, continuing from {@code parent}'s system call
     * (clone), with a supervisor slot of its own; EAGAIN when every slot is taken.
     */
    synchronized CpuCore newThreadCore(CpuCore parent, int jitThreshold) {
        int slot = usedSlots.nextClearBit(1);
        if (slot >= CpuCore.MAX_SLOTS) throw new LinuxError(Errno.EAGAIN);
        int[] f = slotFrames.get(slot);
        if (f == null) {
            f = new int[] {frames.allocate(), frames.allocate()};
            slotFrames.put(slot, f);
        }
        CpuCore c = slotCores.get(slot);
        if (c == null) {
            c = new CpuCore(parent, jitThreshold);
            slotCores.put(slot, c);
            slotOf.put(c, slot);
            threadCores.add(c);
        }
        c.enterThread(parent, slot, f[0], f[1]);
        usedSlots.set(slot);
        return c;
    }

    /** A thread's CPU ended: its slot, and the CPU, may serve another thread. */
    synchronized void releaseThreadCore(CpuCore c) {
        Integer slot = slotOf.get(c);
        if (slot != null) usedSlots.clear(slot);
    }

    /** Every CPU made for threads so far (their counters add up to the process's). */
    java.util.List<CpuCore> threadCores() {
        return threadCores;
    }

    /**
     * The frame of page {@code p}, given one now if it has none, with the page's bytes of its file
     * when it has some: before its entry makes it present, where other threads' CPUs could read it.
     */
    private int frameOf(int p) {
        int f = frame[p];
        if (f == 0) {
            f = frames.allocate();
            FilePage fp = filePages.get(p);
            SharedFilePages.Page shared = filePagesShared.get(p);
            try {
                if (shared != null) core.useSharedPage(f, shared.bytes(b -> { if (fp != null) readFile(fp, b); }));
                else if (fp != null) fill(f, fp);
            } catch (RuntimeException | InternalError e) {
                frames.free(f); // the file shrank under the mapping: the host's SIGBUS on the read
                throw new LinuxError(Errno.EFAULT);
            }
            frame[p] = f;
            setEntry(p, f);
        }
        return f;
    }

    /** Copies a file page's bytes into frame f (through {@link #fillBytes}: callers hold the lock). */
    private void fill(int f, FilePage fp) {
        byte[] shared = fp.key() == null ? null : SharedFilePages.held(fp.key(), fp.index());
        if (shared != null) {
            core.load(f, shared, 0, PAGE);
            return;
        }
        core.load(f, fillBytes, 0, readFile(fp, fillBytes));
    }

    /** Reads a file page's bytes (fewer at the file's end) into {@code into}; returns how many. */
    private static int readFile(FilePage fp, byte[] into) {
        int n = Math.min(PAGE, fp.view().capacity() - fp.offset());
        fp.view().get(fp.offset(), into, 0, n);
        return n;
    }

    /** Where {@link #fill} stages a page of a file: one array, not a new one for each page touched. */
    private final byte[] fillBytes = new byte[PAGE];

    /**
     * A page fault at {@code addr} ({@code write} when a write faulted): supplies the frame of a
     * mapped page the access is allowed on and returns true; false means SIGSEGV.
     */
    synchronized boolean handlePageFault(int addr, boolean write) {
        int p = addr >>> 12;
        if (p >= USER_PAGES) return false;
        int pr = prot[p];
        if (pr == 0) return false; // unmapped
        if (write ? (pr & PROT_WRITE) == 0 : (pr & 7) == 0) return false;
        if (frame[p] != 0) return true; // another thread's fault supplied the frame meanwhile: try again
        try {
            frameOf(p);
        } catch (LinuxError e) {
            return false;
        }
        return true;
    }

    // ------------------------------------------------------------------------------------------
    // Access from system calls.

    private int physical(int addr, boolean write, boolean force) {
        int p = addr >>> 12;
        int pr = prot[p];
        if (!force && (p >= USER_PAGES || pr == 0 || (write ? (pr & PROT_WRITE) == 0 : (pr & 7) == 0))) {
            throw new LinuxError(Errno.EFAULT);
        }
        return frameOf(p) | (addr & 0xFFF);
    }

    /** Copies guest memory into {@code dst}; EFAULT when any of it is not readable. */
    synchronized void read(int addr, byte[] dst, int off, int len) {
        copy(addr, dst, off, len, false, false);
    }

    synchronized byte[] read(int addr, int len) {
        byte[] b = new byte[len];
        read(addr, b, 0, len);
        return b;
    }

    /** Copies into guest memory; EFAULT when any of it is not writable. */
    synchronized void write(int addr, byte[] src, int off, int len) {
        copy(addr, src, off, len, true, false);
    }

    synchronized void write(int addr, byte[] src) {
        write(addr, src, 0, src.length);
    }

    /** Writes whatever the protection (loading an image into read-only pages); the pages must be mapped. */
    synchronized void writeImage(int addr, byte[] src, int off, int len) {
        copy(addr, src, off, len, true, true);
    }

    private void copy(int addr, byte[] buf, int off, int len, boolean write, boolean force) {
        while (len > 0) {
            int n = Math.min(len, PAGE - (addr & 0xFFF));
            if (force && prot[addr >>> 12] == 0) throw new LinuxError(Errno.EFAULT);
            if (force && write) prot[addr >>> 12] |= MAY_DIFFER;
            int pa = physical(addr, write, force);
            if (write) core.load(pa, buf, off, n);
            else core.copyOut(pa, buf, off, n);
            addr += n;
            off += n;
            len -= n;
        }
    }

    synchronized int read32(int addr) {
        if ((addr & 0xFFF) <= 0xFFC) return core.read32(physical(addr, false, false));
        byte[] b = read(addr, 4);
        return (b[0] & 0xFF) | (b[1] & 0xFF) << 8 | (b[2] & 0xFF) << 16 | (b[3] & 0xFF) << 24;
    }

    /** Atomically replaces the aligned, writable word at {@code addr} by {@code f} of it; returns the old one (EFAULT, EINVAL). */
    synchronized int atomicUpdate32(int addr, java.util.function.IntUnaryOperator f) {
        if ((addr & 3) != 0) throw new LinuxError(Errno.EINVAL);
        return core.atomicUpdate32(physical(addr, true, false), f);
    }

    synchronized void write32(int addr, int v) {
        write(addr, new byte[] {(byte) v, (byte) (v >>> 8), (byte) (v >>> 16), (byte) (v >>> 24)});
    }

    synchronized long read64(int addr) {
        return (read32(addr) & 0xFFFFFFFFL) | (long) read32(addr + 4) << 32;
    }

    synchronized void write64(int addr, long v) {
        write32(addr, (int) v);
        write32(addr + 4, (int) (v >>> 32));
    }

    /** A NUL-terminated string of at most {@code max} bytes (ENAMETOOLONG beyond). */
    synchronized String readString(int addr, int max) {
        if (addr == 0) throw new LinuxError(Errno.EFAULT);
        byte[] page = new byte[PAGE];
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        int total = 0;
        while (true) {
            int n = PAGE - (addr & 0xFFF);
            read(addr, page, 0, n);
            for (int i = 0; i < n; i++) {
                if (page[i] == 0) {
                    bytes.write(page, 0, i);
                    return bytes.toString(StandardCharsets.UTF_8);
                }
            }
            bytes.write(page, 0, n);
            total += n;
            if (total > max) throw new LinuxError(Errno.ENAMETOOLONG);
            addr += n;
        }
    }

    /** Frames in use (user pages, page tables and the supervisor area). */
    synchronized int framesUsed() {
        return frames.used();
    }
}
