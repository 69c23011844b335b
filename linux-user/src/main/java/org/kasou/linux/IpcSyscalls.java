package org.kasou.linux;

/**
 * SysV shared memory: shmget, shmat, shmdt and shmctl, as i386's own calls (395-398) and through
 * the ipc() multiplexer (117), with Linux's checks in Linux's order (ipc/shm.c) on the run's
 * {@link SharedSegments}. Semaphores and message queues are not here (ENOSYS).
 */
final class IpcSyscalls {
    /** ipc()'s calls. */
    private static final int SHMAT = 21, SHMDT = 22, SHMGET = 23, SHMCTL = 24;
    private static final int SHM_RDONLY = 010000, SHM_RND = 020000, SHM_REMAP = 040000, SHM_EXEC = 0100000;
    private static final int SHM_LOCK = 11, SHM_UNLOCK = 12;
    /** SHMLBA on i386: attach addresses are page-aligned. */
    private static final int SHMLBA = AddressSpace.PAGE;

    private final LinuxProcess proc;
    private AddressSpace as;

    IpcSyscalls(LinuxProcess proc) {
        this.proc = proc;
    }

    void setAddressSpace(AddressSpace as) {
        this.as = as;
    }

    private SharedSegments segments() {
        return proc.table.sharedSegments;
    }

    /** The call's result, or null when {@code nr} is not one of these (nor a shared memory call of ipc()). */
    Integer call(int nr, int a, int b, int c, int d, int e) {
        return switch (nr) {
            case 395 -> shmget(a, b, c);
            case 396 -> shmctl(a, b, c);
            case 397 -> shmat(a, b, c);
            case 398 -> shmdt(a);
            case 117 -> ipc(a, b, c, d, e);
            default -> null;
        };
    }

    /** ipc(call, first, second, third, ptr): the shared memory calls; null (ENOSYS) for the others. */
    private Integer ipc(int call, int first, int second, int third, int ptr) {
        int version = call >>> 16;
        return switch (call & 0xFFFF) {
            case SHMAT -> {
                if (version == 1) throw new LinuxError(Errno.EINVAL); // iBCS2's form, which Linux refuses too
                int at = shmat(first, ptr, second);
                as.write32(third, at); // the address goes to *third, the call returns 0
                yield 0;
            }
            case SHMDT -> shmdt(ptr);
            case SHMGET -> shmget(first, second, third);
            case SHMCTL -> shmctl(first, second, ptr);
            default -> null;
        };
    }

    private int shmget(int key, int size, int flags) {
        return segments().get(key, Integer.toUnsignedLong(size), flags, proc.credentials, proc.pid);
    }

    private int shmat(int id, int addr, int flags) {
        if (id < 0) throw new LinuxError(Errno.EINVAL);
        if (addr != 0) {
            if ((addr & (SHMLBA - 1)) != 0) {
                if ((flags & SHM_RND) == 0) throw new LinuxError(Errno.EINVAL);
                addr &= ~(SHMLBA - 1);
                if (addr == 0 && (flags & SHM_REMAP) != 0) throw new LinuxError(Errno.EINVAL);
            }
        } else if ((flags & SHM_REMAP) != 0) {
            throw new LinuxError(Errno.EINVAL);
        }
        int access = (flags & SHM_RDONLY) != 0 ? 4 : 6;
        if ((flags & SHM_EXEC) != 0) access |= 1;
        SharedSegments.Segment seg = segments().lookup(id, access, proc.credentials);
        int protection = AddressSpace.PROT_READ | ((flags & SHM_RDONLY) == 0 ? AddressSpace.PROT_WRITE : 0)
                | ((flags & SHM_EXEC) != 0 ? AddressSpace.PROT_EXEC : 0);
        int span = seg.pageCount() << 12;
        synchronized (as) {
            int at = addr;
            if (at == 0) {
                at = as.findFree(span, AddressSpace.MMAP_TOP);
                if (at == -1) throw new LinuxError(Errno.ENOMEM);
            }
            as.attachSegment(seg, at, protection, (flags & SHM_REMAP) != 0);
            segments().attached(seg, proc.pid);
            return at;
        }
    }

    private int shmdt(int addr) {
        SharedSegments.Segment seg;
        synchronized (as) {
            seg = as.detachSegment(addr);
        }
        segments().detached(seg, proc.pid);
        return 0;
    }

    private int shmctl(int id, int cmd, int buf) {
        if (id < 0) throw new LinuxError(Errno.EINVAL);
        boolean wide = (cmd & SharedSegments.IPC_64) != 0;
        switch (cmd & ~SharedSegments.IPC_64) {
            case SharedSegments.IPC_STAT -> {
                SharedSegments.Segment seg = segments().lookup(id, 4, proc.credentials);
                byte[] image;
                synchronized (segments()) {
                    image = wide ? stat64(seg) : statOld(seg);
                }
                as.write(buf, image);
                return 0;
            }
            case SharedSegments.IPC_SET -> {
                int uid, gid, mode;
                if (wide) {
                    uid = as.read32(buf + 4);
                    gid = as.read32(buf + 8);
                    mode = as.read32(buf + 20) & 0xFFFF;
                } else {
                    uid = as.read32(buf + 4) & 0xFFFF;
                    gid = as.read32(buf + 4) >>> 16;
                    mode = as.read32(buf + 12) & 0xFFFF;
                }
                segments().set(id, uid, gid, mode, proc.credentials);
                return 0;
            }
            case SharedSegments.IPC_RMID -> {
                segments().remove(id, proc.credentials);
                return 0;
            }
            case SHM_LOCK, SHM_UNLOCK -> {
                segments().lookup(id, 0, proc.credentials); // guest memory is never paged out: nothing to lock
                return 0;
            }
            default -> throw new LinuxError(Errno.EINVAL); // IPC_INFO, SHM_INFO, SHM_STAT: not kept
        }
    }

    /** struct shmid64_ds as i386 has it (84 bytes): ipc64_perm, size, the times in halves, pids, attaches. */
    private static byte[] stat64(SharedSegments.Segment s) {
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(84).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        b.putInt(0, s.key).putInt(4, s.uid).putInt(8, s.gid).putInt(12, s.cuid).putInt(16, s.cgid);
        b.putShort(20, (short) s.mode);
        b.putInt(36, s.size);
        b.putInt(40, (int) s.atime).putInt(44, (int) (s.atime >>> 32));
        b.putInt(48, (int) s.dtime).putInt(52, (int) (s.dtime >>> 32));
        b.putInt(56, (int) s.ctime).putInt(60, (int) (s.ctime >>> 32));
        b.putInt(64, s.cpid).putInt(68, s.lpid).putInt(72, s.attachments);
        return b.array();
    }

    /** The old struct shmid_ds (48 bytes), with 16-bit ids, pids and attach count. */
    private static byte[] statOld(SharedSegments.Segment s) {
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(48).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        b.putInt(0, s.key).putShort(4, (short) s.uid).putShort(6, (short) s.gid).putShort(8, (short) s.cuid)
                .putShort(10, (short) s.cgid).putShort(12, (short) s.mode);
        b.putInt(16, s.size).putInt(20, (int) s.atime).putInt(24, (int) s.dtime).putInt(28, (int) s.ctime);
        b.putShort(32, (short) s.cpid).putShort(34, (short) s.lpid).putShort(36, (short) s.attachments);
        return b.array();
    }
}
