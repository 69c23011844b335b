package org.kasou.linux;

import java.util.HashMap;
import java.util.Map;

/**
 * The processes of one run (the first and everything it forks): pids, who is whose parent,
 * process groups and sessions, and the exit statuses and CPU times that wait4 collects. Shared
 * by the processes' threads.
 */
final class ProcessTable {
    private static final class Entry {
        final int parent;
        LinuxProcess process;
        boolean exited;
        int waitStatus;
        int pgid, sid;
        /** Whether it ran execve (its parent can no longer move it to another group). */
        boolean execed;
        /** User and system CPU nanoseconds of the process and of the children it reaped, once it exited. */
        long user, system;

        Entry(int parent, int pgid, int sid) {
            this.parent = parent;
            this.pgid = pgid;
            this.sid = sid;
        }
    }

    /** A child that wait4 reaped: its pid, wait status and CPU times (its reaped children's included). */
    record Reaped(int pid, int status, long user, long system) {
    }

    private final Map<Integer, Entry> entries = new HashMap<>();
    /** The futexes of shared memory, which processes that share a page wait on together. */
    final Futexes sharedFutexes = new Futexes();
    /** The run's SysV shared memory segments. */
    final SharedSegments sharedSegments = new SharedSegments();
    /** The run's SysV semaphore sets. */
    final SemaphoreSets semaphores = new SemaphoreSets();
    /** The run's SysV message queues. */
    final MessageQueues messageQueues = new MessageQueues();
    /** System calls in the run that failed inside kasou (a Java exception no handler foresaw; the guest got EINVAL). */
    final java.util.concurrent.atomic.AtomicInteger internalErrors = new java.util.concurrent.atomic.AtomicInteger();
    private final java.util.Set<Integer> reported = new java.util.HashSet<>();
    private int nextPid;

    /** A table whose first process, {@code firstPid}, is in process group {@code pgid} of session {@code sid}. */
    ProcessTable(int firstPid, int pgid, int sid) {
        nextPid = firstPid + 1;
        entries.put(firstPid, new Entry(0, pgid, sid));
    }

    /** Whether this is the first time in the run that something (an unimplemented call) is reported. */
    synchronized boolean firstReport(int what) {
        return reported.add(what);
    }

    synchronized int allocatePid(int parent) {
        while (entries.containsKey(nextPid) || tids.contains(nextPid)) nextPid++;
        int pid = nextPid++;
        Entry p = entries.get(parent);
        entries.put(pid, new Entry(parent, p == null ? parent : p.pgid, p == null ? parent : p.sid)); // the parent's group and session
        return pid;
    }

    /** Thread ids in use (beyond each process's first thread, whose tid is its pid): never handed out as pids. */
    private final java.util.Set<Integer> tids = new java.util.HashSet<>();

    /** A number for a new thread, from the same sequence as pids. */
    synchronized int allocateTid() {
        while (entries.containsKey(nextPid) || tids.contains(nextPid)) nextPid++;
        int tid = nextPid++;
        tids.add(tid);
        return tid;
    }

    synchronized void releaseTid(int tid) {
        tids.remove(tid);
    }

    synchronized void started(int pid, LinuxProcess p) {
        entries.get(pid).process = p;
    }

    /**
     * A process ended: {@code waitStatus} is what wait4 reports ((code << 8), or the signal); user
     * and system CPU nanoseconds. It stays for its parent's wait unless {@code autoReap} (its
     * parent ignores SIGCHLD) or it is an orphan (its parent ended: Linux's init would reap it);
     * its own ended children, which nobody can wait for now, go too.
     */
    synchronized void exited(int pid, int waitStatus, long user, long system, boolean autoReap, Runnable tellParent) {
        Entry e = entries.get(pid);
        if (e == null) return;
        entries.values().removeIf(c -> c.parent == pid && c.exited);
        Entry parent = entries.get(e.parent);
        if (autoReap || (e.parent != 0 && (parent == null || parent.exited))) {
            entries.remove(pid);
            tellParent.run();
            notifyAll(); // a wait for this child now finds none: ECHILD once no other is left
            return;
        }
        e.exited = true;
        e.waitStatus = waitStatus;
        e.user = user;
        e.system = system;
        e.process = null;
        // As Linux's exit_notify: the exit signal is pending by the time a wait finds the child
        // ended, and a handler's waitpid finds it ended.
        tellParent.run();
        notifyAll();
    }

    /** Whether process {@code pid} has ended: waiting to be reaped, or gone. */
    synchronized boolean ended(int pid) {
        Entry e = entries.get(pid);
        return e == null || e.exited;
    }

    /** Whether {@code pid} is a process of the run, live or waiting to be reaped. */
    synchronized boolean exists(int pid) {
        return entries.containsKey(pid);
    }

