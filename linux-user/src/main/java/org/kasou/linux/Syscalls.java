package org.kasou.linux;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Linux i386 system calls by number (arch/x86/entry/syscalls/syscall_32.tbl), with their
 * arguments in EBX, ECX, EDX, ESI, EDI, EBP. Files go to {@link FileSyscalls}; memory, time,
 * identity and the rest are here. Unknown calls return -ENOSYS and are logged once each.
 */
final class Syscalls {
    private static final Logger LOG = LoggerFactory.getLogger(Syscalls.class);
    private static final int MAP_SHARED = 1, MAP_FIXED = 0x10, MAP_ANONYMOUS = 0x20, MAP_FIXED_NOREPLACE = 0x100000;
    private static final int MREMAP_MAYMOVE = 1, MREMAP_FIXED = 2;

    /** Thrown by exit (the calling thread ends) and exit_group (the whole process ends) with this status. */
    static final class Exit extends RuntimeException {
        final int status;
        final boolean group;

        Exit(int status, boolean group) {
            super(null, null, false, false);
            this.status = status;
            this.group = group;
        }
    }

    private static final int SS_AUTODISARM = 1 << 31, MINSIGSTKSZ = 2048;

    private final LinuxProcess proc;
    /** The thread whose system calls these are. */
    private final GuestThread self;
    private AddressSpace as;
    private final FileSyscalls files;
    private final ReadinessSyscalls readiness;
    private final TimeSyscalls time;
    private final SignalSyscalls signalCalls;
    private final IdentitySyscalls identity;
    private final SocketSyscalls sockets;
    private final XattrSyscalls xattrs;
    private final SchedulingSyscalls scheduling;
    private final IpcSyscalls ipc;
    private final SecureRandom random = new SecureRandom();
    final SignalState signals;

    Syscalls(LinuxProcess proc, GuestThread self, FileSyscalls files) {
        this.proc = proc;
        this.self = self;
        this.files = files;
        this.readiness = new ReadinessSyscalls(files, self.signals);
        this.time = new TimeSyscalls(proc, self);
        this.signalCalls = new SignalSyscalls(self);
        this.identity = new IdentitySyscalls(proc.credentials);
        this.sockets = new SocketSyscalls(files, self);
        this.xattrs = new XattrSyscalls(files);
        this.scheduling = new SchedulingSyscalls(proc);
        this.ipc = new IpcSyscalls(proc);
        this.signals = self.signals;
    }

    void setAddressSpace(AddressSpace as) {
        this.as = as;
        readiness.setAddressSpace(as);
        time.setAddressSpace(as);
        signalCalls.setAddressSpace(as);
        identity.setAddressSpace(as);
        sockets.setAddressSpace(as);
        xattrs.setAddressSpace(as);
        scheduling.setAddressSpace(as);
        ipc.setAddressSpace(as);
    }

    /** execve: handled signals go back to their default action; ignored ones stay ignored. */
    void resetHandlers() {
        signals.resetHandlers();
    }

    /** The calls whose EFBIG is RLIMIT_FSIZE's (write, writev, pwrite64, pwritev, pwritev2, sendfile, the truncates): SIGXFSZ with it. */
    private static final java.util.Set<Integer> FILE_SIZE_CALLS = java.util.Set.of(4, 146, 181, 334, 379, 187, 239, 92, 93, 193, 194);

    /** Carries out system call {@code nr} and returns EAX: the result, or -errno. */
    int call(int nr, int a, int b, int c, int d, int e, int f) {
        if (LOG.isTraceEnabled()) {
            LOG.trace("{}: system call {}({}, {}, {}, {}, {}, {})", proc.pid, nr, Integer.toHexString(a), Integer.toHexString(b),
                    Integer.toHexString(c), Integer.toHexString(d), Integer.toHexString(e), Integer.toHexString(f));
        }
        try {
            return dispatch(nr, a, b, c, d, e, f);
        } catch (LinuxError err) {
            if (err.errno == Errno.EPIPE && (nr == 4 || nr == 146 || nr == 181)) self.raise(Signals.SIGPIPE, SignalState.Info.KERNEL);
            if (err.errno == Errno.EFBIG && FILE_SIZE_CALLS.contains(nr)) self.raise(Signals.SIGXFSZ, SignalState.Info.KERNEL);
            return err.done > 0 ? err.done : -err.errno; // some bytes went before the error: their count
        } catch (IOException err) {
            return -Errno.of(err);
        } catch (UnsupportedOperationException | SecurityException | IllegalArgumentException err) {
            return -Errno.EINVAL;
        } catch (Exit | LinuxProcess.Killed flow) {
            throw flow;
        } catch (RuntimeException err) {
            // A case the handler did not foresee: the guest gets an error, the emulator carries on.
            proc.table.internalErrors.incrementAndGet();
            LOG.warn("system call {} failed in kasou: {}", nr, err.toString());
            return -Errno.EINVAL;
        }
    }

