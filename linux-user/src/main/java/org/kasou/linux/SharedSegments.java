package org.kasou.linux;

/**
 * The SysV shared memory segments of a run (shmget, shmctl), which all its processes see, as the
 * segments of one IPC namespace. A segment's pages are byte arrays of its own, which every
 * attachment maps (AddressSpace#attachSegment), so they outlive the processes that attach them
 * until IPC_RMID and the last detach.
 */
final class SharedSegments {
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
    static final class Segment extends IpcObject {
        final int size, cpid;
        int lpid, attachments;
        long atime, dtime;
        /** Its pages, made at the first attach. */
        private byte[][] pages;
        /** Each page's run-wide shared number, for futexes (AddressSpace's sharedPages). */
        final long[] pageNumbers;

        Segment(int id, int key, int size, int mode, int uid, int gid, int pid) {
            super(id, key, mode, uid, gid);
            this.size = size;
            this.cpid = pid;
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

    private final IpcRegistry<Segment> registry = new IpcRegistry<>();
    /** Pages of the segments that exist now. */
    private long pages;

    /** shmget: the id of the segment of {@code key}, made when IPC_CREAT asks (or the key is IPC_PRIVATE). */
    synchronized int get(int key, long size, int flags, Credentials who, int pid) {
        Segment s = registry.existing(key, flags, who);
        if (s != null) {
            if (size > Integer.toUnsignedLong(s.size)) throw new LinuxError(Errno.EINVAL);
            return s.id;
        }
        if (size < 1 || size > MAX_SIZE) throw new LinuxError(Errno.EINVAL);
        long more = (size + AddressSpace.PAGE - 1) / AddressSpace.PAGE;
        if (pages + more > MAX_PAGES) throw new LinuxError(Errno.ENOSPC);
        s = new Segment(registry.newId(), key, (int) size, flags & 0777, who.uids()[1], who.gids()[1], pid);
        pages += more;
        registry.add(s);
        return s.id;
    }

    /** The segment {@code id}, checked for {@code access} (the low bits of a mode: 4 read, 2 write); EINVAL when there is none. */
    synchronized Segment lookup(int id, int access, Credentials who) {
        return registry.lookup(id, access, who);
    }

    /** An attach of s by process pid (shmat, or a fork's copy of one). */
    synchronized void attached(Segment s, int pid) {
        s.attachments++;
        s.atime = IpcObject.now();
        s.lpid = pid;
    }

    /** A detach of s by process pid (shmdt, or the process's end or execve): gone with its last one once removed. */
    synchronized void detached(Segment s, int pid) {
        s.attachments--;
        s.dtime = IpcObject.now();
        s.lpid = pid;
        if (s.removed && s.attachments <= 0) destroy(s);
    }

    private void destroy(Segment s) {
        registry.forget(s);
        pages -= s.pageCount();
    }

    /** shmctl's IPC_RMID: the key is free at once, the segment goes with its last attachment. */
    synchronized void remove(int id, Credentials who) {
        Segment s = registry.owned(id, who);
        registry.markRemoved(s);
        s.mode |= SHM_DEST;
        if (s.attachments <= 0) destroy(s);
    }

    /** shmctl's IPC_SET: the owner and the permission bits, by the owner, the creator or root. */
    synchronized void set(int id, int uid, int gid, int mode, Credentials who) {
        registry.set(id, uid, gid, mode, who);
    }
}
