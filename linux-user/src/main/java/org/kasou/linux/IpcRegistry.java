package org.kasou.linux;

import java.util.HashMap;
import java.util.Map;

/**
 * The SysV IPC objects of one kind (shared memory segments, semaphore sets) by id and by key, with
 * the rules the *get and *ctl calls share: keys and IPC_CREAT/IPC_EXCL, Linux's ipcperms, the
 * owner's rights. Not synchronized: its owner's lock guards it.
 */
final class IpcRegistry<T extends IpcObject> {
    static final int IPC_PRIVATE = 0, IPC_CREAT = 01000, IPC_EXCL = 02000, IPC_NOWAIT = 04000;
    /** The *ctl commands every kind has, and the flag that asks for the 64-bit structures. */
    static final int IPC_RMID = 0, IPC_SET = 1, IPC_STAT = 2, IPC_64 = 0x100;

    private final Map<Integer, T> byId = new HashMap<>();
    private final Map<Integer, T> byKey = new HashMap<>();
    private int nextId;

    /**
     * The object of {@code key} that a *get may return (null: none, and IPC_CREAT or IPC_PRIVATE
     * asks for a new one): EEXIST with IPC_CREAT | IPC_EXCL, ENOENT without IPC_CREAT, EACCES when
     * the bits {@code flags} asks for are not granted.
     */
    T existing(int key, int flags, Credentials who) {
        T o = key == IPC_PRIVATE ? null : byKey.get(key);
        if (o == null) {
            if (key != IPC_PRIVATE && (flags & IPC_CREAT) == 0) throw new LinuxError(Errno.ENOENT);
            return null;
        }
        if ((flags & (IPC_CREAT | IPC_EXCL)) == (IPC_CREAT | IPC_EXCL)) throw new LinuxError(Errno.EEXIST);
        checkAccess(o, flags, who);
        return o;
    }

    /** The id for a new object. */
    int newId() {
        return nextId++;
    }

    void add(T o) {
        byId.put(o.id, o);
        if (o.key != IPC_PRIVATE) byKey.put(o.key, o);
    }

    /** The object {@code id}, or null. */
    T find(int id) {
        return byId.get(id);
    }

    /** The object {@code id}, checked for {@code access} (4 read, 2 write or alter, 1 execute, 0 none); EINVAL when there is none. */
    T lookup(int id, int access, Credentials who) {
        T o = byId.get(id);
        if (o == null) throw new LinuxError(Errno.EINVAL);
        checkAccess(o, access * 0111, who);
        return o;
    }

    /** The object {@code id} for IPC_SET or IPC_RMID: EINVAL when there is none, EPERM unless who owns or made it or is root. */
    T owned(int id, Credentials who) {
        T o = byId.get(id);
        if (o == null) throw new LinuxError(Errno.EINVAL);
        int euid = who.uids()[1];
        if (!who.privileged() && euid != o.uid && euid != o.cuid) throw new LinuxError(Errno.EPERM);
        return o;
    }

    /** IPC_SET: the owner and the permission bits. */
    void set(int id, int uid, int gid, int mode, Credentials who) {
        T o = owned(id, who);
        o.uid = uid;
        o.gid = gid;
        o.mode = (o.mode & ~0777) | (mode & 0777);
        o.ctime = IpcObject.now();
    }

    /** IPC_RMID's first part: marked removed, its key free for a new object. */
    void markRemoved(T o) {
        if (o.key != IPC_PRIVATE && byKey.get(o.key) == o) byKey.remove(o.key);
        o.key = IPC_PRIVATE;
        o.removed = true;
        o.ctime = IpcObject.now();
    }

    /** The object is gone: its id no longer names it. */
    void forget(T o) {
        byId.remove(o.id);
    }

    /** EACCES unless {@code who} may have {@code access} (4 read, 2 write or alter, 1 execute) to o. */
    static void check(IpcObject o, int access, Credentials who) {
        checkAccess(o, access * 0111, who);
    }

    /**
     * Sleeps on {@code monitor} (held by the caller) until a notify, or until {@code deadline} (a
     * System.nanoTime; Long.MAX_VALUE: none) has passed; a signal ends the sleep with EINTR, as
     * semop, msgsnd and msgrcv are never restarted.
     */
    static void sleep(Object monitor, long deadline) throws java.io.IOException {
        long left = deadline == Long.MAX_VALUE ? 0 : Math.max(1, deadline - System.nanoTime());
        try {
            SignalWaits.await(() -> {
                if (deadline == Long.MAX_VALUE) monitor.wait();
                else monitor.wait(Math.max(1, left / 1_000_000), (int) (left % 1_000_000));
                return null;
            });
        } catch (LinuxError e) {
            if (e.errno == Errno.ERESTARTSYS) throw new LinuxError(Errno.EINTR);
            throw e;
        }
    }

    /**
     * Linux's ipcperms: the bits asked for in {@code flags} (any of the three triples) against the
     * owner's or creator's bits, else the group's, else the others'; root may have anything.
     */
    private static void checkAccess(IpcObject o, int flags, Credentials who) {
        int requested = (flags >> 6 | flags >> 3 | flags) & 7;
        if (requested == 0 || who.privileged()) return;
        int euid = who.uids()[1], egid = who.gids()[1];
        int granted = o.mode;
        if (euid == o.cuid || euid == o.uid) granted >>= 6;
        else if (egid == o.cgid || egid == o.gid) granted >>= 3;
        if ((requested & ~granted & 7) != 0) throw new LinuxError(Errno.EACCES);
    }
}