    private int dispatch(int nr, int a, int b, int c, int d, int e, int f) throws IOException {
        final int cwd = FileSyscalls.AT_FDCWD;
        Integer id = identity.call(nr, a, b, c);
        if (id != null) return id;
        Integer sched = scheduling.call(nr, a, b, c);
        if (sched != null) return sched;
        Integer sysv = ipc.call(nr, a, b, c, d, e, f);
        if (sysv != null) return sysv;
        switch (nr) {
            case 1: throw new Exit(a & 0xFF, false);                   // exit: this thread
            case 252: throw new Exit(a & 0xFF, true);                  // exit_group
            case 2, 190: return proc.fork(self, 0, 0, Signals.SIGCHLD); // fork, vfork (a copy either way)
            case 3: return files.read(a, b, c);
            case 4: return files.write(a, b, c);
            case 5: return files.openat(cwd, a, b, c);                 // open
            case 6: return files.close(a);
            case 7: return wait4(a, b, c, 0);                          // waitpid
            case 11: return execve(a, b, c);
            case 9: return files.link(cwd, a, cwd, b);
            case 10: return files.unlink(cwd, a, 0);
            case 12: return files.chdir(a);
            case 13: return time.time(a);
            case 15: return files.chmod(cwd, a, b);
            case 19: return (int) files.seek(a, b, c);                 // lseek: a 32-bit offset
            case 20: return proc.pid;                                  // getpid: the thread group's id
            case 224: return self.tid;                                 // gettid
            case 33: return files.access(cwd, a, b);
            case 37: return kill(a, b);
            case 38: return files.rename(cwd, a, cwd, b);
            case 39: return files.mkdir(cwd, a, b);
            case 40: return files.unlink(cwd, a, FileSyscalls.AT_REMOVEDIR);
            case 41: return files.dup(a, 0, false);
            case 42: return files.pipe(a, 0);
            case 43: return time.times(a);
            case 27: return time.alarm(a);
            case 77: return time.getrusage(a, b);
            case 104: return time.setitimer(a, b, c);
            case 105: return time.getitimer(a, b);
            case 45: synchronized (as) { return brk(a); }
            case 54: return files.ioctl(a, b, c);
            case 60: return files.umask(a);
            case 63: return files.dup2(a, b, 0);
            case 64: return proc.parentPid();
            case 114: return wait4(a, b, c, d);
            case 284: return waitid(a, b, c, d, e);
            case 120: return clone(a, b, c, d, e);
            case 435: return clone3(a, b);
            case 65: return proc.table.pgid(proc.pid);                 // getpgrp
            case 132: return proc.table.pgid(a == 0 ? proc.pid : a);   // getpgid
            case 147: return proc.table.sid(a == 0 ? proc.pid : a);    // getsid
            case 57: proc.table.setpgid(proc.pid, a, b); return 0;
            case 66: return proc.table.setsid(proc.pid);
            case 76: return getrlimit(a, b, 0x7FFFFFFFL);              // getrlimit: the old call's infinity
            case 191: return getrlimit(a, b, 0xFFFFFFFFL);             // ugetrlimit
            case 75: return setrlimit(a, b);
            case 78: return time.gettimeofday(a, b);
            case 83: return files.symlink(a, cwd, b);
            case 85: return files.readlink(cwd, a, b, c);
            case 90: synchronized (as) { return oldMmap(a); }
            case 91: synchronized (as) { return munmap(a, b); }
            case 144: return msync(a, b, c);
            case 94: return files.fchmod(a, b);
            case 116: return sysinfo(a);
            case 118, 148: files.file(a); return 0;                    // fsync, fdatasync
            case 122: return uname(a);
            case 125: synchronized (as) { return mprotect(a, b, c); }
            case 133: return files.fchdir(a);
            case 140: return llseek(a, b, c, d, e);
            case 145: return files.vector(a, b, c, false);
            case 146: return files.vector(a, b, c, true);
            case 333: return files.vectorAt(a, b, c, pair(d, e), false); // preadv
            case 334: return files.vectorAt(a, b, c, pair(d, e), true);  // pwritev
            case 378: return files.vectorWithFlags(a, b, c, pair(d, e), f, false); // preadv2
            case 379: return files.vectorWithFlags(a, b, c, pair(d, e), f, true);  // pwritev2
            case 162: return time.nanosleep(a, b, false);
            case 29: return signalCalls.pause();
            case 72: return signalCalls.sigsuspend(c);
            case 73: return signalCalls.sigpending(a);
            case 126: return signalCalls.sigprocmask(a, b, c);
            case 176: return signalCalls.rtSigpending(a, b);
            case 177: return signalCalls.rtSigtimedwait(a, b, c, d, false);
            case 421: return signalCalls.rtSigtimedwait(a, b, c, d, true);    // rt_sigtimedwait_time64
            case 179: return signalCalls.rtSigsuspend(a, b);
            case 163: synchronized (as) { return mremap(a, b, c, d, e); }
            case 168: return readiness.poll(a, b, c);
            case 309: return readiness.ppoll(a, b, c, d, e, false);
            case 414: return readiness.ppoll(a, b, c, d, e, true);             // ppoll_time64
            case 82: return readiness.oldSelect(a);                            // select: its arguments in a block
            case 142: return readiness.select(a, b, c, d, e);                  // _newselect
            case 308: return readiness.pselect6(a, b, c, d, e, f, false);
            case 413: return readiness.pselect6(a, b, c, d, e, f, true);       // pselect6_time64
            case 321: return readiness.signalfd(a, b, c, 0);
            case 327: return readiness.signalfd(a, b, c, d);                  // signalfd4
            case 322: return readiness.timerfdCreate(a, b);
            case 325: return readiness.timerfdSettime(a, b, c, d, false);
            case 326: return readiness.timerfdGettime(a, b, false);
            case 411: return readiness.timerfdSettime(a, b, c, d, true);      // timerfd_settime64
            case 410: return readiness.timerfdGettime(a, b, true);            // timerfd_gettime64
            case 254: return readiness.epollCreate(a);
            case 329: return readiness.epollCreate1(a);
            case 255: return readiness.epollCtl(a, b, c, d);
            case 256: return readiness.epollWait(a, b, c, d);
            case 319: return readiness.epollPwait(a, b, c, d, e, f);
            case 441: return readiness.epollPwait2(a, b, c, d, e, f);
            case 172: return prctl(a, b);
            case 173: return proc.sigreturn(self, true);
            case 119: return proc.sigreturn(self, false);              // sigreturn: our frames are rt frames either way
            case 158: Thread.yield(); return 0;                        // sched_yield
            case 174: return signalCalls.rtSigaction(a, b, c, d);
            case 175: return signalCalls.rtSigprocmask(a, b, c, d);
            case 180: return files.pread(a, b, c, pair(d, e));
            case 181: return files.pwrite(a, b, c, pair(d, e));
            case 183: return files.getcwd(a, b);
            case 186: return signalCalls.sigaltstack(a, b);
            case 192: synchronized (as) { return mmap(a, b, c, d, e, (long) f << 12); } // mmap2: offset in pages
            case 93: return files.ftruncate(a, b);                     // ftruncate: a signed 32-bit length
            case 194: return files.ftruncate(a, pair(b, c));
            case 92: return files.truncate(a, b);
            case 193: return files.truncate(a, pair(b, c));            // truncate64
            case 143: return files.flock(a, b);
            case 323: return readiness.eventfd(a, 0);
            case 328: return readiness.eventfd(a, b);                  // eventfd2
            case 195: return files.stat64(cwd, a, b, 0);
            case 196: return files.stat64(cwd, a, b, FileSyscalls.AT_SYMLINK_NOFOLLOW);
            case 197: return files.fstat64(a, b);
            case 198: return files.chown(cwd, a, -1, b, c, FileSyscalls.AT_SYMLINK_NOFOLLOW); // lchown32
            case 207: return files.chown(cwd, 0, a, b, c, 0);              // fchown32
            case 212: return files.chown(cwd, a, -1, b, c, 0);             // chown32
            case 298: return files.chown(a, b, -1, c, d, e);               // fchownat
            case 303: return files.link(a, b, c, d);                       // linkat
            case 320: return files.utimensat(a, b, c, d, false);
            case 30: return files.utimes(a, b, true);                  // utime
            case 271: return files.utimes(a, b, false);
            case 8: return files.openat(cwd, a, 0x241, b);             // creat: O_CREAT | O_WRONLY | O_TRUNC
            case 36: return 0;                                         // sync: kasou's writes reach the host's files at once
            case 344: files.file(a); return 0;                         // syncfs: likewise, for a valid descriptor
            case 150, 151, 153: return 0;                              // mlock, munlock, munlockall: guest memory is never paged out
            case 152: return (a & ~7) != 0 || a == 0 || a == 4 ? -Errno.EINVAL : 0; // mlockall: MCL_CURRENT, MCL_FUTURE, MCL_ONFAULT
            case 136: return personality(a);
            case 412: return files.utimensat(a, b, c, d, true);            // utimensat_time64
            case 219: synchronized (as) { return madvise(a, b, c); }
            case 220: return files.getdents64(a, b, c);
            case 221: return files.fcntl(a, b, c, proc.credentials.privileged());
            case 55: return b >= 12 && b <= 14 ? -Errno.EINVAL : files.fcntl(a, b, c, proc.credentials.privileged()); // fcntl: no flock64
            case 250: return files.fadvise(a, e);                       // fadvise64: fd, offset (2 words), len, advice
            case 272: return files.fadvise(a, f);                       // fadvise64_64: fd, offset, len (2 words each), advice
            case 241: return schedSetaffinity(a, b, c);
            case 242: return schedGetaffinity(a, b, c);
            case 80: return getgroups(a, b, 2);                         // getgroups: 16-bit ids
            case 205: return getgroups(a, b, 4);                        // getgroups32
            case 226, 227, 228, 229, 230, 231, 232, 233, 234, 235, 236, 237: return xattrs.call(nr, a, b, c, d, e); // setxattr...fremovexattr
            case 187: return files.sendfile(a, b, c, d, false);
            case 239: return files.sendfile(a, b, c, d, true);
            case 238: return proc.signalThread(b, a, sender(SignalState.Info.SI_TKILL)); // tkill
            case 178: return sigqueueinfo(a, 0, b, c, false);           // rt_sigqueueinfo
            case 335: return sigqueueinfo(a, b, c, d, true);            // rt_tgsigqueueinfo
            case 240: return futex(a, b, c, d, e, f, false);
            case 422: return futex(a, b, c, d, e, f, true);            // futex_time64
            case 243: self.setThreadArea(as, a); return 0;
            case 244: return getThreadArea(a);
            case 258: self.clearChildTid = a; return self.tid;         // set_tid_address
            case 265: return time.clockGettime(a, b, false);
            case 266: return time.clockGetres(a, b, false);
            case 267: return time.clockNanosleep(a, b, c, d, false);
            case 259: return time.timerCreate(a, b, c);
            case 260: return time.timerSettime(a, b, c, d, false);
            case 261: return time.timerGettime(a, b, false);
            case 262: return proc.timers.overrun(a);                   // timer_getoverrun
            case 263: proc.timers.delete(a); return 0;                 // timer_delete
            case 408: return time.timerGettime(a, b, true);            // timer_gettime64
            case 409: return time.timerSettime(a, b, c, d, true);      // timer_settime64
            case 268: return files.statfs64(FileSyscalls.AT_FDCWD, a, c, -1);
            case 269: return files.statfs64(FileSyscalls.AT_FDCWD, 0, c, a);
            case 270: return a == proc.pid ? proc.signalThread(c, b, sender(SignalState.Info.SI_TKILL)) : -Errno.ESRCH; // tgkill
            case 295: return files.openat(a, b, c, d);
            case 296: return files.mkdir(a, b, c);
            case 14: return files.mknod(cwd, a, b);                    // the device number (c) is for device nodes only
            case 297: return files.mknod(a, b, c);
            case 300: return files.stat64(a, b, c, d);                  // fstatat64
            case 301: return files.unlink(a, b, c);
            case 302: return files.rename(a, b, c, d);
            case 304: return files.symlink(a, b, c);                    // symlinkat
            case 305: return files.readlink(a, b, c, d);
            case 306: return files.chmod(a, b, c);
            case 307, 439: return files.access(a, b, c);               // faccessat, faccessat2
            case 311: return setRobustList(a, b);
            case 312: return getRobustList(a, b, c);
            case 330: return files.dup2(a, b, c);                       // dup3
            case 331: return files.pipe(a, b);
            case 340: return prlimit(a, b, c, d);
            case 102: return sockets.socketcall(a, b);
            case 359: return sockets.socket(a, b, c);
            case 360: return sockets.socketpair(a, b, c, d);
            case 361: return sockets.bind(a, b, c);
            case 362: return sockets.connect(a, b, c);
            case 363: return sockets.listen(a, b);
            case 364: return sockets.accept(a, b, c, d);               // accept4
            case 365: return sockets.getsockopt(a, b, c, d, e);
            case 366: return sockets.setsockopt(a, b, c, d, e);
            case 367: return sockets.name(a, b, c, false);             // getsockname
            case 368: return sockets.name(a, b, c, true);              // getpeername
            case 369: return sockets.sendto(a, b, c, d, e, f);
            case 370: return sockets.sendmsg(a, b, c);
            case 371: return sockets.recvfrom(a, b, c, d, e, f);
            case 372: return sockets.recvmsg(a, b, c);
            case 373: return sockets.shutdown(a, b);
            case 337: return sockets.recvmmsg(a, b, c, d, e, false);
            case 345: return sockets.sendmmsg(a, b, c, d);
            case 417: return sockets.recvmmsg(a, b, c, d, e, true);    // recvmmsg_time64
            case 355: return getrandom(a, b);
            case 356: return files.memfdCreate(a, b);
            case 436: return files.closeRange(a, b, c, proc.multithreaded());
            case 434: return pidfdOpen(a, b);
            case 424: return pidfdSendSignal(a, b, c, d);
            case 438: return pidfdGetfd(a, b, c);
            case 383: return files.statx(a, b, c, e);
            case 403: return time.clockGettime(a, b, true);
            case 406: return time.clockGetres(a, b, true);
            case 407: return time.clockNanosleep(a, b, c, d, true);    // clock_nanosleep_time64
            default:
                if (proc.table.firstReport(nr)) LOG.info("system call {} is not implemented: -ENOSYS", nr);
                return -Errno.ENOSYS;
        }
    }

