package org.kasou.linux;

/**
 * SysV IPC: shared memory (shmget, shmat, shmdt, shmctl: 395-398), semaphores (semget, semctl,
 * semtimedop_time64: 393, 394, 420) and message queues (msgget, msgsnd, msgrcv, msgctl: 399-402),
 * as i386's own calls and through the ipc() multiplexer (117), with Linux's checks in Linux's order
 * (ipc/shm.c, ipc/sem.c, ipc/msg.c) on the run's {@link SharedSegments}, {@link SemaphoreSets}
 * and {@link MessageQueues}.
 */
final class IpcSyscalls {
    /** ipc()'s calls. */
    private static final int SEMOP = 1, SEMGET = 2, SEMCTL = 3, SEMTIMEDOP = 4, MSGSND = 11, MSGRCV = 12, MSGGET = 13, MSGCTL = 14,
            SHMAT = 21, SHMDT = 22, SHMGET = 23, SHMCTL = 24;
    /** semctl's commands besides IPC_RMID, IPC_SET and IPC_STAT. */
    private static final int GETPID = 11, GETVAL = 12, GETALL = 13, GETNCNT = 14, GETZCNT = 15, SETVAL = 16, SETALL = 17;
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

    private SemaphoreSets semaphores() {
        return proc.table.semaphores;
    }

    private MessageQueues queues() {
        return proc.table.messageQueues;
    }

    /** The call's result, or null when {@code nr} is not one of these (nor one of their calls through ipc()). */
    Integer call(int nr, int a, int b, int c, int d, int e, int f) throws java.io.IOException {
        return switch (nr) {
            case 393 -> semaphores().get(a, b, c, proc.credentials);
            case 394 -> semctl(a, b, c, d);
            case 420 -> semtimedop(a, b, c, d, true);
            case 399 -> queues().get(a, b, proc.credentials);
            case 400 -> msgsnd(a, b, c, d);
            case 401 -> msgrcv(a, b, c, d, e);
            case 402 -> msgctl(a, b, c);
            case 395 -> shmget(a, b, c);
            case 396 -> shmctl(a, b, c);
            case 397 -> shmat(a, b, c);
            case 398 -> shmdt(a);
            case 117 -> ipc(a, b, c, d, e, f);
            default -> null;
        };
    }