    /** A live process by pid, or null. */
    synchronized LinuxProcess find(int pid) {
        Entry e = entries.get(pid);
        return e == null ? null : e.process;
    }

    /**
     * Waits for a child of {@code parent} to end and reaps it: {@code pid} > 0 that child, -1
     * any, 0 one in the caller's process group, below -1 one in group -pid. Returns null with
     * {@code noHang} when none has ended yet; ECHILD when there is no such child.
     */
    synchronized Reaped waitFor(int parent, int pid, boolean noHang) throws InterruptedException {
        return waitFor(parent, pid, noHang, true, true);
    }

    /**
     * {@link #waitFor(int, int, boolean)} as waitid has it: {@code exits} false when the caller
     * asked only for stops and continues (which no process here makes, so none is ever found),
     * {@code reap} false (WNOWAIT) to leave the child waitable.
     */
    synchronized Reaped waitFor(int parent, int pid, boolean noHang, boolean exits, boolean reap) throws InterruptedException {
        int group = pid == 0 ? entries.get(parent).pgid : -pid;
        while (true) {
            boolean any = false;
            for (Map.Entry<Integer, Entry> me : entries.entrySet()) {
                Entry e = me.getValue();
                if (e.parent != parent) continue;
                if (pid > 0 ? me.getKey() != pid : pid != -1 && e.pgid != group) continue;
                any = true;
                if (e.exited && exits) {
                    if (reap) entries.remove(me.getKey());
                    return new Reaped(me.getKey(), e.waitStatus, e.user, e.system);
                }
            }
            if (!any) throw new LinuxError(Errno.ECHILD);
            if (noHang) return null;
            wait();
        }
    }

    // ------------------------------------------------------------------------------------------
    // Process groups and sessions (Linux's rules of kernel/sys.c).

    private Entry entry(int pid) {
        Entry e = entries.get(pid);
        if (e == null) throw new LinuxError(Errno.ESRCH);
        return e;
    }

    synchronized int pgid(int pid) {
        return entry(pid).pgid;
    }

    synchronized int sid(int pid) {
        return entry(pid).sid;
    }

    /** execve: the parent may no longer move the process to another group. */
    synchronized void execed(int pid) {
        Entry e = entries.get(pid);
        if (e != null) e.execed = true;
    }

    /**
     * setpgid by {@code caller} for itself or a child of its session that has not run execve
     * (ESRCH, EPERM, EACCES), not a session leader (EPERM), into a new group of its own or an
     * existing group of the caller's session (EPERM).
     */
    synchronized void setpgid(int caller, int pid, int pgid) {
        if (pgid < 0) throw new LinuxError(Errno.EINVAL);
        if (pid == 0) pid = caller;
        if (pgid == 0) pgid = pid;
        Entry self = entry(caller), target = entries.get(pid);
        if (target == null || (target.exited && pid != caller)) throw new LinuxError(Errno.ESRCH);
        if (pid != caller) {
            if (target.parent != caller) throw new LinuxError(Errno.ESRCH);
            if (target.sid != self.sid) throw new LinuxError(Errno.EPERM);
            if (target.execed) throw new LinuxError(Errno.EACCES);
        }
        if (target.sid == pid) throw new LinuxError(Errno.EPERM); // a session leader stays where it is
        if (pgid != pid && !groupInSession(pgid, self.sid)) throw new LinuxError(Errno.EPERM);
        target.pgid = pgid;
    }

    /** setsid: a new session and group led by {@code caller}, unless a group with its id exists already (EPERM). */
    synchronized int setsid(int caller) {
        Entry self = entry(caller);
        for (Entry e : entries.values()) {
            if (!e.exited && e.pgid == caller) throw new LinuxError(Errno.EPERM);
        }
        self.sid = caller;
        self.pgid = caller;
        return caller;
    }

    private boolean groupInSession(int pgid, int sid) {
        for (Entry e : entries.values()) {
            if (!e.exited && e.pgid == pgid && e.sid == sid) return true;
        }
        return false;
    }

    /** Whether some live process is in group {@code pgid}. */
    synchronized boolean groupExists(int pgid) {
        for (Entry e : entries.values()) {
            if (!e.exited && e.pgid == pgid) return true;
        }
        return false;
    }

    /** The live processes of group {@code pgid} ({@code pgid} -1: every live process). */
    synchronized java.util.List<LinuxProcess> members(int pgid) {
        java.util.List<LinuxProcess> out = new java.util.ArrayList<>();
        for (Entry e : entries.values()) {
            if (e.process != null && (pgid == -1 || e.pgid == pgid)) out.add(e.process);
        }
        return out;
    }
}