    /** PR_SET_NAME and PR_GET_NAME (the name /proc/self/comm shows, at most 15 bytes); the rest EINVAL. */
    private int prctl(int option, int arg) {
        if (option == 15) {
            proc.name = ProcSelf.truncate(as.readString(arg, 4096));
            return 0;
        }
        if (option == 16) {
            byte[] n = java.util.Arrays.copyOf(proc.name.getBytes(java.nio.charset.StandardCharsets.UTF_8), 16);
            n[15] = 0;
            as.write(arg, n);
            return 0;
        }
        throw new LinuxError(Errno.EINVAL);
    }

    private static long pair(int lo, int hi) {
        return (lo & 0xFFFFFFFFL) | ((long) hi << 32);
    }

    // ------------------------------------------------------------------------------------------
    // Memory.

    private int brk(int addr) {
        int old = as.brk;
        if (addr == 0 || Integer.compareUnsigned(addr, as.brkStart) < 0) return old;
        long oldEnd = (Integer.toUnsignedLong(old) + 0xFFF) & ~0xFFFL, newEnd = (Integer.toUnsignedLong(addr) + 0xFFF) & ~0xFFFL;
        if (newEnd > Integer.toUnsignedLong(CpuCore.KERNEL_BASE)) return old;
        if (newEnd > oldEnd) {
            if (!as.isFree((int) oldEnd, (int) (newEnd - oldEnd))) return old;
            as.map((int) oldEnd, (int) (newEnd - oldEnd), AddressSpace.PROT_READ | AddressSpace.PROT_WRITE);
        } else if (newEnd < oldEnd) {
            as.unmap((int) newEnd, (int) (oldEnd - newEnd));
        }
        as.brk = addr;
        return addr;
    }

    private int oldMmap(int args) throws IOException {
        int[] v = new int[6];
        for (int i = 0; i < 6; i++) v[i] = as.read32(args + i * 4);
        if ((v[5] & 0xFFF) != 0) throw new LinuxError(Errno.EINVAL);
        return mmap(v[0], v[1], v[2], v[3], v[4], v[5] & 0xFFFFFFFFL);
    }

