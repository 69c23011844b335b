package org.kasou.embed;

/**
 * A mapped range of guest addresses: page-aligned start, size in bytes, {@link Perm} bits, and
 * whether it is device memory (a caller's buffer or callbacks, see {@link Engine#mapBuffer} and
 * {@link Engine#mapMmio}) rather than the engine's RAM.
 */
public record MemoryRegion(long address, long size, int perms, boolean device) {
    /** A RAM region. */
    public MemoryRegion(long address, long size, int perms) {
        this(address, size, perms, false);
    }

    /** The first address after the region. */
    public long end() {
        return address + size;
    }

    @Override
    public String toString() {
        return String.format("[0x%08x, 0x%08x) %s%s", address, end(), Perm.toString(perms), device ? " device" : "");
    }
}
