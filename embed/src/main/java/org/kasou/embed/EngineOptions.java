package org.kasou.embed;

import org.kasou.jit.JitEngine;

/**
 * How an {@link Engine} is built: whether hot code is compiled (on by default), after how many
 * runs of a block, and how much physical memory backs the mapped regions (taken from the heap only
 * as pages are mapped and touched). Immutable: each {@code with} method returns a copy.
 */
public final class EngineOptions {
    private final boolean jit;
    private final int jitThreshold;
    private final long physicalMemory;
    private final boolean guestInterrupts;

    private EngineOptions(boolean jit, int jitThreshold, long physicalMemory, boolean guestInterrupts) {
        this.jit = jit;
        this.jitThreshold = jitThreshold;
        this.physicalMemory = physicalMemory;
        this.guestInterrupts = guestInterrupts;
    }

    /** JIT on, the JIT's default threshold, 1 GiB of physical memory at most. */
    public static EngineOptions defaults() {
        return new EngineOptions(true, JitEngine.DEFAULT_THRESHOLD, 1L << 30, false);
    }

    /** With the JIT on or off (off: everything is interpreted). */
    public EngineOptions withJit(boolean on) {
        return new EngineOptions(on, jitThreshold, physicalMemory, guestInterrupts);
    }

    /** Runs of a block before it is compiled; 0 compiles every block at first sight. */
    public EngineOptions withJitThreshold(int runs) {
        if (runs < 0) throw new IllegalArgumentException("JIT threshold must be >= 0, not " + runs);
        return new EngineOptions(jit, runs, physicalMemory, guestInterrupts);
    }

    /** The most physical memory that mapped pages and page tables may take, a multiple of 64 KiB up to 2 GiB. */
    public EngineOptions withPhysicalMemory(long bytes) {
        if (bytes < (1 << 16) || bytes > (1L << 31) - (1 << 16) || (bytes & 0xFFFF) != 0) {
            throw new IllegalArgumentException("physical memory must be a multiple of 64 KiB between 64 KiB and 2 GiB - 64 KiB, not " + bytes);
        }
        return new EngineOptions(jit, jitThreshold, bytes, guestInterrupts);
    }

    /**
     * With true, exceptions and interrupts that no hook handles (and invalid accesses no hook
     * fixes) are delivered to the guest through its own IDT (the caller sets IDTR, and a GDT for
     * the gates' selectors, in mapped memory) instead of ending the run.
     */
    public EngineOptions withGuestInterrupts(boolean on) {
        return new EngineOptions(jit, jitThreshold, physicalMemory, on);
    }

    public boolean guestInterrupts() {
        return guestInterrupts;
    }

    public boolean jit() {
        return jit;
    }

    public int jitThreshold() {
        return jitThreshold;
    }

    public long physicalMemory() {
        return physicalMemory;
    }
}
