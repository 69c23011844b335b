package org.kasou.linux;

/**
 * A process's signal dispositions (rt_sigaction), blocked mask (rt_sigprocmask) and pending
 * signals. Other processes' threads add pending signals; everything else happens on the
 * process's own thread.
 */
final class SignalState {
    static final int SIG_DFL = 0, SIG_IGN = 1;
    static final int SA_SIGINFO = 4, SA_RESTORER = 0x04000000, SA_NODEFER = 0x40000000, SA_RESETHAND = 0x80000000;

    /** struct sigaction of rt_sigaction on i386: handler, flags, restorer, mask. */
    record Action(int handler, int flags, int restorer, long mask) {
        static final Action DEFAULT = new Action(SIG_DFL, 0, 0, 0);
    }

    private final Action[] actions = new Action[65];
    long blocked;
    private final java.util.concurrent.atomic.AtomicLong pending = new java.util.concurrent.atomic.AtomicLong();

    SignalState() {
        java.util.Arrays.fill(actions, Action.DEFAULT);
    }

    /** A child's copy (fork): dispositions and mask, nothing pending. */
    SignalState(SignalState parent) {
        System.arraycopy(parent.actions, 0, actions, 0, actions.length);
        blocked = parent.blocked;
    }

    Action action(int sig) {
        return actions[sig];
    }

    void setAction(int sig, Action a) {
        actions[sig] = a;
    }

    /** execve: handled signals return to their default action; ignored ones stay ignored. */
    void resetHandlers() {
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
