package org.kasou.linux;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * The system calls on a thread's signals: dispositions (rt_sigaction), masks (rt_sigprocmask,
 * sigprocmask), the alternate stack, what is pending (rt_sigpending, sigpending), and the waits
 * for signals: pause, sigsuspend and rt_sigsuspend, which end with a handled signal (restoring
 * the mask they replaced when the handler returns), and rt_sigtimedwait, which takes a signal
 * out of the pending sets itself.
 */
final class SignalSyscalls {
    private static final int SS_AUTODISARM = 1 << 31, MINSIGSTKSZ = 2048;
    private static final int SIG_BLOCK = 0, SIG_UNBLOCK = 1, SIG_SETMASK = 2;
    /** siginfo_t: 128 bytes. */
    private static final int SIGINFO_SIZE = 128;

    private final GuestThread self;
    private final SignalState signals;
    private AddressSpace as;

    SignalSyscalls(GuestThread self) {
        this.self = self;
        this.signals = self.signals;
    }

    void setAddressSpace(AddressSpace as) {
        this.as = as;
    }

    /**
     * sigaltstack(ss, old_ss) with i386's stack_t: ss_sp, ss_flags, ss_size. A thread running on its
     * alternate stack cannot change it (EPERM).
     */
    int sigaltstack(int ss, int oldSs) {
        int esp = self.core.userEsp();
        boolean on = signals.onAltStack(esp);
        byte[] old = null;
        if (oldSs != 0) {
            ByteBuffer b = ByteBuffer.allocate(12).order(ByteOrder.LITTLE_ENDIAN);
            b.putInt(0, signals.altStackBase).putInt(4, signals.altStackSize == 0 ? SignalFrames.SS_DISABLE : on ? SignalFrames.SS_ONSTACK : 0)
                    .putInt(8, signals.altStackSize);
            old = b.array();
        }
        if (ss != 0) {
            int sp = as.read32(ss), flags = as.read32(ss + 4), size = as.read32(ss + 8);
            if (on) throw new LinuxError(Errno.EPERM);
            int mode = flags & ~SS_AUTODISARM;
            if (mode != 0 && mode != SignalFrames.SS_ONSTACK && mode != SignalFrames.SS_DISABLE) throw new LinuxError(Errno.EINVAL);
            if (mode == SignalFrames.SS_DISABLE) {
                signals.altStackBase = 0;
                signals.altStackSize = 0;
            } else {
                if (Integer.compareUnsigned(size, MINSIGSTKSZ) < 0) throw new LinuxError(Errno.ENOMEM);
                signals.altStackBase = sp;
                signals.altStackSize = size;
            }
        }
        if (old != null) as.write(oldSs, old);
        return 0;
    }

    int rtSigaction(int sig, int act, int oact, int size) {
        if (sig < 1 || sig > 64 || size != 8) throw new LinuxError(Errno.EINVAL);
        SignalState.Action old = signals.action(sig);
        if (act != 0) {
            if (sig == 9 || sig == 19) throw new LinuxError(Errno.EINVAL); // SIGKILL, SIGSTOP
            byte[] b = as.read(act, 20);
            ByteBuffer bb = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
            signals.setAction(sig, new SignalState.Action(bb.getInt(0), bb.getInt(4), bb.getInt(8), bb.getLong(12)));
        }
        if (oact != 0) {
            ByteBuffer bb = ByteBuffer.allocate(20).order(ByteOrder.LITTLE_ENDIAN);
            bb.putInt(0, old.handler()).putInt(4, old.flags()).putInt(8, old.restorer()).putLong(12, old.mask());
            as.write(oact, bb.array());
        }
        return 0;
    }

    int rtSigprocmask(int how, int set, int oset, int size) {
        if (size != 8) throw new LinuxError(Errno.EINVAL);
        long old = signals.blocked;
        if (set != 0) {
            long s = (as.read32(set) & 0xFFFFFFFFL) | ((long) as.read32(set + 4) << 32);
            switch (how) {
                case 0 -> signals.blocked |= s;
                case 1 -> signals.blocked &= ~s;
                case 2 -> signals.blocked = s;
                default -> throw new LinuxError(Errno.EINVAL);
            }
            signals.blocked &= ~SignalState.UNBLOCKABLE;
        }
        if (oset != 0) as.write64(oset, old);
        return 0;
    }

