package org.kasou.mem;

/**
 * The guest touched more RAM than the Java heap can hold: guest RAM is allocated as the guest
 * uses it, so a machine with more RAM than the heap runs until the guest actually uses too much.
 * An {@link Error}, like the OutOfMemoryError it replaces: it ends the run rather than becoming a
 * guest fault in the CPU's handlers of internal errors. It is thrown with the heap full, so
 * {@link PhysicalMemory} allocates it in advance, without a stack trace, and its message is
 * written only when asked for (once the machine is gone, whoever catches it can print it).
 */
public final class GuestMemoryExhaustedException extends Error {
    private long touchedBytes;
    private final long ramBytes;

    GuestMemoryExhaustedException(int ramBytes) {
        super(null, null, false, false);
        this.ramBytes = ramBytes;
    }

    GuestMemoryExhaustedException at(int allocatedChunks) {
        touchedBytes = (long) allocatedChunks << PhysicalMemory.CHUNK_SHIFT;
        return this;
    }

    /** Guest RAM allocated when the heap ran out. */
    public long touchedBytes() {
        return touchedBytes;
    }

    public long ramBytes() {
        return ramBytes;
    }

    @Override
    public String getMessage() {
        return "the guest has touched " + (touchedBytes >> 20) + " MiB of its " + (ramBytes >> 20)
                + " MiB of RAM, and the Java heap (at most " + (Runtime.getRuntime().maxMemory() >> 20) + " MiB) holds no more";
    }
}
