package org.kasou.linux;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * struct timespec in guest memory, the time32 layout (two longs) or the time64 one (two 64-bit
 * fields), and struct timeval (seconds and microseconds, two longs).
 */
final class Timespecs {
    private static final long NANOS = 1_000_000_000L;

    private Timespecs() {
    }

    /** The timespec at {@code addr} in nanoseconds (very long times capped); EINVAL when it is not a valid one. */
    static long nanos(AddressSpace as, int addr, boolean time64) {
        long sec = time64 ? pair(as.read32(addr), as.read32(addr + 4)) : as.read32(addr);
        // Linux ignores the upper half of a time64 tv_nsec from a 32-bit program.
        long ns = time64 ? as.read32(addr + 8) & 0xFFFFFFFFL : as.read32(addr + 4);
        if (sec < 0 || ns < 0 || ns >= 1_000_000_000L) throw new LinuxError(Errno.EINVAL);
        return Futexes.toNanos(sec, ns);
    }

    /** As {@link #nanos}, in milliseconds rounded up (a wait never ends early). */
    static long millis(AddressSpace as, int addr, boolean time64) {
        long n = nanos(as, addr, time64);
        return n / 1_000_000L + (n % 1_000_000L != 0 ? 1 : 0);
    }

    /** Writes {@code nanos} as a timespec at {@code addr}. */
    static void write(AddressSpace as, int addr, long nanos, boolean time64) {
        long sec = Math.floorDiv(nanos, NANOS), ns = Math.floorMod(nanos, NANOS);
        ByteBuffer b = ByteBuffer.allocate(time64 ? 16 : 8).order(ByteOrder.LITTLE_ENDIAN);
        if (time64) b.putLong(0, sec).putLong(8, ns);
        else b.putInt(0, (int) sec).putInt(4, (int) ns);
        as.write(addr, b.array());
    }

    /** Writes {@code nanos} (not negative) as a timeval at {@code addr}. */
    static void writeTimeval(AddressSpace as, int addr, long nanos) {
        ByteBuffer b = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
        as.write(addr, b.putInt(0, (int) (nanos / NANOS)).putInt(4, (int) (nanos % NANOS / 1000)).array());
    }

    private static long pair(int lo, int hi) {
        return (lo & 0xFFFFFFFFL) | ((long) hi << 32);
    }
}
