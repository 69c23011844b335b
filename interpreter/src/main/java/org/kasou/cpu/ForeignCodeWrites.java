package org.kasou.cpu;

import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * Writes to code pages that other CPUs' threads made (guest threads sharing memory), waiting for
 * the thread of the CPU whose decoded or compiled code they may invalidate.
 */
final class ForeignCodeWrites {
    /** Physical address in the high half, size in the low half. */
    private final ConcurrentLinkedQueue<Long> writes = new ConcurrentLinkedQueue<>();

    /** What applies one write to the caches of the CPU. */
    interface Sink {
        void codeWritten(int physAddr, int size);
    }

    void add(int physAddr, int size) {
        writes.add(((long) physAddr << 32) | size);
    }

    /** Applies and forgets the writes queued so far. */
    void applyTo(Sink sink) {
        if (writes.isEmpty()) return;
        Long w;
        while ((w = writes.poll()) != null) sink.codeWritten((int) (w >>> 32), (int) (long) w);
    }
}
