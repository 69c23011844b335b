package org.kasou.mem;

/** A memory-mapped device region. Offsets are relative to the region's base; sizes are 1, 2 or 4. */
public interface MmioHandler {
    int read(int offset, int size);

    void write(int offset, int size, int value);
}
