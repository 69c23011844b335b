package org.kasou.mem;

/**
 * Told about every write to a physical page marked as holding code (see
 * {@link PhysicalMemory#markCodePage(int)}), so that translated or pre-decoded code of that page
 * can be dropped before the writer continues.
 */
@FunctionalInterface
public interface CodeWriteListener {
    /** {@code size} bytes at physical address {@code physAddr} were just written (already stored). */
    void codeWritten(int physAddr, int size);
}