    private int mmap(int addr, int len, int prot, int flags, int fd, long offset) throws IOException {
        if (len == 0 || (addr & 0xFFF) != 0) throw new LinuxError(Errno.EINVAL);
        long size = (Integer.toUnsignedLong(len) + 0xFFF) & ~0xFFFL;
        if (size > 0xFFFFF000L) throw new LinuxError(Errno.ENOMEM);
        int span = (int) size;
        OpenFile file = (flags & MAP_ANONYMOUS) != 0 ? null : files.file(fd);
        int at;
        if ((flags & (MAP_FIXED | MAP_FIXED_NOREPLACE)) != 0) {
            if ((flags & MAP_FIXED_NOREPLACE) != 0 && !as.isFree(addr, span)) throw new LinuxError(Errno.EEXIST);
            if (Long.compareUnsigned(Integer.toUnsignedLong(addr) + size, Integer.toUnsignedLong(CpuCore.KERNEL_BASE)) > 0) {
                throw new LinuxError(Errno.ENOMEM);
            }
            at = addr;
        } else if (addr != 0 && Long.compareUnsigned(Integer.toUnsignedLong(addr) + size, Integer.toUnsignedLong(CpuCore.KERNEL_BASE)) <= 0
                && as.isFree(addr, span)) {
            at = addr;
        } else {
            at = as.findFree(span, AddressSpace.MMAP_TOP);
            if (at == -1) throw new LinuxError(Errno.ENOMEM);
        }
        byte[] contents = null;
        if (file != null) {
            int access = file.statusFlags & FileSyscalls.O_ACCMODE;
            boolean shared = (flags & MAP_SHARED) != 0;
            if (access == FileSyscalls.O_WRONLY || (shared && (prot & AddressSpace.PROT_WRITE) != 0 && access != FileSyscalls.O_RDWR)) {
                throw new LinuxError(Errno.EACCES); // as Linux: a mapping reads its file, a shared writable one writes it
            }
            java.nio.ByteBuffer view = file.mapForReading(offset, size);
            if (view != null && shared && file instanceof RegularFile r) { // only a regular file has a view
                // Without write access nothing goes back.
                FileWriteBack back = access == FileSyscalls.O_RDWR ? new FileWriteBack(r, offset) : null;
                as.mapSharedFile(at, span, prot, view, back, r.key(), offset >>> 12);
                return at;
            }
            if (view != null) {
                if (file instanceof RegularFile r) as.mapFile(at, span, prot, view, r.key(), offset >>> 12);
                else as.mapFile(at, span, prot, view);
                return at;
            }
            contents = new byte[(int) Math.min(size, 1 << 30)];
            int got = 0;
            while (got < contents.length) {
                int n = file.pread(contents, got, contents.length - got, offset + got);
                if (n <= 0) break;
                got += n;
            }
            contents = java.util.Arrays.copyOf(contents, got);
        }
        if (file == null && (flags & MAP_SHARED) != 0) { // MAP_SHARED or MAP_SHARED_VALIDATE
            as.mapShared(at, span, prot);
            return at;
        }
        as.map(at, span, prot);
        if (contents != null && contents.length > 0) as.writeImage(at, contents, 0, contents.length);
        return at;
    }

    private static final int MS_ASYNC = 1, MS_INVALIDATE = 2, MS_SYNC = 4;

    /** msync: shared file pages of the range go back to their files (at once, whatever the flags). */
    private int msync(int addr, int len, int flags) {
        if ((addr & 0xFFF) != 0 || (flags & ~(MS_ASYNC | MS_INVALIDATE | MS_SYNC)) != 0
                || (flags & (MS_ASYNC | MS_SYNC)) == (MS_ASYNC | MS_SYNC)) {
            throw new LinuxError(Errno.EINVAL);
        }
        if (len == 0) return 0;
        as.sync(addr, len);
        return 0;
    }

    private int munmap(int addr, int len) {
        if ((addr & 0xFFF) != 0 || len == 0) throw new LinuxError(Errno.EINVAL);
        as.unmap(addr, len);
        return 0;
    }

    private int mprotect(int addr, int len, int prot) {
        if ((addr & 0xFFF) != 0) throw new LinuxError(Errno.EINVAL);
        if (len != 0) as.protect(addr, len, prot);
        return 0;
    }

    private int madvise(int addr, int len, int advice) {
        if ((addr & 0xFFF) != 0) throw new LinuxError(Errno.EINVAL);
        if (advice == 4) as.discard(addr, len); // MADV_DONTNEED: anonymous memory reads as zeros again
        return 0;
    }

    private int mremap(int old, int oldLen, int newLen, int flags, int newAddr) {
        if ((old & 0xFFF) != 0 || newLen == 0) throw new LinuxError(Errno.EINVAL);
        int oldSize = (oldLen + 0xFFF) & ~0xFFF, newSize = (newLen + 0xFFF) & ~0xFFF;
        for (int p = 0; p < oldSize; p += AddressSpace.PAGE) {
            if (!as.isMapped(old + p)) throw new LinuxError(Errno.EFAULT);
        }
        if ((flags & MREMAP_FIXED) != 0) throw new LinuxError(Errno.EINVAL);
        if (Integer.compareUnsigned(newSize, oldSize) <= 0) {
            if (newSize < oldSize) as.unmap(old + newSize, oldSize - newSize);
            return old;
        }
        if (Long.compareUnsigned(Integer.toUnsignedLong(old) + newSize, Integer.toUnsignedLong(CpuCore.KERNEL_BASE)) <= 0
                && as.isFree(old + oldSize, newSize - oldSize)) {
            as.map(old + oldSize, newSize - oldSize, AddressSpace.PROT_READ | AddressSpace.PROT_WRITE);
            as.protectLike(old + oldSize, newSize - oldSize, old);
            return old;
        }
        if ((flags & MREMAP_MAYMOVE) == 0) throw new LinuxError(Errno.ENOMEM);
        int at = as.findFree(newSize, AddressSpace.MMAP_TOP);
        if (at == -1) throw new LinuxError(Errno.ENOMEM);
        as.map(at + oldSize, newSize - oldSize, AddressSpace.PROT_READ | AddressSpace.PROT_WRITE);
        as.protectLike(at + oldSize, newSize - oldSize, old);
        as.move(old, at, oldSize);
        return at;
    }

    // ------------------------------------------------------------------------------------------
    // Processes.

    private static final int CLONE_VM = 0x100, CLONE_SIGHAND = 0x800, CLONE_VFORK = 0x4000, CLONE_THREAD = 0x10000,
            CLONE_SETTLS = 0x80000, CLONE_PARENT_SETTID = 0x100000, CLONE_CHILD_CLEARTID = 0x200000, CLONE_CHILD_SETTID = 0x1000000;

    /**
     * clone: a new thread of this process (CLONE_THREAD, with CLONE_VM and CLONE_SIGHAND as Linux
     * requires), or a new process (fork-like, CLONE_VM only with CLONE_VFORK, where a copy does as
     * well). A process sharing memory without being a thread is not supported.
     */
    private int clone(int flags, int stack, int parentTid, int tls, int childTid) {
        return clone(flags, flags & CSIGNAL, false, stack, parentTid, tls, childTid);
    }

