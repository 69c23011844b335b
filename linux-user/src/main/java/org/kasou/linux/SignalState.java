package org.kasou.linux;

import java.util.concurrent.atomic.AtomicLong;

/**
 * One guest thread's view of signals: the dispositions (rt_sigaction) and the process's shared
 * pending set, which the threads of a process share, and the thread's own blocked mask
 * (rt_sigprocmask), pending signals and alternate stack (sigaltstack). Other threads and timers
 * add pending signals; everything else happens on the guest thread's own thread.
 */
final class SignalState {
    static final int SIG_DFL = 0, SIG_IGN = 1;
    static final int SA_NOCLDWAIT = 2, SA_SIGINFO = 4, SA_ONSTACK = 0x08000000, SA_RESTORER = 0x04000000, SA_RESTART = 0x10000000,
            SA_NODEFER = 0x40000000, SA_RESETHAND = 0x80000000;
    /** SIGKILL and SIGSTOP: never blocked. */
    static final long UNBLOCKABLE = (1L << 8) | (1L << 18);

    /** struct sigaction of rt_sigaction on i386: handler, flags, restorer, mask. */
    record Action(int handler, int flags, int restorer, long mask) {
        static final Action DEFAULT = new Action(SIG_DFL, 0, 0, 0);
    }

    /**
     * What siginfo says of a signal beyond its number: si_code and the three words after it
     * (si_pid and si_uid for kill; si_tid, si_overrun and si_value for a timer; si_addr for a fault).
     */
    record Info(int code, int w0, int w1, int w2) {
        static final int SI_USER = 0, SI_KERNEL = 0x80, SI_TIMER = -2, SI_TKILL = -6;
        static final Info KERNEL = new Info(SI_KERNEL, 0, 0, 0);
    }

    /** A signal taken from a pending set, with its siginfo. */
    record Taken(int sig, Info info) {
    }

    /** The first real-time signal (the kernel's SIGRTMIN): from it on, signals queue. */
    static final int FIRST_REAL_TIME = 32;
    /**
     * Most instances of real-time signals one pending set holds (Linux counts them against
     * RLIMIT_SIGPENDING, thousands by default): beyond it sigqueue says EAGAIN and kill sends none.
     */
    static final int MAX_QUEUED = 4096;

    /**
     * Signals pending for a thread or a whole process: one of each standard signal (they do not
     * queue), with the first one's siginfo, and every instance of a real-time signal in the order
     * sent, each with its own siginfo (sigqueue's values arrive one by one).
     */
    private static final class Pending {
        final AtomicLong set = new AtomicLong();
        final Info[] info = new Info[65];
        /** Per real-time signal, its instances not yet taken; guarded by {@link #info}. */
        private final java.util.ArrayDeque<Info>[] queued = newQueues();
        private int queuedCount;

        @SuppressWarnings("unchecked")
        private static java.util.ArrayDeque<Info>[] newQueues() {
            return new java.util.ArrayDeque[65];
        }

        /** Makes sig pending; false when a real-time signal found its queue full (nothing was added). */
        boolean add(int sig, Info i) {
            synchronized (info) {
                if (sig >= FIRST_REAL_TIME) {
                    if (queuedCount >= MAX_QUEUED) return false;
                    if (queued[sig] == null) queued[sig] = new java.util.ArrayDeque<>();
                    queued[sig].add(i);
                    queuedCount++;
                } else if ((set.get() & 1L << (sig - 1)) == 0) {
                    info[sig] = i; // one sent while it is pending is dropped: the first sender's siginfo stays (as Linux)
                }
                set.getAndUpdate(p -> p | 1L << (sig - 1));
            }
            return true;
        }

        /** Takes the lowest signal of {@code allowed} that is pending (one instance of a real-time one), or returns null. */
        Taken take(long allowed) {
            while (true) {
                long p = set.get();
                long ready = p & allowed;
                if (ready == 0) return null;
                int sig = Long.numberOfTrailingZeros(ready) + 1;
                if (sig >= FIRST_REAL_TIME) {
                    synchronized (info) {
                        java.util.ArrayDeque<Info> q = queued[sig];
                        Info i = q == null ? null : q.poll();
                        if (i == null) { // another thread took the last one (and is clearing the bit)
                            set.getAndUpdate(v -> v & ~(1L << (sig - 1)));
                            continue;
                        }
                        queuedCount--;
                        if (q.isEmpty()) set.getAndUpdate(v -> v & ~(1L << (sig - 1)));
                        return new Taken(sig, i);
                    }
                }
                synchronized (info) { // with add's lock, so that the siginfo taken is the one that made it pending
                    if (set.compareAndSet(p, p & ~(1L << (sig - 1)))) {
                        Info i = info[sig];
                        return new Taken(sig, i == null ? Info.KERNEL : i);
                    }
                }
            }
        }
    }

    /** Shared by the threads of a process (their SignalStates hold the same array). */
    private final Action[] actions;
    /** Signals for the process that every thread blocked when they came, shared like {@link #actions}. */
    private final Pending shared;
    /** Written by the thread itself; read by others choosing a thread for a process-directed signal. */
    volatile long blocked;
    /** The alternate signal stack (sigaltstack): its lowest address and size; size 0 when there is none. */
    int altStackBase, altStackSize;
    private final Pending own = new Pending();
    /**
     * The mask to go back to once the signal that ends a sigsuspend, pselect6, ppoll or
     * epoll_pwait is handled (its frame saves this one, not the temporary mask); valid while
     * {@link #hasSavedMask}.
     */
    private long savedMask;
    private boolean hasSavedMask;

