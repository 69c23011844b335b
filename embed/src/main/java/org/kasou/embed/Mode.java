package org.kasou.embed;

/** The CPU mode an {@link Engine} is created in. */
public enum Mode {
    /**
     * Real mode (16-bit, CS:IP): the first 1 MiB + 64 KiB of addresses. Regions are plain RAM here:
     * the CPU cannot enforce read and write permissions (reads of unmapped memory give zeros,
     * writes to it are kept), but fetching an instruction from unmapped or non-executable memory
     * is caught.
     */
    REAL_16,
    /** Protected mode, flat 16-bit segments (base 0, limit 64 KiB, 16-bit operands), paging on. */
    PROTECTED_16,
    /** Protected mode, flat 32-bit segments (base 0, limit 4 GiB), paging on: the usual choice. */
    PROTECTED_32,
    /**
     * Protected mode with flat 32-bit segments and paging off, for code that brings its own
     * descriptor tables and page tables: regions are physical memory at their own addresses (up to
     * {@link EngineOptions#physicalMemory}), and the caller loads GDTR, IDTR, segments, CR3 and
     * CR0.PG through the register API or lets the guest do it. As in real mode, read and write
     * permissions of regions are not enforced (the caller's page tables do that, once on); while
     * paging is off, a fetch from unmapped or non-executable memory is caught. Exceptions,
     * page faults included, are the guest's: they stop the run as {@link StopCause#EXCEPTION}, or
     * go through the guest's IDT with {@link EngineOptions#withGuestInterrupts}.
     */
    SYSTEM_32;

    /** Whether the engine keeps page tables of its own that map its regions. */
    boolean enginePaged() {
        return this == PROTECTED_16 || this == PROTECTED_32;
    }
}
