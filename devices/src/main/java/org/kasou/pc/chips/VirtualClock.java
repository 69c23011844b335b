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
 * instruction, so that runs repeat exactly. Following the host (the default): every
 * {@link #RESYNC_INSTRUCTIONS} instructions the rate (nanoseconds an instruction) becomes the
 * host's pace over the stretch just run plus a share of the drift between the two clocks, so that
 * the drift shrinks by a constant factor a stretch. (Feeding the drift into the previous rate
 * instead, an integrator alone, made the clock swing seconds ahead of the host and then almost
 * stop, and the guest's delays and timers with it.) While the CPU is halted the clock jumps to
 * the host's time.
 *
 * <p>A spin-wait hint (PAUSE, which Linux's delay loops and cpu_relax() execute on each turn)
 * moves the clock on by {@link #SPIN_NANOS} in both modes, so that a guest waiting for time to
 * pass spends fewer instructions on it; on the host's clock the time skipped stays ahead of the
 * host's for good (the clock follows the host's time plus all skips).
 */
public final class VirtualClock implements LongSupplier {
    /** Nanoseconds an instruction stands for in deterministic mode (a 1 GHz, one-instruction-a-cycle CPU). */
    public static final long NANOS_PER_INSTRUCTION = 1;
    /** Instructions between two looks at the host's clock (a few milliseconds of guest time). */
    static final long RESYNC_INSTRUCTIONS = 1 << 20;
    /**
     * Bounds of the rate, in nanoseconds an instruction, and of its change at one resync. The
     * kernel's TSC calibration needs thousands of instructions per guest millisecond (it counts
     * the turns of a loop that reads the PIT), so time never runs faster than a 100 MHz CPU's
     * would: a host slower than that (cold code, a compile or a collection in the stretch) makes
     * the clock fall behind, and it catches up when the CPU halts. The step bound keeps one such
     * stretch from swinging the rate.
     */
    static final double MIN_RATE = 0.05, MAX_RATE = 10, MAX_STEP = 2;
    /**
     * Guest time a PAUSE stands for: far more than a hardware PAUSE (10 to 140 cycles), so that a
     * delay loop ends after a few dozen host nanoseconds a microsecond, and short enough that a
     * loop waiting a microsecond still runs a turn or two.
     */
    public static final long SPIN_NANOS = 1000;
    /** The drift is made up over this many stretches: a damped approach, no overshoot. */
    static final int CATCH_UP_STRETCHES = 4;

    private final LongSupplier instructions;
    private final boolean deterministic;
    private final LongSupplier hostNanos;
    private final long hostStart;
    /** The clock and the host's time (since the start) at instruction count {@link #baseInstructions}, and the rate since. */
    private long baseNanos, baseHost, baseInstructions;
    private double nanosPerInstruction = 5;
    /** The last time read: the clock never goes back behind it. */
    private long lastRead;
    /** The instruction count at the last read (or catch-up). */
    private long lastReadAt;
    /** Guest time all spin-wait hints skipped: on the host's clock, how far it runs ahead of the host. */
    private long spun;
    /** Deterministic mode: time skipped forward while the CPU was halted and by spin-wait hints. */
    private long skipped;

    /** @param instructions the CPU's retired-instruction count */
    public VirtualClock(LongSupplier instructions, boolean deterministic) {
        this(instructions, deterministic, System::nanoTime);
    }

    /** @param hostNanos the host's monotonic clock (a test's own) */
    VirtualClock(LongSupplier instructions, boolean deterministic, LongSupplier hostNanos) {
        this.instructions = instructions;
        this.deterministic = deterministic;
        this.hostNanos = hostNanos;
        this.hostStart = hostNanos.getAsLong();
        this.baseInstructions = instructions.getAsLong();
    }

    private long host() {
        return hostNanos.getAsLong() - hostStart;
    }

    /** The time the clock aims at: the host's plus the time spin-wait hints skipped. */
    private long target(long host) {
        return host + spun;
    }

    /** Guest nanoseconds the spin-wait hints have skipped so far. */
    public long spunNanos() {
        return spun;
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
        long t = baseNanos + (long) (done * nanosPerInstruction);
        lastRead = t;
        lastReadAt = n;
        return t;
    }

    /** Starts a new stretch at instruction {@code n}, at the host's pace plus a share of the drift. */
    private void resync(long n) {
        long host = host();
        long now = baseNanos + (long) ((n - baseInstructions) * nanosPerInstruction);
        // Nobody read the clock for a whole stretch (a guest computing without timers, such as a
        // kernel's decompressor): its time since the last read was never seen, so it may as well
        // have been the host's. (Extrapolated at the last rate instead, a read just after the start
        // and none for the next two billion instructions put the clock 6.5 s ahead of the host,
        // and it then crawled at the minimum rate through the whole of a Linux boot.)
        if (n - lastReadAt >= RESYNC_INSTRUCTIONS) now = Math.max(lastRead, target(host));
        double pace = (host - baseHost) / (double) (n - baseInstructions);
        double rate = pace + (target(host) - now) / (double) (CATCH_UP_STRETCHES * RESYNC_INSTRUCTIONS);
        rate = Math.max(nanosPerInstruction / MAX_STEP, Math.min(nanosPerInstruction * MAX_STEP, rate));
        nanosPerInstruction = Math.max(MIN_RATE, Math.min(MAX_RATE, rate));
        baseNanos = now;
        baseHost = host;
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

    /** A spin-wait hint (PAUSE): the clock moves on by {@link #SPIN_NANOS}. */
    public void spin() {
        spun += SPIN_NANOS;
        if (deterministic) skipped += SPIN_NANOS;
        else baseNanos += SPIN_NANOS;
    }

    /** On the host's clock: moves the clock forward to the host's time (the CPU waited, halted). */
    public void catchUpWithHost() {
        if (deterministic) return;
        long n = instructions.getAsLong();
        long now = getAsLong();
        long host = host();
        baseNanos = Math.max(now, target(host));
        baseHost = host;
        baseInstructions = n;
    }
}
