package org.kasou.linux;

/**
 * A process's scheduling settings as Linux keeps them: its nice value (-20 to 19) and policy
 * (SCHED_OTHER, SCHED_BATCH or SCHED_IDLE; the real-time ones need privilege). They change
 * nothing in how kasou runs the process; programs read back what they set, and a fork's child
 * starts with its parent's. The first process starts with kasou's own nice value, as it would
 * natively.
 */
final class Scheduling {
    static final int MIN_NICE = -20, MAX_NICE = 19;
    static final int SCHED_OTHER = 0, SCHED_FIFO = 1, SCHED_RR = 2, SCHED_BATCH = 3, SCHED_IDLE = 5;

    private int nice;
    private int policy = SCHED_OTHER;

    private Scheduling(int nice) {
        this.nice = nice;
    }

    /** The settings of a first process: the host process's nice value. */
    static Scheduling ofHost() {
        return new Scheduling(Math.max(MIN_NICE, Math.min(MAX_NICE, HostFacts.nice())));
    }

    /** A fork's child: the parent's settings. */
    synchronized Scheduling copy() {
        Scheduling s = new Scheduling(nice);
        s.policy = policy;
        return s;
    }

    synchronized int nice() {
        return nice;
    }

    /** Sets the nice value, clamped to its range; EACCES when it would lower it without privilege. */
    synchronized void setNice(int value, boolean privileged) {
        int v = Math.max(MIN_NICE, Math.min(MAX_NICE, value));
        if (v < nice && !privileged) throw new LinuxError(Errno.EACCES);
        nice = v;
    }

    synchronized int policy() {
        return policy;
    }

    synchronized void setPolicy(int p) {
        policy = p;
    }
}