    SignalState() {
        actions = new Action[65];
        java.util.Arrays.fill(actions, Action.DEFAULT);
        shared = new Pending();
    }

    /**
     * A new thread's (with {@code shareActions}: the dispositions and the process's pending set
     * stay shared with {@code parent}'s threads) or a child process's (a copy of the
     * dispositions): the mask is inherited, nothing is pending and there is no alternate stack
     * for a thread (a forked child keeps it, as in Linux).
     */
    SignalState(SignalState parent, boolean shareActions) {
        actions = shareActions ? parent.actions : parent.actions.clone();
        shared = shareActions ? parent.shared : new Pending();
        blocked = parent.blocked;
        if (!shareActions) {
            altStackBase = parent.altStackBase;
            altStackSize = parent.altStackSize;
        }
    }

    /** Whether {@code sig} is blocked by this thread. */
    boolean blocks(int sig) {
        return (blocked & (1L << (sig - 1))) != 0;
    }

    /** Whether {@code esp} lies on the alternate stack. */
    boolean onAltStack(int esp) {
        return altStackSize != 0 && Integer.compareUnsigned(esp - altStackBase, altStackSize) < 0;
    }

    /** The signals set to SIG_IGN (bit sig-1), as /proc's SigIgn shows them. */
    long ignoredSet() {
        return handlers(true);
    }

    /** The signals with a handler of the program's (bit sig-1), as /proc's SigCgt shows them. */
    long caughtSet() {
        return handlers(false);
    }

    private long handlers(boolean ignored) {
        long m = 0;
        synchronized (actions) {
            for (int sig = 1; sig < actions.length; sig++) {
                int h = actions[sig].handler();
                if (ignored ? h == SIG_IGN : h != SIG_IGN && h != SIG_DFL) m |= 1L << (sig - 1);
            }
        }
        return m;
    }

    Action action(int sig) {
        synchronized (actions) {
            return actions[sig];
        }
    }

    void setAction(int sig, Action a) {
        synchronized (actions) {
            actions[sig] = a;
        }
    }

    /** execve: handled signals return to their default action; ignored ones stay ignored; no alternate stack. */
    void resetHandlers() {
        altStackSize = 0;
        clearHandlers();
    }

    /** Handled signals return to their default action; ignored ones stay ignored (clone3's CLONE_CLEAR_SIGHAND). */
    void clearHandlers() {
        synchronized (actions) {
            for (int i = 1; i < actions.length; i++) {
                if (actions[i].handler() != SIG_IGN) actions[i] = Action.DEFAULT;
            }
        }
    }

    /**
     * Whether a signal would vanish if it came now: ignored, explicitly or by default, and not
     * blocked (a blocked one stays pending, as its action may change before it is unblocked).
     */
    boolean discards(int sig) {
        if (blocks(sig)) return false;
        Action a = action(sig);
        return a.handler() == SIG_IGN || (a.handler() == SIG_DFL && ignoredByDefault(sig));
    }

    /** Makes {@code sig} pending for this thread; false when a real-time signal's queue was full. */
    boolean raise(int sig, Info info) {
        return own.add(sig, info);
    }

    void raise(int sig) {
        raise(sig, Info.KERNEL);
    }

    /** Makes {@code sig} pending for the whole process (any thread that unblocks it takes it); false as {@link #raise}. */
    boolean raiseShared(int sig, Info info) {
        return shared.add(sig, info);
    }

    /** The lowest pending signal that is not blocked, the thread's own first, or null. */
    Taken take() {
        return take(~blocked);
    }

    /** The lowest pending signal among {@code set}, blocked or not (sigtimedwait), or null. */
    Taken take(long set) {
        Taken t = own.take(set);
        return t != null ? t : shared.take(set);
    }

    /** The signals pending for this thread or its process. */
    long pending() {
        return own.set.get() | shared.set.get();
    }

    /** Whether a pending signal is not blocked: one that must interrupt a wait. */
    boolean interrupting() {
        return (pending() & ~blocked) != 0;
    }

    /** Blocks {@code mask} until the next handled signal (sigsuspend and the like), keeping the current mask to restore. */
    void suspendWith(long mask) {
        if (!hasSavedMask) {
            savedMask = blocked;
            hasSavedMask = true;
        }
        blocked = mask & ~UNBLOCKABLE;
    }

    /** The mask a signal frame saves: the one from before a sigsuspend-like wait, if one is in force. */
    long maskForFrame() {
        long m = hasSavedMask ? savedMask : blocked;
        hasSavedMask = false;
        return m;
    }

    /** Back to the mask from before a sigsuspend-like wait, when no handler ran after it. */
    void restoreSavedMask() {
        if (hasSavedMask) {
            blocked = savedMask;
            hasSavedMask = false;
        }
    }

    /** Whether the default action of a signal is to ignore it (SIGCHLD, SIGCONT, SIGURG, SIGWINCH, and the stop signals, which are not supported). */
    static boolean ignoredByDefault(int sig) {
        return sig == 17 || sig == 18 || sig == 19 || sig == 20 || sig == 21 || sig == 22 || sig == 23 || sig == 28;
    }
}
