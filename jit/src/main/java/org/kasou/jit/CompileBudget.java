package org.kasou.jit;

/**
 * A bound on the share of a guest thread's time that compiling takes: a bucket that fills with
 * {@code share} of the wall time that passes, up to {@code capacity}, and from which each compile
 * takes its own time plus a fixed charge for what follows it off this thread's clock (the unit's
 * first runs in HotSpot's bytecode interpreter, and C1's and C2's work on it). While the bucket is
 * empty, blocks that reached the threshold go on in the interpreter and are asked about again at
 * their next run, so the first to compile once it fills are the blocks that run most often.
 *
 * <p>Why: a program that runs much code some thousands of times (Python's start: 51 million
 * instructions, 856 units compiled) spent two thirds of its time compiling units and running them
 * before HotSpot had compiled them, and took three times as long with the JIT as without it
 * (bench/README, "Python, and a budget for compiling").
 */
final class CompileBudget {
    /** The share of wall time compiles may take (-Dkasou.jit.compileShare). */
    static final double SHARE = Double.parseDouble(System.getProperty("kasou.jit.compileShare", "0.3"));
    /** The bucket's size, and what it holds at the start (-Dkasou.jit.compileBurstMs). */
    static final long CAPACITY_NANOS = Long.getLong("kasou.jit.compileBurstMs", 250) * 1_000_000L;
    /**
     * What a unit costs beyond its compile's own time (-Dkasou.jit.unitChargeUs): C1 alone takes
     * about 3 ms of the other core a unit. 2 ms rather than 0.5: Python's start and loops 10-25%
     * faster, lua5.4, perl, gawk and sqlite3 within noise (bench/README).
     */
    static final long UNIT_CHARGE_NANOS = Long.getLong("kasou.jit.unitChargeUs", 2_000) * 1_000L;

    private final double share;
    private final long capacity, unitCharge;
    private final java.util.function.LongSupplier clock;
    /** Nanoseconds of compiling that may start now (below 0 after a compile that took more). */
    private long tokens;
    private long filledAt;

    CompileBudget(double share, long capacityNanos, long unitChargeNanos) {
        this(share, capacityNanos, unitChargeNanos, System::nanoTime);
    }

    CompileBudget(double share, long capacityNanos, long unitChargeNanos, java.util.function.LongSupplier clock) {
        this.share = share;
        this.capacity = capacityNanos;
        this.unitCharge = unitChargeNanos;
        this.clock = clock;
        this.tokens = capacityNanos;
        this.filledAt = clock.getAsLong();
    }

    static CompileBudget standard() {
        return new CompileBudget(SHARE, CAPACITY_NANOS, UNIT_CHARGE_NANOS);
    }

    /** No bound: every block that reaches the threshold compiles. */
    static CompileBudget unlimited() {
        return new CompileBudget(1, Long.MAX_VALUE / 4, 0);
    }

    /** Whether a compile may start now. */
    boolean allows() {
        if (tokens > 0) return true;
        fill();
        return tokens > 0;
    }

    /** Takes a compile that took {@code nanos} (and the fixed charge of the unit it made) from the bucket. */
    void spent(long nanos) {
        fill();
        tokens -= nanos + unitCharge;
    }

    private void fill() {
        long now = clock.getAsLong();
        tokens = Math.min(capacity, tokens + (long) (share * (now - filledAt)));
        filledAt = now;
    }
}
