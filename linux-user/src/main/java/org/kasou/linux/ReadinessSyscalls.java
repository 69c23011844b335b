package org.kasou.linux;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The calls that wait for descriptors to become ready: poll and ppoll, select (old and new),
 * pselect6, and the epoll family. Readiness comes from {@link OpenFile#poll}; the waiting from
 * {@link Readiness}. The signal masks of ppoll, pselect6 and epoll_pwait are in force during the
 * wait, and until the handler of a signal that ended it returns. eventfd is here too: its files
 * exist to be waited on.
 */
final class ReadinessSyscalls {
    private static final int POLLIN = OpenFile.POLLIN, POLLPRI = 2, POLLOUT = OpenFile.POLLOUT, POLLERR = OpenFile.POLLERR,
            POLLHUP = OpenFile.POLLHUP;
    /** What makes select count a descriptor readable, writable, exceptional (Linux's POLLIN_SET, POLLOUT_SET, POLLEX_SET). */
    private static final int READ_SET = POLLIN | 0x40 | 0x80 | POLLHUP | POLLERR, WRITE_SET = POLLOUT | 0x100 | 0x200 | POLLERR,
            EXCEPT_SET = POLLPRI;
    private static final int EPOLL_CTL_ADD = 1, EPOLL_CTL_DEL = 2, EPOLL_CTL_MOD = 3;
    private static final AtomicLong NEXT_INO = new AtomicLong(5000);

    private static final int EFD_SEMAPHORE = EventFile.EFD_SEMAPHORE;

    private final FileSyscalls files;
    private final SignalState signals;
    private AddressSpace as;

    ReadinessSyscalls(FileSyscalls files, SignalState signals) {
        this.files = files;
        this.signals = signals;
    }

    void setAddressSpace(AddressSpace as) {
        this.as = as;
    }

    // ------------------------------------------------------------------------------------------
    // poll

    /**
     * poll: struct pollfd {int fd; short events; short revents} times {@code nfds}; waits up to
     * {@code timeoutMillis} (negative: without limit) for one to be ready.
     */
    int poll(int fdsAddr, int nfds, long timeoutMillis) throws IOException {
        if (nfds < 0 || nfds > FileSyscalls.MAX_FDS) throw new LinuxError(Errno.EINVAL);
        byte[] raw = nfds == 0 ? new byte[0] : as.read(fdsAddr, nfds * 8);
        ByteBuffer b = ByteBuffer.wrap(raw).order(ByteOrder.LITTLE_ENDIAN);
        boolean onlyHost = nfds > 0;
        for (int i = 0; i < nfds; i++) {
            int fd = b.getInt(i * 8);
            if (fd >= 0 && !Readiness.isHostStream(files.fileOrNull(fd))) onlyHost = false;
        }
        int ready = Readiness.await(timeoutMillis, onlyHost, assume -> {
            int n = 0;
            for (int i = 0; i < nfds; i++) {
                int fd = b.getInt(i * 8);
                int events = b.getShort(i * 8 + 4) & 0xFFFF;
                int revents = 0;
                if (fd >= 0) {
                    OpenFile f = files.fileOrNull(fd);
                    revents = f == null ? OpenFile.POLLNVAL : f.poll(events);
                    if (assume && Readiness.isHostStream(f)) revents |= events & POLLIN;
                }
                b.putShort(i * 8 + 6, (short) revents);
                if (revents != 0) n++;
            }
            return n;
        });
        as.write(fdsAddr, raw);
        return ready;
    }

    /** ppoll and ppoll_time64: a timespec timeout (null: none); the remaining time is not written back (glibc passes a copy). */
    int ppoll(int fdsAddr, int nfds, int timespec, int sigmask, int sigsetSize, boolean time64) throws IOException {
        long timeout = timespec == 0 ? -1 : Timespecs.millis(as, timespec, time64);
        applySigmask(sigmask, sigsetSize);
        return poll(fdsAddr, nfds, timeout);
    }

    /** The mask of ppoll, pselect6 and epoll_pwait (null: none): blocked until the call returns, or the handler of the signal that ended it does. */
    private void applySigmask(int sigmask, int size) {
        if (sigmask == 0) return;
        if (size != 8) throw new LinuxError(Errno.EINVAL);
        signals.suspendWith((as.read32(sigmask) & 0xFFFFFFFFL) | ((long) as.read32(sigmask + 4) << 32));
    }

    // ------------------------------------------------------------------------------------------
    // select

    /** select (_newselect): a struct timeval timeout, into which the time left is written back. */
    int select(int n, int in, int out, int ex, int timeval) throws IOException {
        long timeoutNanos = -1;
        if (timeval != 0) {
            long sec = as.read32(timeval), usec = as.read32(timeval + 4);
            if (sec < 0 || usec < 0) throw new LinuxError(Errno.EINVAL);
            timeoutNanos = Math.min(sec + usec / 1_000_000, 1L << 31) * 1_000_000_000L + usec % 1_000_000 * 1000;
        }
        long start = System.nanoTime();
        try {
            return selectFor(n, in, out, ex, timeoutNanos);
        } finally { // the time left goes back after a signal too
            if (timeval != 0) {
                long left = remaining(start, timeoutNanos);
                writeBack(() -> Timespecs.writeTimeval(as, timeval, left));
            }
        }
    }

    /** The old select (82): its five arguments in a block at {@code args}. */
    int oldSelect(int args) throws IOException {
        int[] a = new int[5];
        for (int i = 0; i < 5; i++) a[i] = as.read32(args + i * 4);
        return select(a[0], a[1], a[2], a[3], a[4]);
    }

    /**
     * pselect6 and pselect6_time64: a timespec timeout (the time left written back), and a block
     * {sigset pointer, size} whose size must be a sigset's when the pointer is set.
     */
    int pselect6(int n, int in, int out, int ex, int timespec, int sigdata, boolean time64) throws IOException {
        long timeoutNanos = timespec == 0 ? -1 : Timespecs.nanos(as, timespec, time64);
        if (sigdata != 0) applySigmask(as.read32(sigdata), as.read32(sigdata + 4));
        long start = System.nanoTime();
        try {
            return selectFor(n, in, out, ex, timeoutNanos);
        } finally {
            if (timespec != 0) {
                long left = remaining(start, timeoutNanos);
                writeBack(() -> Timespecs.write(as, timespec, left, time64));
            }
        }
    }

    private static long remaining(long start, long timeoutNanos) {
        return Math.max(0, timeoutNanos - (System.nanoTime() - start));
    }

    /** The time left goes back to the guest; an address that takes no write is not the call's failure (as in Linux). */
    private static void writeBack(Runnable write) {
        try {
            write.run();
        } catch (LinuxError e) {
            // as Linux: the result stands
        }
    }

    private int selectFor(int n, int inAddr, int outAddr, int exAddr, long timeoutNanos) throws IOException {
        if (n < 0) throw new LinuxError(Errno.EINVAL);
        n = Math.min(n, files.tableSize()); // as Linux: bits beyond the table are not even read
        int bytes = (n + 31) / 32 * 4;
        int[] in = fdSet(inAddr, bytes), out = fdSet(outAddr, bytes), ex = fdSet(exAddr, bytes);
        OpenFile[] open = new OpenFile[n];
        for (int fd = 0; fd < n; fd++) {
            if (!isSet(in, fd) && !isSet(out, fd) && !isSet(ex, fd)) continue;
            open[fd] = files.fileOrNull(fd);
            if (open[fd] == null) throw new LinuxError(Errno.EBADF);
        }
        boolean onlyHost = allHostStreams(open);
        int words = bytes / 4;
        int[] rin = new int[words], rout = new int[words], rex = new int[words];
        final int count = n;
        long timeoutMillis = timeoutNanos < 0 ? -1 : (timeoutNanos + 999_999) / 1_000_000;
        int ready = Readiness.await(timeoutMillis, onlyHost, assume -> {
            java.util.Arrays.fill(rin, 0);
            java.util.Arrays.fill(rout, 0);
            java.util.Arrays.fill(rex, 0);
            int total = 0;
            for (int fd = 0; fd < count; fd++) {
                OpenFile f = open[fd];
                if (f == null) continue;
                int asked = (isSet(in, fd) ? POLLIN : 0) | (isSet(out, fd) ? POLLOUT : 0) | (isSet(ex, fd) ? POLLPRI : 0);
                int r = f.poll(asked);
                if (assume && Readiness.isHostStream(f)) r |= POLLIN;
                total += mark(rin, in, fd, r & READ_SET) + mark(rout, out, fd, r & WRITE_SET) + mark(rex, ex, fd, r & EXCEPT_SET);
            }
            return total;
        });
        putFdSet(inAddr, rin);
        putFdSet(outAddr, rout);
        putFdSet(exAddr, rex);
        return ready;
    }

    private static boolean allHostStreams(OpenFile[] open) {
        boolean any = false;
        for (OpenFile f : open) {
            if (f == null) continue;
            if (!Readiness.isHostStream(f)) return false;
            any = true;
        }
        return any;
    }

    private int[] fdSet(int addr, int bytes) {
        int[] set = new int[bytes / 4];
        if (addr == 0) return set;
        ByteBuffer b = ByteBuffer.wrap(as.read(addr, bytes)).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < set.length; i++) set[i] = b.getInt(i * 4);
        return set;
    }

    private void putFdSet(int addr, int[] set) {
        if (addr == 0) return;
        ByteBuffer b = ByteBuffer.allocate(set.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < set.length; i++) b.putInt(i * 4, set[i]);
        as.write(addr, b.array());
    }

    private static boolean isSet(int[] set, int fd) {
        return (set[fd >>> 5] & (1 << (fd & 31))) != 0;
    }

    /** Sets {@code fd} in {@code result} when it was asked for in {@code asked} and {@code ready}; 1 if so. */
    private static int mark(int[] result, int[] asked, int fd, int ready) {
        if (ready == 0 || !isSet(asked, fd)) return 0;
        result[fd >>> 5] |= 1 << (fd & 31);
        return 1;
    }

    // ------------------------------------------------------------------------------------------
    // epoll

    /** epoll_create: the size is a hint that must be positive. */
    int epollCreate(int size) {
        if (size <= 0) throw new LinuxError(Errno.EINVAL);
        return epollCreate1(0);
    }

    /** epoll_create1: EPOLL_CLOEXEC (O_CLOEXEC) is the only flag. */
    int epollCreate1(int flags) {
        if ((flags & ~FileSyscalls.O_CLOEXEC) != 0) throw new LinuxError(Errno.EINVAL);
        return files.allocateDescriptor(new EpollFile(NEXT_INO.getAndIncrement()), (flags & FileSyscalls.O_CLOEXEC) != 0);
    }

    /** epoll_ctl, with Linux's order of checks: the event, the descriptors, pollability, the instance, the flags. */
    int epollCtl(int epfd, int op, int fd, int eventAddr) {
        int events = 0;
        long data = 0;
        if (op != EPOLL_CTL_DEL) {
            events = as.read32(eventAddr);
            data = (as.read32(eventAddr + 4) & 0xFFFFFFFFL) | ((long) as.read32(eventAddr + 8) << 32);
        }
        OpenFile ep = files.file(epfd), target = files.file(fd);
        if (!target.pollable()) throw new LinuxError(Errno.EPERM);
        if (!(ep instanceof EpollFile epoll) || ep == target) throw new LinuxError(Errno.EINVAL);
        if ((events & EpollFile.EPOLLEXCLUSIVE) != 0) {
            int allowed = EpollFile.EPOLLEXCLUSIVE | EpollFile.EPOLLIN | EpollFile.EPOLLOUT | EpollFile.EPOLLERR | EpollFile.EPOLLHUP
                    | EpollFile.EPOLLWAKEUP | EpollFile.EPOLLET | EpollFile.EPOLLRDNORM | EpollFile.EPOLLWRNORM | EpollFile.EPOLLRDBAND
                    | EpollFile.EPOLLWRBAND | EpollFile.EPOLLMSG | EpollFile.EPOLLRDHUP | EpollFile.EPOLLPRI;
            if (op == EPOLL_CTL_MOD || (op == EPOLL_CTL_ADD && ((events & ~allowed) != 0 || target instanceof EpollFile))) {
                throw new LinuxError(Errno.EINVAL);
            }
        }
        switch (op) {
            case EPOLL_CTL_ADD -> epoll.add(fd, target, events, data);
            case EPOLL_CTL_DEL -> epoll.delete(fd, target);
            case EPOLL_CTL_MOD -> epoll.modify(fd, target, events, data);
            default -> throw new LinuxError(Errno.EINVAL);
        }
        return 0;
    }

    /** epoll_wait: up to {@code max} events into {@code eventsAddr}, waiting up to {@code timeoutMillis} (negative: without limit). */
    int epollWait(int epfd, int eventsAddr, int max, long timeoutMillis) throws IOException {
        if (max <= 0 || max > Integer.MAX_VALUE / EpollFile.EVENT_SIZE) throw new LinuxError(Errno.EINVAL);
        if (!(files.file(epfd) instanceof EpollFile epoll)) throw new LinuxError(Errno.EINVAL);
        int room = Math.min(max, 4096);
        ByteBuffer out = ByteBuffer.allocate(room * EpollFile.EVENT_SIZE).order(ByteOrder.LITTLE_ENDIAN);
        int n = Readiness.await(timeoutMillis, epoll.onlyHostStreams(), assume -> epoll.collect(out, room, assume));
        if (n > 0) as.write(eventsAddr, out.array(), 0, n * EpollFile.EVENT_SIZE);
        return n;
    }

    /** epoll_pwait: epoll_wait with a signal mask. */
    int epollPwait(int epfd, int eventsAddr, int max, int timeoutMillis, int sigmask, int sigsetSize) throws IOException {
        applySigmask(sigmask, sigsetSize);
        return epollWait(epfd, eventsAddr, max, timeoutMillis);
    }

    /** epoll_pwait2: the timeout is a 64-bit timespec (null: none). */
    int epollPwait2(int epfd, int eventsAddr, int max, int timespec, int sigmask, int sigsetSize) throws IOException {
        long timeout = timespec == 0 ? -1 : Timespecs.millis(as, timespec, true);
        applySigmask(sigmask, sigsetSize);
        return epollWait(epfd, eventsAddr, max, timeout);
    }

    // ------------------------------------------------------------------------------------------
    // eventfd

    /** eventfd and eventfd2: a counter starting at {@code initial}; EFD_SEMAPHORE, EFD_NONBLOCK and EFD_CLOEXEC. */
    int eventfd(int initial, int flags) {
        if ((flags & ~(EFD_SEMAPHORE | FileSyscalls.O_NONBLOCK | FileSyscalls.O_CLOEXEC)) != 0) throw new LinuxError(Errno.EINVAL);
        EventFile f = new EventFile(initial & 0xFFFFFFFFL, (flags & EFD_SEMAPHORE) != 0, (flags & FileSyscalls.O_NONBLOCK) != 0,
                NEXT_INO.getAndIncrement());
        return files.allocateDescriptor(f, (flags & FileSyscalls.O_CLOEXEC) != 0);
    }

    // ------------------------------------------------------------------------------------------
    // signalfd

    /**
     * signalfd and signalfd4: a new descriptor for the signals of the sigset at {@code maskAddr}
     * (fd -1), or a new mask for an existing one; SFD_NONBLOCK and SFD_CLOEXEC (O_NONBLOCK and
     * O_CLOEXEC). SIGKILL and SIGSTOP are never read.
     */
    int signalfd(int fd, int maskAddr, int size, int flags) {
        if (size != 8 || (flags & ~(FileSyscalls.O_NONBLOCK | FileSyscalls.O_CLOEXEC)) != 0) throw new LinuxError(Errno.EINVAL);
        long mask = ((as.read32(maskAddr) & 0xFFFFFFFFL) | ((long) as.read32(maskAddr + 4) << 32)) & ~SignalState.UNBLOCKABLE;
        if (fd != -1) {
            if (!(files.file(fd) instanceof SignalFile f)) throw new LinuxError(Errno.EINVAL);
            f.setMask(mask);
            return fd;
        }
        SignalFile f = new SignalFile(mask, (flags & FileSyscalls.O_NONBLOCK) != 0, NEXT_INO.getAndIncrement());
        return files.allocateDescriptor(f, (flags & FileSyscalls.O_CLOEXEC) != 0);
    }

    // ------------------------------------------------------------------------------------------
    // timerfd

    /** timerfd_create: a timer on CLOCK_REALTIME, CLOCK_MONOTONIC or CLOCK_BOOTTIME (the _ALARM ones want CAP_WAKE_ALARM). */
    int timerfdCreate(int clock, int flags) {
        if ((flags & ~(FileSyscalls.O_NONBLOCK | FileSyscalls.O_CLOEXEC)) != 0) throw new LinuxError(Errno.EINVAL);
        if (clock == 8 || clock == 9) throw new LinuxError(Errno.EPERM);
        if (clock != TimeSyscalls.CLOCK_REALTIME && clock != TimeSyscalls.CLOCK_MONOTONIC && clock != TimeSyscalls.CLOCK_BOOTTIME) {
            throw new LinuxError(Errno.EINVAL);
        }
        TimerFile f = new TimerFile(clock, (flags & FileSyscalls.O_NONBLOCK) != 0, NEXT_INO.getAndIncrement());
        return files.allocateDescriptor(f, (flags & FileSyscalls.O_CLOEXEC) != 0);
    }

    /** timerfd_settime(64): the itimerspec at {@code value} (interval, then value), the old one to {@code old} if not 0. */
    int timerfdSettime(int fd, int flags, int value, int old, boolean time64) {
        TimerFile t = timerOf(fd);
        if ((flags & ~(TimerFile.TFD_TIMER_ABSTIME | TimerFile.TFD_TIMER_CANCEL_ON_SET)) != 0) throw new LinuxError(Errno.EINVAL);
        int half = time64 ? 16 : 8;
        long period = Timespecs.nanos(as, value, time64), at = Timespecs.nanos(as, value + half, time64);
        long[] was = t.set(flags, at, period);
        if (old != 0) writeItimerspec(old, was, time64);
        return 0;
    }

    /** timerfd_gettime(64): the time left and the period. */
    int timerfdGettime(int fd, int cur, boolean time64) {
        writeItimerspec(cur, timerOf(fd).get(), time64);
        return 0;
    }

    private TimerFile timerOf(int fd) {
        if (files.file(fd) instanceof TimerFile t) return t;
        throw new LinuxError(Errno.EINVAL);
    }

    private void writeItimerspec(int addr, long[] leftAndPeriod, boolean time64) {
        Timespecs.write(as, addr, leftAndPeriod[1], time64);
        Timespecs.write(as, addr + (time64 ? 16 : 8), leftAndPeriod[0], time64);
    }
}