    /** clone and clone3 alike: the exit signal apart from the flags; CLONE_CLEAR_SIGHAND (clone3's) as {@code clearHandlers}. */
    private int clone(int flags, int exitSignal, boolean clearHandlers, int stack, int parentTid, int tls, int childTid) {
        if ((flags & CLONE_THREAD) != 0) {
            if ((flags & (CLONE_VM | CLONE_SIGHAND)) != (CLONE_VM | CLONE_SIGHAND)) throw new LinuxError(Errno.EINVAL);
            return proc.newThread(self, stack, (flags & CLONE_SETTLS) != 0 ? tls : 0, (flags & CLONE_PARENT_SETTID) != 0 ? parentTid : 0,
                    (flags & CLONE_CHILD_SETTID) != 0 ? childTid : 0, (flags & CLONE_CHILD_CLEARTID) != 0 ? childTid : 0);
        }
        if ((flags & CLONE_VM) != 0 && (flags & CLONE_VFORK) == 0) {
            if (proc.table.firstReport(-120)) LOG.info("clone of a process sharing memory (CLONE_VM without CLONE_THREAD) is not implemented: -ENOSYS");
            throw new LinuxError(Errno.ENOSYS);
        }
        int child = proc.fork(self, stack, (flags & CLONE_CHILD_SETTID) != 0 ? childTid : 0, exitSignal, clearHandlers);
        if ((flags & CLONE_PARENT_SETTID) != 0) {
            try {
                as.write32(parentTid, child);
            } catch (LinuxError e) {
                // as the kernel: the child exists, and a write that fails is skipped
            }
        }
        return child;
    }

    private static final int CLONE_PIDFD = 0x1000, CLONE_PARENT = 0x8000, CLONE_DETACHED = 0x400000, CSIGNAL = 0xFF, CLONE_NEWTIME = 0x80;
    /** clone3's flags beyond the 32 of clone (the high word of its 64-bit flags). */
    private static final long CLONE_CLEAR_SIGHAND = 1L << 32, CLONE_INTO_CGROUP = 1L << 33;
    /** struct clone_args: the first version's 64 bytes, and the largest one known here (with set_tid and cgroup). */
    private static final int CLONE_ARGS_SIZE_VER0 = 64, CLONE_ARGS_SIZE_VER2 = 88;

    /**
     * clone3(args, size): clone with its arguments in a struct clone_args of 64-bit fields (flags,
     * pidfd, child_tid, parent_tid, exit_signal, stack, stack_size, tls, set_tid, set_tid_size,
     * cgroup), checked in the order of Linux's copy_clone_args_from_user and clone3_args_valid: the
     * child's stack is the top of the area given (stack + stack_size), the exit signal a field of
     * its own. glibc's pthread_create and posix_spawn try it first. A pid file descriptor
     * (CLONE_PIDFD), chosen pids (set_tid) and a cgroup are not kept here: -ENOSYS, on which glibc
     * falls back to clone.
     */
    private int clone3(int argsAddr, int size) {
        if (Integer.compareUnsigned(size, 4096) > 0) throw new LinuxError(Errno.E2BIG);
        if (size < CLONE_ARGS_SIZE_VER0) throw new LinuxError(Errno.EINVAL);
        byte[] raw = as.read(argsAddr, size);
        for (int i = CLONE_ARGS_SIZE_VER2; i < size; i++) if (raw[i] != 0) throw new LinuxError(Errno.E2BIG); // a newer struct's fields
        java.nio.ByteBuffer b = java.nio.ByteBuffer.wrap(java.util.Arrays.copyOf(raw, CLONE_ARGS_SIZE_VER2)).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        long flags = b.getLong(0), childTid = b.getLong(16), parentTid = b.getLong(24), exitSignal = b.getLong(32),
                stack = b.getLong(40), stackSize = b.getLong(48), tls = b.getLong(56), setTid = b.getLong(64),
                setTidSize = b.getLong(72), cgroup = b.getLong(80);
        if (Long.compareUnsigned(setTidSize, 32) > 0 || (setTid == 0) != (setTidSize == 0)) throw new LinuxError(Errno.EINVAL);
        if (Long.compareUnsigned(exitSignal, Signals.NSIG) > 0) throw new LinuxError(Errno.EINVAL);
        if ((flags & CLONE_INTO_CGROUP) != 0 && (Long.compareUnsigned(cgroup, Integer.MAX_VALUE) > 0 || size < CLONE_ARGS_SIZE_VER2)) {
            throw new LinuxError(Errno.EINVAL);
        }
        if ((flags & ~(0xFFFFFFFFL | CLONE_CLEAR_SIGHAND | CLONE_INTO_CGROUP)) != 0
                || (flags & (CLONE_DETACHED | (CSIGNAL & ~CLONE_NEWTIME))) != 0
                || (flags & CLONE_SIGHAND) != 0 && (flags & CLONE_CLEAR_SIGHAND) != 0
                || (flags & (CLONE_THREAD | CLONE_PARENT)) != 0 && exitSignal != 0
                || (stack == 0 ? stackSize != 0 : stackSize == 0 || !userRange(stack, stackSize))) {
            throw new LinuxError(Errno.EINVAL);
        }
        if ((flags & (CLONE_PIDFD | CLONE_INTO_CGROUP)) != 0 || setTid != 0) {
            if (proc.table.firstReport(-435)) LOG.info("clone3 with a pid file descriptor, chosen pids or a cgroup is not implemented: -ENOSYS");
            throw new LinuxError(Errno.ENOSYS);
        }
        return clone((int) flags, (int) exitSignal, (flags & CLONE_CLEAR_SIGHAND) != 0, stack == 0 ? 0 : (int) (stack + stackSize),
                userPointer(parentTid), (int) tls, userPointer(childTid));
    }

    /**
     * A tid pointer of struct clone_args as this process can use it: one past 4 GiB names no
     * memory of a 32-bit process, and Linux skips its writes there as it skips any that fail
     * (0: none).
     */
    private static int userPointer(long p) {
        return Long.compareUnsigned(p, 0xFFFFFFFFL) > 0 ? 0 : (int) p;
    }

    /** Whether [addr, addr + len) lies in the user part of the address space (Linux's access_ok). */
    private static boolean userRange(long addr, long len) {
        return Long.compareUnsigned(addr, TASK_SIZE) <= 0 && Long.compareUnsigned(len, TASK_SIZE - addr) <= 0;
    }

    /** The end of the user part of the address space (its mappings reach up to kasou's own tables, as a 64-bit kernel's 32-bit processes' do). */
    private static final long TASK_SIZE = (long) AddressSpace.USER_PAGES << 12;

    /** struct robust_list_head of i386: the list, the futex's offset from an entry, the entry being changed. */
    static final int ROBUST_LIST_HEAD_SIZE = 12;

    /** set_robust_list(head, len): where this thread's end finds the robust mutexes it holds (LinuxProcess#releaseRobustFutexes). */
    private int setRobustList(int head, int len) {
        if (len != ROBUST_LIST_HEAD_SIZE) throw new LinuxError(Errno.EINVAL);
        self.robustList = head;
        return 0;
    }

    /** get_robust_list(tid, head_ptr, len_ptr): of this thread (0) or another of this process. */
    private int getRobustList(int tid, int headPtr, int lenPtr) {
        GuestThread t = tid == 0 ? self : proc.thread(tid);
        if (t == null) throw new LinuxError(Errno.ESRCH);
        as.write32(lenPtr, ROBUST_LIST_HEAD_SIZE);
        as.write32(headPtr, t.robustList);
        return 0;
    }

