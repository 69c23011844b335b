package org.kasou.linux;

/**
 * One guest thread's view of signals: the dispositions (rt_sigaction), which the threads of a
 * process share, and the thread's own blocked mask (rt_sigprocmask), pending signals and
 * alternate stack (sigaltstack). Other threads add pending signals; everything else happens on
 * the guest thread's own thread.
 */
final class SignalState {
    static final int SIG_DFL = 0, SIG_IGN = 1;
    static final int SA_SIGINFO = 4, SA_ONSTACK = 0x08000000, SA_RESTORER = 0x04000000, SA_NODEFER = 0x40000000,
            SA_RESETHAND = 0x80000000;

    /** struct sigaction of rt_sigaction on i386: handler, flags, restorer, mask. */
    record Action(int handler, int flags, int restorer, long mask) {
        static final Action DEFAULT = new Action(SIG_DFL, 0, 0, 0);
    }

    /** Shared by the threads of a process (their SignalStates hold the same array). */
    private final Action[] actions;
    /** Written by the thread itself; read by others choosing a thread for a process-directed signal. */
    volatile long blocked;
    /** The alternate signal stack (sigaltstack): its lowest address and size; size 0 when there is none. */
    int altStackBase, altStackSize;
    private final java.util.concurrent.atomic.AtomicLong pending = new java.util.concurrent.atomic.AtomicLong();

    SignalState() {
        actions = new Action[65];
        java.util.Arrays.fill(actions, Action.DEFAULT);
    }

    /**
     * A new thread's (with {@code shareActions}: the dispositions stay shared with {@code parent}'s
     * threads) or a child process's (a copy of them): the mask is inherited, nothing is pending and
     * there is no alternate stack for a thread (a forked child keeps it, as in Linux).
     */
    SignalState(SignalState parent, boolean shareActions) {
        actions = shareActions ? parent.actions : parent.actions.clone();
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

    /** execve: handled signals return to their default action; ignored ones stay ignored. */
    void resetHandlers() {
        altStackSize = 0;
        for (int i = 1; i < actions.length; i++) {
            if (actions[i].handler() != SIG_IGN) actions[i] = Action.DEFAULT;
        }
    }

    void raise(int sig) {
        pending.getAndUpdate(p -> p | 1L << (sig - 1));
    }

    /** Takes the lowest pending signal that is not blocked, or returns 0. */
    int take() {
        while (true) {
            long p = pending.get();
            long ready = p & ~blocked;
            if (ready == 0) return 0;
            int sig = Long.numberOfTrailingZeros(ready) + 1;
            if (pending.compareAndSet(p, p & ~(1L << (sig - 1)))) return sig;
        }
    }

    /** Whether the default action of a signal is to ignore it (SIGCHLD, SIGCONT, SIGURG, SIGWINCH, and the stop signals, which are not supported). */
    static boolean ignoredByDefault(int sig) {
        return sig == 17 || sig == 18 || sig == 19 || sig == 20 || sig == 21 || sig == 22 || sig == 23 || sig == 28;
    }
}
