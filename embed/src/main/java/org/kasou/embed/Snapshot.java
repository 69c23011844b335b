package org.kasou.embed;

import java.util.List;
import java.util.Map;

/**
 * Registers plus the layout and contents of all mapped memory ({@link Engine#snapshot()}), to put
 * back with {@link Engine#restore}: a fuzzer resets a run this way. Immutable once taken.
 */
public final class Snapshot {
    final Mode mode;
    final EngineOptions options;
    final CpuContext context;
    final List<MemoryRegion> regions;
    /** Contents by guest page number. */
    final Map<Integer, byte[]> pages;

    Snapshot(Mode mode, EngineOptions options, CpuContext context, List<MemoryRegion> regions, Map<Integer, byte[]> pages) {
        this.mode = mode;
        this.options = options;
        this.context = context;
        this.regions = regions;
        this.pages = pages;
    }

    /** The mode of the engine it was taken from. */
    public Mode mode() {
        return mode;
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
