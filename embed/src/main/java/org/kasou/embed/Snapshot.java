package org.kasou.embed;

import java.util.List;
import java.util.Map;

/**
 * Registers plus the layout and contents of all mapped memory ({@link Engine#snapshot()}), to put
 * back with {@link Engine#restore}: a fuzzer resets a run this way. Immutable once taken.
 */
public final class Snapshot {
    final CpuContext context;
    final List<MemoryRegion> regions;
    /** Contents by guest page number. */
    final Map<Integer, byte[]> pages;

    Snapshot(CpuContext context, List<MemoryRegion> regions, Map<Integer, byte[]> pages) {
        this.context = context;
        this.regions = regions;
        this.pages = pages;
    }

    /** The regions mapped when it was taken. */
    public List<MemoryRegion> regions() {
        return regions;
    }

    /** The registers saved with it. */
    public CpuContext context() {
        return context;
    }
}
