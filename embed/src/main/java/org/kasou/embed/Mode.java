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
    PROTECTED_32
}