    /** sigprocmask (126): rt_sigprocmask with the old 32-bit sets, which leave the signals above 32 alone. */
    int sigprocmask(int how, int set, int oset) {
        long old = signals.blocked;
        if (set != 0) {
            long s = as.read32(set) & 0xFFFFFFFFL;
            switch (how) {
                case SIG_BLOCK -> signals.blocked |= s;
                case SIG_UNBLOCK -> signals.blocked &= ~s;
                case SIG_SETMASK -> signals.blocked = (signals.blocked & ~0xFFFFFFFFL) | s;
                default -> throw new LinuxError(Errno.EINVAL);
            }
            signals.blocked &= ~SignalState.UNBLOCKABLE;
        }
        if (oset != 0) as.write32(oset, (int) old);
        return 0;
    }

    /** rt_sigpending: the pending signals that are blocked, in {@code size} bytes (at most a sigset's 8). */
    int rtSigpending(int set, int size) {
        if (Integer.compareUnsigned(size, 8) > 0) throw new LinuxError(Errno.EINVAL);
        long p = signals.pending() & signals.blocked;
        byte[] b = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(0, p).array();
        as.write(set, b, 0, size);
        return 0;
    }

    /** sigpending (73): the first 32 of them. */
    int sigpending(int set) {
        as.write32(set, (int) (signals.pending() & signals.blocked));
        return 0;
    }

    /** pause: waits for a handled signal; EINTR once its handler ran. */
    int pause() {
        return suspend();
    }

    /** rt_sigsuspend: pause with {@code mask} blocked instead, until the handler returns. */
    int rtSigsuspend(int mask, int size) {
        if (size != 8) throw new LinuxError(Errno.EINVAL);
        long m = read64(mask);
        signals.suspendWith(m);
        return suspend();
    }

    /** sigsuspend (72): its mask is the third argument, an old 32-bit set (the signals above 32 end up unblocked, as in Linux). */
    int sigsuspend(int mask) {
        signals.suspendWith(mask & 0xFFFFFFFFL);
        return suspend();
    }

    private int suspend() {
        try {
            SignalWaits.awaitQuietly(() -> {
                while (true) Thread.sleep(Long.MAX_VALUE / 2_000_000);
            });
        } catch (LinuxError e) {
            if (e.errno == Errno.ERESTARTSYS) throw new LinuxError(Errno.ERESTARTNOHAND);
            throw e;
        }
        return 0;
    }

    /**
     * rt_sigtimedwait and its time64 variant: takes a pending signal of {@code set} (blocked or
     * not), waiting up to the timeout (null: without limit; EAGAIN when it passes), and writes
     * its siginfo; another signal with a handler ends the wait with EINTR.
     */
    int rtSigtimedwait(int setAddr, int info, int timeout, int size, boolean time64) {
        if (size != 8) throw new LinuxError(Errno.EINVAL);
        long set = read64(setAddr) & ~SignalState.UNBLOCKABLE;
        long deadline = timeout == 0 ? Long.MAX_VALUE : Futexes.deadline(Timespecs.nanos(as, timeout, time64));
        while (true) {
            SignalState.Taken k = signals.take(set);
            if (k != null) {
                if (info != 0) writeSiginfo(info, k);
                return k.sig();
            }
            if (deadline - System.nanoTime() <= 0) throw new LinuxError(Errno.EAGAIN);
            try {
                SignalWaits.await(set, () -> {
                    long left;
                    while ((left = deadline - System.nanoTime()) > 0) java.util.concurrent.TimeUnit.NANOSECONDS.sleep(left);
                    return null;
                });
            } catch (LinuxError e) {
                if (e.errno != Errno.ERESTARTSYS) throw e;
                if ((signals.pending() & set) == 0) throw new LinuxError(Errno.EINTR);
            } catch (java.io.IOException e) {
                throw new LinuxError(Errno.EIO);
            }
        }
    }

    private long read64(int addr) {
        return (as.read32(addr) & 0xFFFFFFFFL) | ((long) as.read32(addr + 4) << 32);
    }

    private void writeSiginfo(int addr, SignalState.Taken k) {
        ByteBuffer b = ByteBuffer.allocate(SIGINFO_SIZE).order(ByteOrder.LITTLE_ENDIAN);
        SignalState.Info i = k.info();
        b.putInt(0, k.sig()).putInt(8, i.code()).putInt(12, i.w0()).putInt(16, i.w1()).putInt(20, i.w2());
        as.write(addr, b.array());
    }
}
