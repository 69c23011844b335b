package org.kasou.mem;

/**
 * Told of each data access that {@link Memory} makes at a linear address (see
 * {@link Memory#setAccessWatcher}). Reads are reported before and after (with the value read),
 * writes before they happen; an access that faults is reported only up to the fault.
 */
public interface AccessWatcher {
    void beforeRead(int linear, int size);

    void afterRead(int linear, int size, int value);

    void beforeWrite(int linear, int size, int value);
}
