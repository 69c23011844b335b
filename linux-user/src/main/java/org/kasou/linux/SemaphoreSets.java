package org.kasou.linux;

import java.util.HashMap;
import java.util.Map;

/**
 * The SysV semaphore sets of a run (semget, semop, semctl), which all its processes see. One lock
 * (this object's monitor) guards every set; a semop that must wait sleeps on it, and every change
 * wakes the sleepers to look again, as Linux's update_queue does for the operations it can
 * complete. SEM_UNDO adjustments are kept per process and applied at its end.
 */
final class SemaphoreSets {
    static final int SEMVMX = 32767, SEMMSL = 32000, SEMOPM = 500;
    static final int SEM_UNDO = 010000;

    /** One set. Its fields change under the registry's lock. */
    static final class SemSet extends IpcObject {
        final int nsems;
        final int[] values, lastPids, waitingForMore, waitingForZero;
        long otime;

        SemSet(int id, int key, int nsems, int mode, int uid, int gid) {
            super(id, key, mode, uid, gid);
            this.nsems = nsems;
            this.values = new int[nsems];
            this.lastPids = new int[nsems];
            this.waitingForMore = new int[nsems];
            this.waitingForZero = new int[nsems];
        }
    }

    /** One operation of a semop: semaphore, change, flags. */
    record Op(int num, int change, int flags) {
    }

    private final IpcRegistry<SemSet> registry = new IpcRegistry<>();
    /** SEM_UNDO adjustments by process, then by set. */
    private final Map<Integer, Map<Integer, int[]>> undo = new HashMap<>();

    /** semget: the id of the set of {@code key}, made when IPC_CREAT asks (or the key is IPC_PRIVATE). */
    synchronized int get(int key, int nsems, int flags, Credentials who) {
        if (nsems < 0 || nsems > SEMMSL) throw new LinuxError(Errno.EINVAL);
        SemSet s = registry.existing(key, flags, who);
        if (s != null) {
            if (nsems > s.nsems) throw new LinuxError(Errno.EINVAL);
            return s.id;
        }
        if (nsems == 0) throw new LinuxError(Errno.EINVAL);
        s = new SemSet(registry.newId(), key, nsems, flags & 0777, who.uids()[1], who.gids()[1]);
        registry.add(s);
        return s.id;
    }

    /** The set {@code id}, checked for {@code access} (4 read, 2 alter, 0 none); EINVAL when there is none. */
    synchronized SemSet lookup(int id, int access, Credentials who) {
        return registry.lookup(id, access, who);
    }

    /**
     * semop and semtimedop: carries out all of {@code ops} at once, or none; waits (until
     * {@code deadline}, a System.nanoTime; Long.MAX_VALUE: no limit) while one cannot proceed,
     * unless it has IPC_NOWAIT (EAGAIN). EINTR when a signal ends the wait, EAGAIN at the
     * deadline, EIDRM when the set is removed meanwhile.
     */
    synchronized int operate(int id, Op[] ops, long deadline, Credentials who, int pid) throws java.io.IOException {
        SemSet s = registry.lookup(id, 0, who);
        boolean alters = false;
        for (Op op : ops) {
            if (op.num() >= s.nsems) throw new LinuxError(Errno.EFBIG);
            alters |= op.change() != 0;
        }
        IpcRegistry.check(s, alters ? 2 : 4, who);
        while (true) {
            if (s.removed) throw new LinuxError(Errno.EIDRM);
            Op blocking = tryAll(s, ops, pid);
            if (blocking == null) {
                notifyAll();
                return 0;
            }
            if ((blocking.flags() & IpcRegistry.IPC_NOWAIT) != 0) throw new LinuxError(Errno.EAGAIN);
            if (deadline != Long.MAX_VALUE && deadline - System.nanoTime() <= 0) throw new LinuxError(Errno.EAGAIN);
            int[] counter = blocking.change() < 0 ? s.waitingForMore : s.waitingForZero;
            counter[blocking.num()]++;
            try {
                IpcRegistry.sleep(this, deadline);
            } finally {
                counter[blocking.num()]--;
            }
        }
    }

    /** Applies ops if all can proceed now and returns null; otherwise changes nothing and returns the first that would wait. */
    private Op tryAll(SemSet s, Op[] ops, int pid) {
        int[] v = s.values.clone();
        for (Op op : ops) {
            int now = v[op.num()];
            if (op.change() == 0) {
                if (now != 0) return op;
            } else if (op.change() < 0 && now + op.change() < 0) {
                return op;
            } else {
                if (now + op.change() > SEMVMX) throw new LinuxError(Errno.ERANGE);
                v[op.num()] = now + op.change();
            }
        }
        System.arraycopy(v, 0, s.values, 0, v.length);
        for (Op op : ops) {
            s.lastPids[op.num()] = pid;
            if ((op.flags() & SEM_UNDO) != 0 && op.change() != 0) {
                undo.computeIfAbsent(pid, k -> new HashMap<>()).computeIfAbsent(s.id, k -> new int[s.nsems])[op.num()] -= op.change();
            }
        }
        s.otime = IpcObject.now();
        return null;
    }

    /** SETVAL: one value (0 to SEMVMX), its adjustments in every process cleared. */
    synchronized void setValue(int id, int num, int value, Credentials who, int pid) {
        SemSet s = lookup(id, 2, who);
        if (num < 0 || num >= s.nsems) throw new LinuxError(Errno.EINVAL);
        if (value < 0 || value > SEMVMX) throw new LinuxError(Errno.ERANGE);
        s.values[num] = value;
        s.lastPids[num] = pid;
        for (Map<Integer, int[]> perSet : undo.values()) {
            int[] adj = perSet.get(id);
            if (adj != null) adj[num] = 0;
        }
        s.ctime = IpcObject.now();
        notifyAll();
    }

    /** SETALL: every value, their adjustments cleared. */
    synchronized void setAll(int id, int[] values, Credentials who, int pid) {
        SemSet s = lookup(id, 2, who);
        for (int v : values) if (v < 0 || v > SEMVMX) throw new LinuxError(Errno.ERANGE);
        System.arraycopy(values, 0, s.values, 0, s.nsems);
        java.util.Arrays.fill(s.lastPids, pid);
        for (Map<Integer, int[]> perSet : undo.values()) perSet.remove(id);
        s.ctime = IpcObject.now();
        notifyAll();
    }

    /** IPC_RMID: gone at once; its waiters get EIDRM. */
    synchronized void remove(int id, Credentials who) {
        SemSet s = registry.owned(id, who);
        registry.markRemoved(s);
        registry.forget(s);
        for (Map<Integer, int[]> perSet : undo.values()) perSet.remove(id);
        notifyAll();
    }

    /** IPC_SET: the owner and the permission bits, by the owner, the creator or root. */
    synchronized void set(int id, int uid, int gid, int mode, Credentials who) {
        registry.set(id, uid, gid, mode, who);
    }

    /** The end of process pid: its SEM_UNDO adjustments applied (each value kept within 0 and SEMVMX), as Linux's exit_sem. */
    synchronized void exited(int pid) {
        Map<Integer, int[]> perSet = undo.remove(pid);
        if (perSet == null) return;
        for (Map.Entry<Integer, int[]> e : perSet.entrySet()) {
            SemSet s = registry.find(e.getKey());
            if (s == null) continue;
            int[] adj = e.getValue();
            for (int i = 0; i < s.nsems; i++) {
                if (adj[i] == 0) continue;
                s.values[i] = Math.max(0, Math.min(SEMVMX, s.values[i] + adj[i]));
                s.lastPids[i] = pid;
            }
        }
        notifyAll();
    }
}
