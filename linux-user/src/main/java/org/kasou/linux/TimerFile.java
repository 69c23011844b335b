package org.kasou.linux;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * A timerfd: a timer on one of the guest's clocks whose expirations a read of 8 bytes takes (the
 * count since the last read, waiting while it is 0; EAGAIN when non-blocking). Readable while an
 * expiration waits. The expirations are counted from the clock when asked (the readiness calls
 * look again within a few milliseconds), so nothing runs in the background.
 */
final class TimerFile extends OpenFile {
    static final int TFD_TIMER_ABSTIME = 1, TFD_TIMER_CANCEL_ON_SET = 2;

    private final int clock;
    private final long ino;
    /** The clock's time of the next expiration (0: disarmed), and the period (0: once). */
    private long next, interval;
    /** Expirations not yet read, and all so far (edge-triggered epoll reports again after each). */
    private long ticks, expirations;

    TimerFile(int clock, boolean nonBlocking, long ino) {
        this.clock = clock;
        this.ino = ino;
        this.statusFlags = FileSyscalls.O_RDWR | (nonBlocking ? FileSyscalls.O_NONBLOCK : 0);
    }

    private long now() {
        return TimeSyscalls.elapsedClockNanos(clock);
    }

    /** Counts the expirations up to now (as Linux's timer callback and hrtimer_forward would have). */
    private void update() {
        if (next == 0) return;
        long now = now();
        if (now - next < 0) return;
        long n = interval == 0 ? 1 : 1 + (now - next) / interval;
        ticks += n;
        expirations += n;
        if (interval == 0) next = 0;
        else next += n * interval;
    }

    /**
     * timerfd_settime: arms the timer at {@code value} (relative, or on the clock with
     * TFD_TIMER_ABSTIME; 0 disarms) with period {@code period}; returns the setting it replaces as
     * {time left, period}. Expirations not read are dropped, as Linux does.
     */
    synchronized long[] set(int flags, long value, long period) {
        update();
        long[] old = current();
        ticks = 0;
        interval = period;
        if (value == 0) {
            next = 0;
        } else {
            long at = (flags & TFD_TIMER_ABSTIME) != 0 ? value : now() + value;
            next = at == 0 ? 1 : at;
        }
        notifyAll();
        return old;
    }

    /** timerfd_gettime: {time left to the next expiration (0 when disarmed), period}. */
    synchronized long[] get() {
        update();
        return current();
    }

    private long[] current() {
        return new long[] {next == 0 ? 0 : Math.max(1, next - now()), interval};
    }

    @Override
    int read(byte[] buf, int off, int len) throws java.io.IOException {
        if (len < 8) throw new LinuxError(Errno.EINVAL);
        long v = SignalWaits.await(() -> {
            synchronized (this) {
                while (true) {
                    update();
                    if (ticks != 0) break;
                    if (nonBlocking()) throw new LinuxError(Errno.EAGAIN);
                    long left = next == 0 ? 0 : next - now();
                    wait(Math.max(1, Math.min(1000, (left + 999_999) / 1_000_000)));
                }
                long got = ticks;
                ticks = 0;
                return got;
            }
        });
        ByteBuffer.wrap(buf, off, 8).order(ByteOrder.LITTLE_ENDIAN).putLong(v);
        return 8;
    }

    @Override
    int write(byte[] buf, int off, int len) {
        throw new LinuxError(Errno.EINVAL);
    }

    @Override
    boolean pollable() {
        return true;
    }

    @Override
    synchronized int poll(int events) {
        update();
        return ticks != 0 ? events & POLLIN : 0;
    }

    @Override
    synchronized long edges(int events) {
        update();
        return (events & POLLIN) != 0 ? expirations : 0;
    }

    /** An anonymous inode, as Linux's timerfd: no file type bits, read and write for the owner. */
    @Override
    FileStat stat() {
        return FileStat.anonymous(ino);
    }
}
