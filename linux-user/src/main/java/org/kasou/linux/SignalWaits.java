package org.kasou.linux;

import java.io.IOException;

/**
 * The blocking waits of one guest thread that a signal cuts short, as Linux's interruptible
 * sleeps: pipe reads, poll, nanosleep, futex waits, wait4, pause and the like. A signal wakes
 * the thread with {@link Thread#interrupt} only while it is inside such a wait (an interrupt at
 * any other time could close a FileChannel the thread is using), and the wait ends with
 * ERESTARTSYS, which becomes EINTR or a restart once the signal is taken ({@link Restart}).
 */
final class SignalWaits {
    private static final ThreadLocal<SignalWaits> CURRENT = new ThreadLocal<>();

    /** A wait: ends normally, or with InterruptedException when the thread is woken. */
    interface Wait<T> {
        T run() throws InterruptedException, IOException;
    }

    private final SignalState signals;
    /** The thread inside a wait, or null; guarded by this. */
    private Thread waiter;
    /** Blocked signals that end the current wait too (sigtimedwait's set); guarded by this. */
    private long alsoWakeFor;

    SignalWaits(SignalState signals) {
        this.signals = signals;
    }

    /** Makes this the calling Java thread's waits (once, on the thread that runs the guest thread). */
    void bind() {
        CURRENT.set(this);
    }

    /**
     * Runs {@code w} as an interruptible wait of the calling guest thread: a pending signal that
     * is not blocked (or is in {@code wakeFor}) ends it with ERESTARTSYS where it blocks.
     * Outside a guest thread (tests) it just runs, an interrupt giving ERESTARTSYS.
     */
    static <T> T await(long wakeFor, Wait<T> w) throws IOException {
        SignalWaits me = CURRENT.get();
        if (me != null) me.enter(wakeFor);
        try {
            return w.run();
        } catch (InterruptedException e) {
            throw new LinuxError(Errno.ERESTARTSYS);
        } finally {
            if (me != null) me.leave();
        }
    }

    /** The calling guest thread's signals, or null outside a guest thread. */
    static SignalState currentSignals() {
        SignalWaits me = CURRENT.get();
        return me == null ? null : me.signals;
    }

    static <T> T await(Wait<T> w) throws IOException {
        return await(0, w);
    }

    /** As {@link #await(Wait)}, for waits that throw no IOException. */
    static <T> T awaitQuietly(Wait<T> w) {
        try {
            return await(0, w);
        } catch (IOException e) {
            throw new LinuxError(Errno.of(e));
        }
    }

    private synchronized void enter(long wakeFor) {
        waiter = Thread.currentThread();
        alsoWakeFor = wakeFor;
        // The sender sets the pending bit before it looks for a waiter: one of the two sees the
        // other. A signal already pending interrupts the wait only once it would block, as in
        // Linux (a read that finds data returns it).
        if (signals.interrupting() || (signals.pending() & wakeFor) != 0) waiter.interrupt();
    }

    private void leave() {
        synchronized (this) {
            waiter = null;
            alsoWakeFor = 0;
        }
        Thread.interrupted(); // a wake-up that came as the wait ended must not reach the next channel operation
    }

    /** Signal {@code sig} is pending: ends the thread's wait if it is one that {@code sig} interrupts. */
    synchronized void wake(int sig) {
        if (waiter != null && (!signals.blocks(sig) || (alsoWakeFor & (1L << (sig - 1))) != 0)) waiter.interrupt();
    }
}
