package org.kasou.pc.chips;

import java.util.function.LongSupplier;

/**
 * The one clock of a machine, in nanoseconds since it started, that its timers (PIT, RTC) and the
 * CPU's TSC all read, so that they agree with each other.
 *
 * <p>It advances with the guest's retired instructions, so that time is steady at the scale of
 * instructions: a loop that reads the PIT and the TSC sees the same time pass on each turn, as on
 * hardware, even when the host stops the guest for a moment (a JIT compile, a collection), which
 * is what the kernel's TSC calibration against the PIT checks. Deterministic: one nanosecond an
 * instruction, so that runs repeat exactly. Following the host (the default): the nanoseconds an
 * instruction stands for are re-estimated every {@link #RESYNC_INSTRUCTIONS} instructions from the
 * host's monotonic clock, with the drift fed back, so that the clock tracks the host's over time;
 * while the CPU is halted it jumps to the host's time.
 */
public final class VirtualClock implements LongSupplier {
    /** Nanoseconds an instruction stands for in deterministic mode (a 1 GHz, one-instruction-a-cycle CPU). */
    public static final long NANOS_PER_INSTRUCTION = 1;
    /** Instructions between two looks at the host's clock (a few milliseconds of guest time). */
    static final long RESYNC_INSTRUCTIONS = 1 << 20;
    /** Bounds of the rate, in nanoseconds an instruction, and of its change at one resync. */
    static final double MIN_RATE = 0.05, MAX_RATE = 1000, MAX_STEP = 2;

    private final LongSupplier instructions;
    private final boolean deterministic;
    private final long hostStart = System.nanoTime();
    /** The clock at instruction count {@link #baseInstructions}, and the rate since. */
    private long baseNanos, baseInstructions;
    private double nanosPerInstruction = 5;
    /** Deterministic mode: time skipped forward while the CPU was halted. */
    private long skipped;

    /** @param instructions the CPU's retired-instruction count */
    public VirtualClock(LongSupplier instructions, boolean deterministic) {
        this.instructions = instructions;
        this.deterministic = deterministic;
        this.baseInstructions = instructions.getAsLong();
    }

    public boolean deterministic() {
        return deterministic;
    }

    @Override
    public long getAsLong() {
        long n = instructions.getAsLong();
        if (deterministic) return n * NANOS_PER_INSTRUCTION + skipped;
        long done = n - baseInstructions;
        if (done >= RESYNC_INSTRUCTIONS) {
            resync(n);
            done = 0;
        }
        return baseNanos + (long) (done * nanosPerInstruction);
    }

    /** Starts a new stretch at instruction {@code n}: the rate that brings the clock back to the host's over the next one. */
    private void resync(long n) {
        long now = baseNanos + (long) ((n - baseInstructions) * nanosPerInstruction);
        long host = System.nanoTime() - hostStart;
        // Aim at the host's time one stretch from now: the host's pace plus the drift to make up.
        double target = (host - now) / (double) RESYNC_INSTRUCTIONS + nanosPerInstruction;
        double rate = Math.max(nanosPerInstruction / MAX_STEP, Math.min(nanosPerInstruction * MAX_STEP, target));
        nanosPerInstruction = Math.max(MIN_RATE, Math.min(MAX_RATE, rate));
        baseNanos = now;
        baseInstructions = n;
    }

    /**
     * The CPU is halted until {@code nanos} (its next timer event): deterministic mode skips there;
     * on the host's clock, the caller waits and the clock then catches up with the host's time.
     */
    public void skipTo(long nanos) {
        if (!deterministic) return;
        long now = getAsLong();
        if (nanos > now) skipped += nanos - now;
    }

    /** On the host's clock: moves the clock forward to the host's time (the CPU waited, halted). */
    public void catchUpWithHost() {
        if (deterministic) return;
        long n = instructions.getAsLong();
        long now = getAsLong();
        long host = System.nanoTime() - hostStart;
        baseNanos = Math.max(now, host);
        baseInstructions = n;
    }
}