    /** wait4 and waitpid: WNOHANG (1) is the only option that changes anything; the child's CPU times go to its parent's account. */
    private int wait4(int pid, int status, int options, int rusage) {
        if (pid == Integer.MIN_VALUE) throw new LinuxError(Errno.ESRCH); // as Linux: -INT_MIN is no group
        ProcessTable.Reaped r = SignalWaits.awaitQuietly(() -> proc.table.waitFor(proc.pid, pid, (options & 1) != 0));
        if (r == null) return 0;
        proc.reaped(r);
        if (status != 0) as.write32(status, r.status());
        if (rusage != 0) as.write(rusage, TimeSyscalls.rusage(new long[] {r.user(), r.system()}, 0));
        return r.pid();
    }

    private static final int WNOHANG = 1, WSTOPPED = 2, WEXITED = 4, WCONTINUED = 8, WNOWAIT = 0x01000000,
            WAIT_KERNEL_FLAGS = 0xE0000000; // __WNOTHREAD, __WALL, __WCLONE: accepted, nothing to tell apart here
    private static final int P_ALL = 0, P_PID = 1, P_PGID = 2, P_PIDFD = 3;
    private static final int CLD_EXITED = 1, CLD_KILLED = 2, CLD_DUMPED = 3;

    /**
     * waitid(idtype, id, infop, options, rusage): the child's end as the siginfo fields Linux
     * writes (signo, errno, code, pid, uid, status; zeros when WNOHANG finds none). Processes here
     * never stop, so WSTOPPED and WCONTINUED find nothing; WNOWAIT leaves the child waitable.
     */
    private int waitid(int idtype, int id, int infop, int options, int rusage) {
        if ((options & ~(WNOHANG | WSTOPPED | WEXITED | WCONTINUED | WNOWAIT | WAIT_KERNEL_FLAGS)) != 0
                || (options & (WEXITED | WSTOPPED | WCONTINUED)) == 0) {
            throw new LinuxError(Errno.EINVAL);
        }
        int pid = switch (idtype) {
            case P_ALL -> -1;
            case P_PID -> {
                if (id <= 0) throw new LinuxError(Errno.EINVAL);
                yield id;
            }
            case P_PGID -> {
                if (id < 0) throw new LinuxError(Errno.EINVAL);
                yield -id; // 0: the caller's own group, as wait4's 0
            }
            case P_PIDFD -> {
                if (!(files.file(id) instanceof PidFile pf)) throw new LinuxError(Errno.EBADF);
                // a non-blocking pidfd makes the wait EAGAIN while its process runs (Linux 5.10)
                if (pf.nonBlocking() && (options & WNOHANG) == 0 && !pf.ended()) throw new LinuxError(Errno.EAGAIN);
                yield pf.pid;
            }
            default -> throw new LinuxError(Errno.EINVAL);
        };
        boolean reap = (options & WNOWAIT) == 0;
        ProcessTable.Reaped r = SignalWaits.awaitQuietly(
                () -> proc.table.waitFor(proc.pid, pid, (options & WNOHANG) != 0, (options & WEXITED) != 0, reap));
        if (r != null && reap) proc.reaped(r);
        if (infop != 0) {
            int[] fields = new int[6]; // si_signo, si_errno, si_code, si_pid, si_uid, si_status
            if (r != null) {
                int st = r.status();
                boolean killed = (st & 0x7F) != 0;
                fields[0] = Signals.SIGCHLD;
                fields[2] = !killed ? CLD_EXITED : (st & 0x80) != 0 ? CLD_DUMPED : CLD_KILLED;
                fields[3] = r.pid();
                fields[4] = proc.uid;
                fields[5] = killed ? st & 0x7F : st >>> 8 & 0xFF;
            }
            for (int i = 0; i < fields.length; i++) as.write32(infop + 4 * i, fields[i]);
        }
        if (r != null && rusage != 0) as.write(rusage, TimeSyscalls.rusage(new long[] {r.user(), r.system()}, 0));
        return 0;
    }

    private int execve(int pathAddr, int argvAddr, int envAddr) {
        String path = as.readString(pathAddr, 4096);
        if (path.isEmpty()) throw new LinuxError(Errno.ENOENT);
        List<String> argv = strings(argvAddr), env = strings(envAddr);
        proc.exec(self, files.resolve(FileSyscalls.AT_FDCWD, path), path, argv, env);
        return 0;
    }

    /** A NULL-terminated array of string pointers (argv, envp). */
    private List<String> strings(int addr) {
        List<String> out = new ArrayList<>();
        if (addr == 0) return out;
        for (int i = 0; ; i++) {
            int s = as.read32(addr + i * 4);
            if (s == 0) return out;
            if (i > 65536) throw new LinuxError(Errno.E2BIG);
            out.add(as.readString(s, 131072));
        }
    }

    // ------------------------------------------------------------------------------------------
    // Threads, signals, identity.

    private int getThreadArea(int uinfo) {
        int entry = as.read32(uinfo);
        if (entry < CpuCore.TLS_FIRST || entry >= CpuCore.TLS_FIRST + CpuCore.TLS_COUNT) throw new LinuxError(Errno.EINVAL);
        int[] t = self.tls(entry);
        as.write32(uinfo + 4, t[0]);
        as.write32(uinfo + 8, t[1]);
        as.write32(uinfo + 12, t[2]);
        return 0;
    }

    private static final int FUTEX_WAIT = 0, FUTEX_WAKE = 1, FUTEX_REQUEUE = 3, FUTEX_CMP_REQUEUE = 4, FUTEX_WAKE_OP = 5, FUTEX_WAIT_BITSET = 9,
            FUTEX_WAKE_BITSET = 10, FUTEX_PRIVATE_FLAG = 128, FUTEX_CLOCK_REALTIME = 256;

