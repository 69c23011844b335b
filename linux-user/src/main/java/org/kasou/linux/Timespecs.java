package org.kasou.linux;

/** struct timespec in guest memory: the time32 layout (two longs) or the time64 one (two 64-bit fields). */
final class Timespecs {
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

    private static long pair(int lo, int hi) {
        return (lo & 0xFFFFFFFFL) | ((long) hi << 32);
    }
}
