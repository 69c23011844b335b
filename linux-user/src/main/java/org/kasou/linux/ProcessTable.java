package org.kasou.linux;

import java.util.HashMap;
import java.util.Map;

/**
 * The processes of one run (the first and everything it forks): pids, who is whose parent, and
 * the exit statuses that wait4 collects. Shared by the processes' threads.
 */
final class ProcessTable {
    private static final class Entry {
        final int parent;
        LinuxProcess process;
        boolean exited;
        int waitStatus;

        Entry(int parent) {
            this.parent = parent;
        }
    }

    private final Map<Integer, Entry> entries = new HashMap<>();
    private final java.util.Set<Integer> reported = new java.util.HashSet<>();
    private int nextPid;

    ProcessTable(int firstPid) {
        nextPid = firstPid + 1;
        entries.put(firstPid, new Entry(0));
    }

    /** Whether this is the first time in the run that something (an unimplemented call) is reported. */
    synchronized boolean firstReport(int what) {
        return reported.add(what);
    }

    synchronized int allocatePid(int parent) {
        while (entries.containsKey(nextPid) || tids.contains(nextPid)) nextPid++;
        int pid = nextPid++;
        entries.put(pid, new Entry(parent));
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

    /** A process ended: {@code waitStatus} is what wait4 reports ((code << 8), or the signal). */
    synchronized void exited(int pid, int waitStatus) {
        Entry e = entries.get(pid);
        if (e == null) return;
        e.exited = true;
        e.waitStatus = waitStatus;
        e.process = null;
        notifyAll();
    }

    /** A live process by pid, or null. */
    synchronized LinuxProcess find(int pid) {
        Entry e = entries.get(pid);
        return e == null ? null : e.process;
    }

    /**
     * Waits for a child of {@code parent} ({@code pid} -1: any) to end and reaps it: returns
     * {pid, waitStatus}; null with {@code noHang} when none has ended yet; ECHILD when there is
     * no such child.
     */
    synchronized int[] waitFor(int parent, int pid, boolean noHang) throws InterruptedException {
        while (true) {
            boolean any = false;
            for (Map.Entry<Integer, Entry> me : entries.entrySet()) {
                Entry e = me.getValue();
                if (e.parent != parent || (pid > 0 && me.getKey() != pid)) continue;
                any = true;
                if (e.exited) {
                    entries.remove(me.getKey());
                    return new int[] {me.getKey(), e.waitStatus};
                }
            }
            if (!any) throw new LinuxError(Errno.ECHILD);
            if (noHang) return null;
            wait();
        }
    }
}
