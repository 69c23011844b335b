package org.kasou.embed;

/** A mapped range of guest addresses: page-aligned start, size in bytes, {@link Perm} bits. */
public record MemoryRegion(long address, long size, int perms) {
    /** The first address after the region. */
    public long end() {
        return address + size;
    }

    @Override
    public String toString() {
        return String.format("[0x%08x, 0x%08x) %s", address, end(), Perm.toString(perms));
    }
}
