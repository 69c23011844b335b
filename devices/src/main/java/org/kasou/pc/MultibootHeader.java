package org.kasou.pc;

/**
 * The multiboot v1 header of a kernel image (Multiboot Specification 0.6.96, section 3.1).
 *
 * @param offset file offset of the magic field
 * @param flags the header's flags; bit 16 says the address fields below are valid
 */
public record MultibootHeader(int offset, int flags, int headerAddr, int loadAddr, int loadEndAddr,
                              int bssEndAddr, int entryAddr) {
    public static final int MAGIC = 0x1BADB002;
    /** The header must lie entirely within the first 8 KiB of the image, 32-bit aligned. */
    public static final int SEARCH_LIMIT = 8192;
    public static final int FLAG_PAGE_ALIGN = 1;
    public static final int FLAG_MEMORY_INFO = 1 << 1;
    public static final int FLAG_VIDEO_MODE = 1 << 2;
    public static final int FLAG_ADDRESS_FIELDS = 1 << 16;
    /** Bits 0-15 are requirements: a loader must refuse a kernel that sets one it does not know. */
    /** "HdrS" at offset 0x202 of a Linux kernel image (the x86 boot protocol's header). */
    private static final int LINUX_HDRS = 0x53726448;
    static final int KNOWN_REQUIRED = FLAG_PAGE_ALIGN | FLAG_MEMORY_INFO | FLAG_VIDEO_MODE;

    public boolean hasAddressFields() {
        return (flags & FLAG_ADDRESS_FIELDS) != 0;
    }

    /**
     * Finds the header in an image.
     *
     * @throws KernelLoadException when there is none, or only ones with a bad checksum
     */
    public static MultibootHeader find(byte[] image, String name) throws KernelLoadException {
        int badChecksumAt = -1;
        int end = Math.min(image.length, SEARCH_LIMIT) - 12;
        for (int off = 0; off <= end; off += 4) {
            if (le32(image, off) != MAGIC) {
                continue;
            }
            int flags = le32(image, off + 4);
            if (MAGIC + flags + le32(image, off + 8) != 0) {
                if (badChecksumAt < 0) {
                    badChecksumAt = off;
                }
                continue;
            }
            int unknown = flags & 0xFFFF & ~KNOWN_REQUIRED;
            if (unknown != 0) {
                throw new KernelLoadException(String.format(
                        "%s: the multiboot header requires features kasou does not know (flags 0x%x)", name, unknown));
            }
            if ((flags & FLAG_ADDRESS_FIELDS) == 0) {
                return new MultibootHeader(off, flags, 0, 0, 0, 0, 0);
            }
            if (off + 32 > image.length) {
                throw new KernelLoadException(name + ": the multiboot header is cut off before its address fields");
            }
            return new MultibootHeader(off, flags, le32(image, off + 12), le32(image, off + 16),
                    le32(image, off + 20), le32(image, off + 24), le32(image, off + 28));
        }
        if (badChecksumAt >= 0) {
            throw new KernelLoadException(String.format(
                    "%s: the multiboot header at offset 0x%x has a bad checksum", name, badChecksumAt));
        }
        if (image.length >= 0x206 && le32(image, 0x202) == LINUX_HDRS) {
            throw new KernelLoadException(name + ": a Linux kernel (bzImage); kasou boots multiboot kernels only, so far");
        }
        throw new KernelLoadException(name + ": not a multiboot kernel (no multiboot header in the first 8 KiB)");
    }

    static int le32(byte[] b, int off) {
        return (b[off] & 0xFF) | (b[off + 1] & 0xFF) << 8 | (b[off + 2] & 0xFF) << 16 | (b[off + 3] & 0xFF) << 24;
    }
}
