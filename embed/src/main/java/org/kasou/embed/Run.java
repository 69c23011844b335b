package org.kasou.embed;

import java.time.Duration;

/**
 * What {@link Engine#run(Run)} does: start at an address and stop at an until-address, after a
 * number of instructions or after a time, whichever comes first. Immutable.
 */
public final class Run {
    final long begin;
    final long until;
    final long count;
    final long timeoutNanos;

    private Run(long begin, long until, long count, long timeoutNanos) {
        this.begin = begin;
        this.until = until;
        this.count = count;
        this.timeoutNanos = timeoutNanos;
    }

    /** Starts at a linear address (in real mode CS stays, and IP becomes the address minus CS's base). */
    public static Run from(long begin) {
        checkAddress(begin, "begin");
        return new Run(begin, -1, 0, 0);
    }

    /** Stops before the instruction at this linear address runs. */
    public Run until(long address) {
        checkAddress(address, "until");
        return new Run(begin, address, count, timeoutNanos);
    }

    /** Stops after this many instructions (at least 1). */
    public Run count(long instructions) {
        if (instructions <= 0) throw new IllegalArgumentException("count must be positive, not " + instructions);
        return new Run(begin, until, instructions, timeoutNanos);
    }

    /** Stops after this much time (positive). */
    public Run timeout(Duration d) {
        if (d.isNegative() || d.isZero()) throw new IllegalArgumentException("timeout must be positive, not " + d);
        return new Run(begin, until, count, d.toNanos());
    }

    private static void checkAddress(long a, String what) {
        if (a < 0 || a >= 1L << 32) throw new IllegalArgumentException(what + " address 0x" + Long.toHexString(a) + " is not a 32-bit address");
    }
}