    /** ipc(call, first, second, third, ptr, fifth): the shared memory, semaphore and message queue calls; null (ENOSYS) for others. */
    private Integer ipc(int call, int first, int second, int third, int ptr, int fifth) throws java.io.IOException {
        int version = call >>> 16;
        return switch (call & 0xFFFF) {
            case SEMOP -> semtimedop(first, ptr, second, 0, false);
            case SEMTIMEDOP -> semtimedop(first, ptr, second, fifth, false);
            case SEMGET -> semaphores().get(first, second, third, proc.credentials);
            case MSGSND -> msgsnd(first, ptr, second, third);
            case MSGRCV -> {
                if (version == 0) { // ptr holds struct ipc_kludge: the buffer and the type
                    if (ptr == 0) throw new LinuxError(Errno.EINVAL);
                    yield msgrcv(first, as.read32(ptr), second, as.read32(ptr + 4), third);
                }
                yield msgrcv(first, ptr, second, fifth, third);
            }
            case MSGGET -> queues().get(first, second, proc.credentials);
            case MSGCTL -> msgctl(first, second, ptr);
            case SEMCTL -> {
                if (ptr == 0) throw new LinuxError(Errno.EINVAL);
                yield semctl(first, second, third, as.read32(ptr)); // the union semun, through a pointer here
            }
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
        boolean wide = (cmd & IpcRegistry.IPC_64) != 0;
        switch (cmd & ~IpcRegistry.IPC_64) {
            case IpcRegistry.IPC_STAT -> {
                return stat(segments(), () -> {
                    SharedSegments.Segment seg = segments().lookup(id, 4, proc.credentials);
                    return wide ? IpcStructs.segment64(seg) : IpcStructs.segmentOld(seg);
                }, buf);
            }
            case IpcRegistry.IPC_SET -> {
                IpcStructs.Permissions p = IpcStructs.permissions(as, buf, wide);
                segments().set(id, p.uid(), p.gid(), p.mode(), proc.credentials);
                return 0;
            }
            case IpcRegistry.IPC_RMID -> {
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

    /**
     * semtimedop (and semop: no timeout): the struct sembuf array (6 bytes each: number, change,
     * flags) all at once, waiting as long as {@code timeout} says (a timespec, 64-bit for time64).
     */
    private int semtimedop(int id, int sops, int nsops, int timeout, boolean time64) throws java.io.IOException {
        if (nsops < 1 || id < 0) throw new LinuxError(Errno.EINVAL);
        if (nsops > SemaphoreSets.SEMOPM) throw new LinuxError(Errno.E2BIG);
        byte[] raw = new byte[nsops * 6];
        as.read(sops, raw, 0, raw.length);
        java.nio.ByteBuffer b = java.nio.ByteBuffer.wrap(raw).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        SemaphoreSets.Op[] ops = new SemaphoreSets.Op[nsops];
        for (int i = 0; i < nsops; i++) ops[i] = new SemaphoreSets.Op(b.getShort(i * 6) & 0xFFFF, b.getShort(i * 6 + 2), b.getShort(i * 6 + 4));
        long deadline = Long.MAX_VALUE;
        if (timeout != 0) {
            long n = Timespecs.nanos(as, timeout, time64);
            deadline = System.nanoTime() + Math.min(n, Long.MAX_VALUE / 4);
        }
        return semaphores().operate(id, ops, deadline, proc.credentials, proc.pid);
    }

    private int semctl(int id, int num, int cmd, int arg) {
        if (id < 0) throw new LinuxError(Errno.EINVAL);
        boolean wide = (cmd & IpcRegistry.IPC_64) != 0;
        SemaphoreSets sets = semaphores();
        switch (cmd & ~IpcRegistry.IPC_64) {
            case IpcRegistry.IPC_STAT -> {
                return stat(sets, () -> {
                    SemaphoreSets.SemSet s = sets.lookup(id, 4, proc.credentials);
                    return wide ? IpcStructs.set64(s) : IpcStructs.setOld(s);
                }, arg);
            }
            case GETVAL, GETPID, GETNCNT, GETZCNT -> {
                synchronized (sets) {
                    SemaphoreSets.SemSet s = sets.lookup(id, 4, proc.credentials);
                    if (num < 0 || num >= s.nsems) throw new LinuxError(Errno.EINVAL);
                    return switch (cmd & ~IpcRegistry.IPC_64) {
                        case GETVAL -> s.values[num];
                        case GETPID -> s.lastPids[num];
                        case GETNCNT -> s.waitingForMore[num];
                        default -> s.waitingForZero[num];
                    };
                }
            }
            case GETALL -> {
                byte[] image;
                synchronized (sets) {
                    SemaphoreSets.SemSet s = sets.lookup(id, 4, proc.credentials);
                    java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(2 * s.nsems).order(java.nio.ByteOrder.LITTLE_ENDIAN);
                    for (int v : s.values) b.putShort((short) v);
                    image = b.array();
                }
                as.write(arg, image);
                return 0;
            }
            case SETVAL -> {
                sets.setValue(id, num, arg, proc.credentials, proc.pid);
                return 0;
            }
            case SETALL -> {
                int n = sets.lookup(id, 2, proc.credentials).nsems;
                byte[] raw = new byte[2 * n];
                as.read(arg, raw, 0, raw.length);
                int[] values = new int[n];
                for (int i = 0; i < n; i++) values[i] = (raw[2 * i] & 0xFF) | (raw[2 * i + 1] & 0xFF) << 8;
                sets.setAll(id, values, proc.credentials, proc.pid);
                return 0;
            }
            case IpcRegistry.IPC_SET -> {
                IpcStructs.Permissions p = IpcStructs.permissions(as, arg, wide);
                sets.set(id, p.uid(), p.gid(), p.mode(), proc.credentials);
                return 0;
            }
            case IpcRegistry.IPC_RMID -> {
                sets.remove(id, proc.credentials);
                return 0;
            }
            default -> throw new LinuxError(Errno.EINVAL); // IPC_INFO, SEM_INFO, SEM_STAT: not kept
        }
    }

    /** msgsnd: the message at {@code msgp} (a long type, then {@code size} bytes of text). */
    private int msgsnd(int id, int msgp, int size, int flags) throws java.io.IOException {
        if (Integer.compareUnsigned(size, MessageQueues.MSGMAX) > 0 || id < 0) throw new LinuxError(Errno.EINVAL);
        int type = as.read32(msgp);
        if (type < 1) throw new LinuxError(Errno.EINVAL);
        byte[] text = new byte[size];
        as.read(msgp + 4, text, 0, size);
        queues().send(id, new MessageQueues.Message(type, text), flags, proc.credentials, proc.pid);
        return 0;
    }

    /** msgrcv: a message into {@code msgp} (its type, then at most {@code max} bytes of text); returns the text's length. */
    private int msgrcv(int id, int msgp, int max, int type, int flags) throws java.io.IOException {
        if (id < 0 || max < 0 || (flags & MessageQueues.MSG_COPY) != 0) throw new LinuxError(Errno.EINVAL);
        MessageQueues.Message m = queues().receive(id, max, type, flags, proc.credentials, proc.pid);
        byte[] out = new byte[4 + m.text().length];
        java.nio.ByteBuffer.wrap(out).order(java.nio.ByteOrder.LITTLE_ENDIAN).putInt(0, m.type());
        System.arraycopy(m.text(), 0, out, 4, m.text().length);
        as.write(msgp, out);
        return m.text().length;
    }

    private int msgctl(int id, int cmd, int buf) {
        if (id < 0) throw new LinuxError(Errno.EINVAL);
        boolean wide = (cmd & IpcRegistry.IPC_64) != 0;
        MessageQueues qs = queues();
        switch (cmd & ~IpcRegistry.IPC_64) {
            case IpcRegistry.IPC_STAT -> {
                return stat(qs, () -> {
                    MessageQueues.Queue q = qs.lookup(id, 4, proc.credentials);
                    return wide ? IpcStructs.queue64(q) : IpcStructs.queueOld(q);
                }, buf);
            }
            case IpcRegistry.IPC_SET -> {
                IpcStructs.Permissions p = IpcStructs.permissions(as, buf, wide);
                qs.set(id, p.uid(), p.gid(), p.mode(), IpcStructs.queueLimit(as, buf, wide), proc.credentials);
                return 0;
            }
            case IpcRegistry.IPC_RMID -> {
                qs.remove(id, proc.credentials);
                return 0;
            }
            default -> throw new LinuxError(Errno.EINVAL); // IPC_INFO, MSG_INFO, MSG_STAT: not kept
        }
    }

    /** IPC_STAT: the structure {@code image} makes under {@code registry}'s lock, written to {@code buf}. */
    private int stat(Object registry, java.util.function.Supplier<byte[]> image, int buf) {
        byte[] bytes;
        synchronized (registry) {
            bytes = image.get();
        }
        as.write(buf, bytes);
        return 0;
    }
}
