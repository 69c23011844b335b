package org.kasou.linux;

/**
 * Hands out 4 KiB frames of guest physical memory and takes them back. Frame 0 is never used, so
 * that 0 can mean "no frame". Reused frames are zeroed before they are handed out again.
 */
final class FrameAllocator {
    private final CpuCore core;
    private final int limit;
    private int next = 0x1000;
    private int[] free = new int[256];
    private int freeCount;

    FrameAllocator(CpuCore core) {
        this.core = core;
        this.limit = core.ramSize();
    }

    /** The physical address of a zeroed frame; throws {@link LinuxError} ENOMEM when none is left. */
    int allocate() {
        if (freeCount > 0) {
            int pa = free[--freeCount];
            core.zero(pa, 4096);
            return pa;
        }
        if (Integer.compareUnsigned(next, limit) >= 0) throw new LinuxError(Errno.ENOMEM);
        int pa = next;
        next += 0x1000;
        return pa;
    }

    void free(int pa) {
        if (freeCount == free.length) free = java.util.Arrays.copyOf(free, free.length * 2);
        free[freeCount++] = pa;
    }

    /** Frames in use. */
    int used() {
        return (next >>> 12) - 1 - freeCount;
    }
}
