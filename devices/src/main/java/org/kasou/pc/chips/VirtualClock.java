package org.kasou.pc.chips;

import java.util.function.LongSupplier;

/**
 * The one clock of a machine, in nanoseconds since it started, that its timers (PIT, RTC) and the
 * CPU's TSC all read, so that they agree with each other: either the host's monotonic clock, or
 * (deterministic) a count of the guest's retired instructions, so that runs repeat exactly.
 */
public final class VirtualClock implements LongSupplier {
    /** Nanoseconds an instruction stands for in deterministic mode (a 1 GHz, one-instruction-a-cycle CPU). */
    public static final long NANOS_PER_INSTRUCTION = 1;

    private final LongSupplier instructions;
    private final boolean deterministic;
    private final long start = System.nanoTime();
    /** Time skipped forward (deterministic mode: a halted CPU jumps to its next timer event). */
    private long skipped;

    /** @param instructions the CPU's retired-instruction count (read in deterministic mode) */
    public VirtualClock(LongSupplier instructions, boolean deterministic) {
        this.instructions = instructions;
        this.deterministic = deterministic;
    }

    public boolean deterministic() {
        return deterministic;
    }

    @Override
    public long getAsLong() {
        return deterministic ? instructions.getAsLong() * NANOS_PER_INSTRUCTION + skipped : System.nanoTime() - start;
    }

    /** Deterministic mode: moves time forward to {@code nanos} (nothing happens in between: the CPU is halted). */
    public void skipTo(long nanos) {
        long now = getAsLong();
        if (deterministic && nanos > now) skipped += nanos - now;
    }
}
