package org.kasou.linux;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * A signalfd: reads take the signals of its mask that are pending for the reading thread or its
 * process (blocked or not, as rt_sigtimedwait does), each as a 128-byte signalfd_siginfo, waiting
 * while none is (EAGAIN when non-blocking). Readable while one is pending for the thread that
 * asks, as Linux's signalfd_poll looks at the caller's signals.
 */
final class SignalFile extends OpenFile {
    /** struct signalfd_siginfo. */
    static final int INFO_SIZE = 128;

    private final long ino;
    /** The signals it reads (never SIGKILL or SIGSTOP); guarded by this. */
    private long mask;
    /** Signals taken through it (edge-triggered epoll reports again after each). */
    private long taken;

    SignalFile(long mask, boolean nonBlocking, long ino) {
        this.mask = mask;
        this.ino = ino;
        this.statusFlags = FileSyscalls.O_RDWR | (nonBlocking ? FileSyscalls.O_NONBLOCK : 0);
    }

    synchronized void setMask(long mask) {
        this.mask = mask;
    }

    private synchronized long mask() {
        return mask;
    }

    @Override
    int read(byte[] buf, int off, int len) throws java.io.IOException {
        if (len < INFO_SIZE) throw new LinuxError(Errno.EINVAL);
        SignalState signals = SignalWaits.currentSignals();
        if (signals == null) throw new LinuxError(Errno.EINVAL); // not a guest thread
        long set = mask();
        SignalState.Taken first = signals.take(set);
        while (first == null) {
            if (nonBlocking()) throw new LinuxError(Errno.EAGAIN);
            try {
                SignalWaits.await(set, () -> {
                    while (true) Thread.sleep(1000);
                });
            } catch (LinuxError e) { // a signal of the mask woke it (else another signal ends the read)
                if (e.errno != Errno.ERESTARTSYS || (signals.pending() & set) == 0) throw e;
            }
            first = signals.take(set);
        }
        int n = 0;
        for (SignalState.Taken k = first; k != null; k = n + INFO_SIZE <= len ? signals.take(set) : null) {
            write(buf, off + n, k);
            n += INFO_SIZE;
        }
        synchronized (this) {
            taken += n / INFO_SIZE;
        }
        return n;
    }

    /** The signalfd_siginfo of a taken signal, its fields from the siginfo's (Linux's signalfd_copyinfo). */
    private static void write(byte[] buf, int off, SignalState.Taken k) {
        ByteBuffer b = ByteBuffer.wrap(buf, off, INFO_SIZE).slice().order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < INFO_SIZE; i += 4) b.putInt(i, 0);
        SignalState.Info info = k.info();
        int code = info.code();
        b.putInt(0, k.sig()).putInt(8, code);
        if (code == SignalState.Info.SI_TIMER) {
            b.putInt(24, info.w0()).putInt(32, info.w1()).putInt(44, info.w2()).putLong(48, info.w2() & 0xFFFFFFFFL);
        } else if (code <= 0 || k.sig() == Signals.SIGCHLD) { // kill, tkill, sigqueue; a child's state
            b.putInt(12, info.w0()).putInt(16, info.w1());
            if (k.sig() == Signals.SIGCHLD && code > 0) b.putInt(40, info.w2());
            else b.putInt(44, info.w2()).putLong(48, info.w2() & 0xFFFFFFFFL);
        } else if (code != SignalState.Info.SI_KERNEL) { // a fault's address
            b.putLong(72, info.w0() & 0xFFFFFFFFL);
        }
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
    int poll(int events) {
        SignalState signals = SignalWaits.currentSignals();
        return signals != null && (signals.pending() & mask()) != 0 ? events & POLLIN : 0;
    }

    @Override
    synchronized long edges(int events) {
        SignalState signals = SignalWaits.currentSignals();
        return (events & POLLIN) != 0 ? taken + (signals == null ? 0 : signals.pending() & mask) : 0;
    }

    @Override
    FileStat stat() {
        return FileStat.anonymous(ino);
    }
}