    /**
     * futex and futex_time64 ({@code time64}): uaddr, op, val, timeout (or val2), uaddr2, val3.
     * A futex in shared memory (MAP_SHARED | MAP_ANONYMOUS) without FUTEX_PRIVATE_FLAG is the run's,
     * so that processes sharing the page wait and wake each other; the rest are the process's own.
     */
    private int futex(int addr, int op, int val, int timeout, int addr2, int val3, boolean time64) {
        int cmd = op & 0x7F;
        if ((addr & 3) != 0) throw new LinuxError(Errno.EINVAL);
        boolean shared = (op & FUTEX_PRIVATE_FLAG) == 0 && as.sharedFutexKey(addr) >= 0;
        Futexes futexes = shared ? proc.table.sharedFutexes : proc.futexes;
        long key = futexKey(addr, shared);
        switch (cmd) {
            case FUTEX_WAIT, FUTEX_WAIT_BITSET -> {
                long deadline = Long.MAX_VALUE;
                if (timeout != 0) {
                    long nanos = Timespecs.nanos(as, timeout, time64);
                    if (cmd == FUTEX_WAIT) {
                        deadline = Futexes.deadline(nanos);            // relative
                    } else {                                           // absolute, on CLOCK_REALTIME or CLOCK_MONOTONIC
                        int clock = (op & FUTEX_CLOCK_REALTIME) != 0 ? 0 : 1;
                        deadline = Futexes.deadline(nanos - TimeSyscalls.elapsedClockNanos(clock));
                    }
                }
                final long until = deadline;
                int r = SignalWaits.awaitQuietly(() -> futexes.await(as, addr, key, val, cmd == FUTEX_WAIT ? Futexes.MATCH_ANY : val3, until));
                return r == -Errno.EINTR ? -Errno.ERESTARTSYS : r; // a signal: EINTR or a restart once it is handled
            }
            case FUTEX_WAKE, FUTEX_WAKE_BITSET -> {
                return futexes.wake(key, Futexes.atLeastOne(val), cmd == FUTEX_WAKE ? Futexes.MATCH_ANY : val3);
            }
            case FUTEX_WAKE_OP -> {
                if ((addr2 & 3) != 0) throw new LinuxError(Errno.EINVAL);
                return futexes.wakeOp(as, key, val, timeout, addr2, futexKey(addr2, shared), val3); // the timeout argument is the second count
            }
            case FUTEX_REQUEUE, FUTEX_CMP_REQUEUE -> {
                if ((addr2 & 3) != 0) throw new LinuxError(Errno.EINVAL);
                return futexes.requeue(as, addr, key, val, timeout, futexKey(addr2, shared), cmd == FUTEX_CMP_REQUEUE, val3);
            }
            default -> {
                if (proc.table.firstReport(-240 - (cmd << 16))) LOG.info("futex operation {} is not implemented: -ENOSYS", cmd);
                throw new LinuxError(Errno.ENOSYS);
            }
        }
    }

    /**
     * personality: 0xFFFFFFFF asks; any other value is kept and the old one returned. Only
     * PER_LINUX's behaviour exists here: the flags (ADDR_NO_RANDOMIZE and the like) change nothing.
     */
    private int personality(int persona) {
        int old = proc.personality;
        if (persona != -1) proc.personality = persona;
        return old;
    }

    /**
     * A futex's key in the table {@code shared} says: the shared page's run-wide key, or, in the
     * process's own table, the address; an address of the process's own memory in the run's table
     * (the second word of a requeue or wake-op) is told apart by the pid above it.
     */
    private long futexKey(int addr, boolean shared) {
        if (!shared) return addr & 0xFFFFFFFFL;
        long k = as.sharedFutexKey(addr);
        return k >= 0 ? k : 1L << 62 | (long) proc.pid << 32 | (addr & 0xFFFFFFFFL);
    }

    /**
     * kill: to a process (pid > 0), to the caller's process group (0), to group -pid (below -1),
     * or to every guest process but the caller (-1); ESRCH when that is nobody.
     */
    private int kill(int pid, int sig) {
        if (sig < 0 || sig > 64) throw new LinuxError(Errno.EINVAL);
        List<LinuxProcess> targets;
        if (pid > 0) {
            LinuxProcess p = pid == proc.pid ? proc : proc.table.find(pid);
            targets = p == null ? List.of() : List.of(p);
        } else if (pid == -1) {
            targets = new ArrayList<>(proc.table.members(-1));
            targets.remove(proc);
        } else {
            if (pid == Integer.MIN_VALUE) throw new LinuxError(Errno.ESRCH);
            targets = proc.table.members(pid == 0 ? proc.table.pgid(proc.pid) : -pid);
        }
        if (targets.isEmpty()) throw new LinuxError(Errno.ESRCH);
        if (sig != 0) {
            for (LinuxProcess t : targets) t.signal(sig, sender(SignalState.Info.SI_USER));
        }
        return 0;
    }

    /**
     * rt_sigqueueinfo and rt_tgsigqueueinfo (toThread): sig with the caller's own siginfo, whose
     * si_code and the three words after it (si_pid, si_uid and si_value for sigqueue's SI_QUEUE)
     * the receiver gets as given. As in Linux, only the calling thread itself may be sent a
     * si_code of 0 or more (the kernel's own codes) or SI_TKILL (EPERM otherwise), and a real-time
     * signal whose queue is full is not sent (EAGAIN). Threads of another process: ESRCH, as tgkill.
     */
    private int sigqueueinfo(int tgid, int tid, int sig, int infoAddr, boolean toThread) {
        ByteBuffer b = ByteBuffer.wrap(as.read(infoAddr, 24)).order(ByteOrder.LITTLE_ENDIAN);
        if (toThread && (tgid <= 0 || tid <= 0)) throw new LinuxError(Errno.EINVAL);
        int code = b.getInt(8);
        if ((code >= 0 || code == SignalState.Info.SI_TKILL) && (toThread ? tid : tgid) != self.tid) {
            throw new LinuxError(Errno.EPERM);
        }
        SignalState.Info info = new SignalState.Info(code, b.getInt(12), b.getInt(16), b.getInt(20));
        if (toThread) {
            if (tgid != proc.pid) throw new LinuxError(Errno.ESRCH);
            return proc.signalThread(sig, tid, info);
        }
        LinuxProcess p = tgid == proc.pid ? proc : tgid > 0 ? proc.table.find(tgid) : null;
        if (p == null) throw new LinuxError(Errno.ESRCH);
        if (sig < 0 || sig > 64) throw new LinuxError(Errno.EINVAL);
        if (sig != 0 && !p.signal(sig, info)) throw new LinuxError(Errno.EAGAIN);
        return 0;
    }

    private static final int PIDFD_NONBLOCK = FileSyscalls.O_NONBLOCK;

    /**
     * pidfd_open(pid, flags): a descriptor naming process {@code pid} of the run (close-on-exec,
     * as Linux's); EINVAL for other flags or a pid of 0 or less, ESRCH for a pid that is no
     * process (a thread's tid included).
     */
    private int pidfdOpen(int pid, int flags) {
        if ((flags & ~PIDFD_NONBLOCK) != 0 || pid <= 0) throw new LinuxError(Errno.EINVAL);
        if (!proc.table.exists(pid)) throw new LinuxError(Errno.ESRCH);
        PidFile f = new PidFile(pid, proc.table, FileSyscalls.newSocketIno());
        if ((flags & PIDFD_NONBLOCK) != 0) f.statusFlags |= FileSyscalls.O_NONBLOCK;
        return files.install(f, true);
    }

    /** The process a pidfd names; EBADF for any other descriptor. */
    private PidFile pidfd(int fd) {
        if (files.file(fd) instanceof PidFile pf) return pf;
        throw new LinuxError(Errno.EBADF);
    }

    private static final int PIDFD_SIGNAL_THREAD = 1, PIDFD_SIGNAL_THREAD_GROUP = 2, PIDFD_SIGNAL_PROCESS_GROUP = 4;

