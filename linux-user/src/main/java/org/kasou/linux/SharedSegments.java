package org.kasou.linux;

import java.util.HashMap;
import java.util.Map;

/**
 * The SysV shared memory segments of a run (shmget, shmctl), which all its processes see, as the
 * segments of one IPC namespace. A segment's pages are byte arrays of its own, which every
 * attachment maps (AddressSpace#attachSegment), so they outlive the processes that attach them
 * until IPC_RMID and the last detach.
 */
final class SharedSegments {
    static final int IPC_PRIVATE = 0, IPC_CREAT = 01000, IPC_EXCL = 02000;
    static final int IPC_RMID = 0, IPC_SET = 1, IPC_STAT = 2, IPC_64 = 0x100;
    /** The mode bit Linux shows on a segment marked for removal. */
    static final int SHM_DEST = 01000;
    /** The largest segment: what a 32-bit process can map. */
    static final long MAX_SIZE = 0xC0000000L;
    /**
     * Pages all segments may hold at once (Linux's SHMALL, whose excess is ENOSPC): a quarter of
     * the JVM's heap, at most 1 GiB. A segment's pages are made whole at its first attach, for the
     * processes to share, so this keeps a guest from asking the JVM for more than it has.
     */
    static final long MAX_PAGES = Math.min(1L << 18, Runtime.getRuntime().maxMemory() / 4 / AddressSpace.PAGE);

    /** One segment. Its fields change under the registry's lock. */
    static final class Segment {
        final int id, size, cuid, cgid, cpid;
        int key, uid, gid, mode, lpid, attachments;
        long atime, dtime, ctime;
        boolean removed;
        /** Its pages, made at the first attach. */
        private byte[][] pages;
        /** Each page's run-wide shared number, for futexes (AddressSpace's sharedPages). */
        final long[] pageNumbers;

        Segment(int id, int key, int size, int mode, int uid, int gid, int pid) {
            this.id = id;
            this.key = key;
            this.size = size;
            this.mode = mode;
            this.uid = this.cuid = uid;
            this.gid = this.cgid = gid;
            this.cpid = pid;
            this.ctime = now();
            this.pageNumbers = new long[pageCount()];
            for (int i = 0; i < pageNumbers.length; i++) pageNumbers[i] = AddressSpace.newSharedPageNumber();
        }

        int pageCount() {
            return (int) ((Integer.toUnsignedLong(size) + AddressSpace.PAGE - 1) >>> 12);
        }

        /** Its pages, made now if no one attached it before. */
        synchronized byte[][] pages() {
            if (pages == null) {
                pages = new byte[pageCount()][];
                for (int i = 0; i < pages.length; i++) pages[i] = new byte[AddressSpace.PAGE];
            }
            return pages;
        }
    }

    private final Map<Integer, Segment> byId = new HashMap<>();
    private final Map<Integer, Segment> byKey = new HashMap<>();
    private int nextId;
    /** Pages of the segments that exist now. */
    private long pages;

    static long now() {
        return System.currentTimeMillis() / 1000;
    }

    /** shmget: the id of the segment of {@code key}, made when IPC_CREAT asks (or the key is IPC_PRIVATE). */
    synchronized int get(int key, long size, int flags, Credentials who, int pid) {
        Segment s = key == IPC_PRIVATE ? null : byKey.get(key);
        if (s != null) {
            if ((flags & (IPC_CREAT | IPC_EXCL)) == (IPC_CREAT | IPC_EXCL)) throw new LinuxError(Errno.EEXIST);
            if (size > Integer.toUnsignedLong(s.size)) throw new LinuxError(Errno.EINVAL);
            checkAccess(s, flags, who);
            return s.id;
        }
        if (key != IPC_PRIVATE && (flags & IPC_CREAT) == 0) throw new LinuxError(Errno.ENOENT);
        if (size < 1 || size > MAX_SIZE) throw new LinuxError(Errno.EINVAL);
        long more = (size + AddressSpace.PAGE - 1) / AddressSpace.PAGE;
        if (pages + more > MAX_PAGES) throw new LinuxError(Errno.ENOSPC);
        int[] uids = who.uids(), gids = who.gids();
        s = new Segment(nextId++, key, (int) size, flags & 0777, uids[1], gids[1], pid);
        pages += more;
        byId.put(s.id, s);
        if (key != IPC_PRIVATE) byKey.put(key, s);
        return s.id;
    }

    /** The segment {@code id}, checked for {@code access} (the low bits of a mode: 4 read, 2 write); EINVAL when there is none. */
    synchronized Segment lookup(int id, int access, Credentials who) {
        Segment s = byId.get(id);
        if (s == null) throw new LinuxError(Errno.EINVAL);
        checkAccess(s, access * 0111, who);
        return s;
    }

    /** An attach of s by process pid (shmat, or a fork's copy of one). */
    synchronized void attached(Segment s, int pid) {
        s.attachments++;
        s.atime = now();
        s.lpid = pid;
    }

    /** A detach of s by process pid (shmdt, or the process's end or execve): gone with its last one once removed. */
    synchronized void detached(Segment s, int pid) {
        s.attachments--;
        s.dtime = now();
        s.lpid = pid;
        if (s.removed && s.attachments <= 0) destroy(s);
    }

    private void destroy(Segment s) {
        byId.remove(s.id);
        pages -= s.pageCount();
    }

    /** shmctl's IPC_RMID: the key is free at once, the segment goes with its last attachment. */
    synchronized void remove(int id, Credentials who) {
        Segment s = byId.get(id);
        if (s == null) throw new LinuxError(Errno.EINVAL);
        checkOwner(s, who);
        if (s.key != IPC_PRIVATE && byKey.get(s.key) == s) byKey.remove(s.key);
        s.key = IPC_PRIVATE;
        s.removed = true;
        s.mode |= SHM_DEST;
        s.ctime = now();
        if (s.attachments <= 0) destroy(s);
    }

    /** shmctl's IPC_SET: the owner and the permission bits, by the owner, the creator or root. */
    synchronized void set(int id, int uid, int gid, int mode, Credentials who) {
        Segment s = byId.get(id);
        if (s == null) throw new LinuxError(Errno.EINVAL);
        checkOwner(s, who);
        s.uid = uid;
        s.gid = gid;
        s.mode = (s.mode & ~0777) | (mode & 0777);
        s.ctime = now();
    }

    /** Linux's ipcperms: the bits asked for in {@code flags} (any of the three triples) against the segment's mode. */
    private static void checkAccess(Segment s, int flags, Credentials who) {
        int requested = (flags >> 6 | flags >> 3 | flags) & 7;
        if (requested == 0 || who.privileged()) return;
        int euid = who.uids()[1], egid = who.gids()[1];
        int granted = s.mode;
        if (euid == s.cuid || euid == s.uid) granted >>= 6;
        else if (egid == s.cgid || egid == s.gid) granted >>= 3;
        if ((requested & ~granted & 7) != 0) throw new LinuxError(Errno.EACCES);
    }

    private static void checkOwner(Segment s, Credentials who) {
        int euid = who.uids()[1];
        if (!who.privileged() && euid != s.uid && euid != s.cuid) throw new LinuxError(Errno.EPERM);
    }
}