    /**
     * pidfd_send_signal(pidfd, sig, info, flags): as kill to that process (or, with Linux 6.9's
     * flags, to its first thread or its process group), or with the caller's siginfo as
     * rt_sigqueueinfo; ESRCH once it has ended, EINVAL for more than one flag or a siginfo of
     * another signal.
     */
    private int pidfdSendSignal(int fd, int sig, int infoAddr, int flags) {
        PidFile pf = pidfd(fd);
        if (Integer.bitCount(flags) > 1 || (flags & ~(PIDFD_SIGNAL_THREAD | PIDFD_SIGNAL_THREAD_GROUP | PIDFD_SIGNAL_PROCESS_GROUP)) != 0
                || sig < 0 || sig > 64) {
            throw new LinuxError(Errno.EINVAL);
        }
        LinuxProcess p = pf.pid == proc.pid ? proc : proc.table.find(pf.pid);
        if (p == null) throw new LinuxError(Errno.ESRCH);
        if (flags == PIDFD_SIGNAL_PROCESS_GROUP) return kill(-proc.table.pgid(pf.pid), sig);
        if (infoAddr == 0) {
            if (sig == 0) return 0;
            if (flags == PIDFD_SIGNAL_THREAD) return p.signalThread(sig, pf.pid, sender(SignalState.Info.SI_TKILL));
            p.signal(sig, sender(SignalState.Info.SI_USER));
            return 0;
        }
        if (as.read32(infoAddr) != sig) throw new LinuxError(Errno.EINVAL);
        return sigqueueinfo(pf.pid, 0, sig, infoAddr, false);
    }

    /** pidfd_getfd(pidfd, targetfd, flags): a close-on-exec copy of the process's descriptor targetfd; EBADF where it has none. */
    private int pidfdGetfd(int fd, int targetFd, int flags) {
        PidFile pf = pidfd(fd);
        if (flags != 0) throw new LinuxError(Errno.EINVAL);
        LinuxProcess p = pf.pid == proc.pid ? proc : proc.table.find(pf.pid);
        if (p == null) throw new LinuxError(Errno.ESRCH);
        OpenFile f = p.descriptor(targetFd);
        f.retain();
        return files.install(f, true);
    }

    /** The siginfo of a signal this thread sends: si_code, then its pid and real uid. */
    private SignalState.Info sender(int code) {
        return new SignalState.Info(code, proc.pid, proc.credentials.uids()[0], 0);
    }

    /**
     * sched_getaffinity: the host's allowed CPUs, in a mask of whole 64-bit words as a 64-bit
     * kernel sizes it; returns the bytes written. EINVAL for a length that is too small or not
     * whole 32-bit longs.
     */
    private int schedGetaffinity(int pid, int len, int mask) {
        if (pid != 0 && pid != proc.pid && !proc.hasThread(pid)) throw new LinuxError(Errno.ESRCH);
        int[] cpus = HostFacts.cpuMask();
        int used = cpus.length * 4;
        while (used > 4 && cpus[used / 4 - 1] == 0) used -= 4;
        if (Integer.compareUnsigned(len, used) < 0 || (len & 3) != 0) throw new LinuxError(Errno.EINVAL);
        int bytes = Math.min(len, (cpus.length * 4 + 7) & ~7);
        ByteBuffer b = ByteBuffer.allocate(bytes).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < cpus.length && i * 4 < bytes; i++) b.putInt(i * 4, cpus[i]);
        as.write(mask, b.array());
        return bytes;
    }

    /** sched_setaffinity: accepted when it leaves some allowed CPU (threads are the JVM's to place). */
    private int schedSetaffinity(int pid, int len, int mask) {
        if (pid != 0 && pid != proc.pid && !proc.hasThread(pid)) throw new LinuxError(Errno.ESRCH);
        int[] cpus = HostFacts.cpuMask();
        byte[] m = as.read(mask, (int) Math.min(Integer.toUnsignedLong(len), 1024));
        for (int i = 0; i < m.length && i / 4 < cpus.length; i++) {
            if ((m[i] & (cpus[i / 4] >>> ((i % 4) * 8)) & 0xFF) != 0) return 0;
        }
        throw new LinuxError(Errno.EINVAL);
    }

    /** getgroups and getgroups32 ({@code width}: bytes per id): size 0 asks for the count only. */
    private int getgroups(int size, int list, int width) {
        int[] groups = HostFacts.groups();
        if (size < 0) throw new LinuxError(Errno.EINVAL);
        if (size == 0) return groups.length;
        if (size < groups.length) throw new LinuxError(Errno.EINVAL);
        ByteBuffer b = ByteBuffer.allocate(groups.length * width).order(ByteOrder.LITTLE_ENDIAN);
        for (int g : groups) {
            if (width == 2) b.putShort((short) (g > 0xFFFF ? 65534 : g)); // the overflow id, as Linux's 16-bit calls give
            else b.putInt(g);
        }
        as.write(list, b.array());
        return groups.length;
    }

    private int uname(int buf) {
        byte[] u = new byte[65 * 6];
        String[] fields = {"Linux", "kasou", "6.1.0", "#1 SMP kasou", "i686", "(none)"};
        for (int i = 0; i < fields.length; i++) {
            byte[] b = fields[i].getBytes(java.nio.charset.StandardCharsets.US_ASCII);
            System.arraycopy(b, 0, u, i * 65, b.length);
        }
        as.write(buf, u);
        return 0;
    }

    /** getrlimit and ugetrlimit: 32-bit values, anything above {@code max} (RLIM_INFINITY included) as {@code max}. */
    private int getrlimit(int resource, int buf, long max) {
        long[] l = proc.limits.get(resource);
        as.write32(buf, (int) (Long.compareUnsigned(l[0], max) > 0 ? max : l[0]));
        as.write32(buf + 4, (int) (Long.compareUnsigned(l[1], max) > 0 ? max : l[1]));
        return 0;
    }

    /** setrlimit: 32-bit values, RLIM_INFINITY all ones. */
    private int setrlimit(int resource, int buf) {
        long soft = widenLimit(as.read32(buf)), hard = widenLimit(as.read32(buf + 4));
        proc.limits.set(resource, soft, hard, proc.credentials.privileged());
        return 0;
    }

    private static long widenLimit(int v) {
        return v == -1 ? ResourceLimits.INFINITY : Integer.toUnsignedLong(v);
    }

    /** prlimit64: the caller's or another guest process's limits, the old ones first. */
    private int prlimit(int pid, int resource, int newLimit, int old) {
        LinuxProcess p = pid == 0 || pid == proc.pid ? proc : proc.table.find(pid);
        if (p == null) throw new LinuxError(Errno.ESRCH);
        long[] l = p.limits.get(resource);
        if (newLimit != 0) {
            long soft = as.read64(newLimit), hard = as.read64(newLimit + 8);
            p.limits.set(resource, soft, hard, proc.credentials.privileged());
        }
        if (old != 0) {
            as.write64(old, l[0]);
            as.write64(old + 8, l[1]);
        }
        return 0;
    }

    private int sysinfo(int buf) {
        ByteBuffer b = ByteBuffer.allocate(64).order(ByteOrder.LITTLE_ENDIAN);
        long uptime = ManagementFactory.getRuntimeMXBean().getUptime() / 1000;
        b.putInt(0, (int) uptime).putInt(16, 1 << 30).putInt(20, 1 << 29).putShort(40, (short) 1).putInt(52, 1);
        as.write(buf, b.array());
        return 0;
    }

    private int getrandom(int buf, int len) {
        byte[] b = new byte[Math.max(0, Math.min(len, 1 << 20))];
        random.nextBytes(b);
        as.write(buf, b);
        return b.length;
    }

    private int llseek(int fd, int hi, int lo, int result, int whence) throws IOException {
        long pos = files.seek(fd, pair(lo, hi), whence);
        as.write64(result, pos);
        return 0;
    }
}
