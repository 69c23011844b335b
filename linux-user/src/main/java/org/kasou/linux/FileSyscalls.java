package org.kasou.linux;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The file and directory system calls: the descriptor table, the working directory and umask,
 * and the calls on paths and descriptors, carried out on host files with the host's permissions.
 */
final class FileSyscalls {
    static final int O_ACCMODE = 3, O_RDONLY = 0, O_WRONLY = 1, O_RDWR = 2, O_CREAT = 0100, O_EXCL = 0200,
            O_TRUNC = 01000, O_APPEND = 02000, O_NONBLOCK = 04000, O_DIRECTORY = 0200000, O_NOFOLLOW = 0400000,
            O_CLOEXEC = 02000000, O_DIRECT = 040000, O_TMPFILE = 020000000 | O_DIRECTORY;
    static final int AT_FDCWD = -100, AT_SYMLINK_NOFOLLOW = 0x100, AT_REMOVEDIR = 0x200, AT_EMPTY_PATH = 0x1000;
    static final int MAX_FDS = 1024;
    private static final int PATH_MAX = 4096;

    private AddressSpace as;
    private final OpenFile[] fds = new OpenFile[MAX_FDS];
    private final boolean[] cloexec = new boolean[MAX_FDS];
    /** The highest descriptor ever used: Linux's table grows to hold it and never shrinks, and select looks no further. */
    private int highest;
    private Path cwd;
    private int umask = 022;
    /** The process's limits: RLIMIT_NOFILE bounds the descriptors handed out (null: the table's size). */
    private ResourceLimits limits;
    /** The process whose record locks this table's descriptors take and release. */
    private int lockOwner;
    /** The contents of the process's own /proc entries that kasou makes (ProcSelf), by name; null for the rest. */
    private java.util.function.Function<String, byte[]> ownProcContents = n -> null;

    /** Makes the process's own /proc entries that {@code contents} knows (null for the rest: the host's). */
    void provideOwnProc(java.util.function.Function<String, byte[]> contents) {
        ownProcContents = contents;
    }

    /** The program's host path, which /proc/self/exe names. */
    private Path exe;
    private static final java.util.concurrent.atomic.AtomicLong NEXT_PIPE_INO = new java.util.concurrent.atomic.AtomicLong(1000);
    /** Files under it stand in for the host's of the same absolute path; null for none. */
    private final Path sysroot;

    FileSyscalls(Path cwd, Path exe, Path sysroot) {
        this.cwd = cwd;
        this.exe = canonical(exe);
        this.sysroot = sysroot == null ? null : sysroot.toAbsolutePath().normalize();
    }

    /** A copy of {@code parent}'s table (fork): the same open file descriptions, one more reference each. */
    FileSyscalls(FileSyscalls parent) {
        this.cwd = parent.cwd;
        this.exe = parent.exe;
        this.sysroot = parent.sysroot;
        this.umask = parent.umask;
        this.highest = parent.highest;
        synchronized (parent.fds) {
            for (int fd = 0; fd < MAX_FDS; fd++) {
                OpenFile f = parent.fds[fd];
                if (f != null) {
                    f.retain();
                    fds[fd] = f;
                    cloexec[fd] = parent.cloexec[fd];
                }
            }
        }
    }

    void setAddressSpace(AddressSpace as) {
        this.as = as;
    }

    void setExe(Path exe) {
        this.exe = canonical(exe);
    }

    /** A program's path as /proc/self/exe has it: absolute, with no symbolic links, "." or "..". */
    private static Path canonical(Path p) {
        try {
            return p.toRealPath();
        } catch (IOException e) {
            return p.toAbsolutePath().normalize();
        }
    }

    /** Closes the descriptors marked close-on-exec (execve). */
    void closeOnExec() {
        for (int fd = 0; fd < MAX_FDS; fd++) {
            if (fds[fd] != null && cloexec[fd]) {
                try {
                    close(fd);
                } catch (IOException e) {
                    // closing cannot fail in a way the new program could see
                }
            }
        }
    }

    /** Installs descriptor {@code fd} (the standard streams). */
    void install(int fd, OpenFile f) {
        synchronized (fds) {
            fds[fd] = f;
        }
    }

    // The table is shared by the threads of a process: its changes and look-ups hold the lock of
    // fds; the reads, writes and waits on the files themselves do not.

    OpenFile file(int fd) {
        synchronized (fds) {
            if (fd < 0 || fd >= MAX_FDS || fds[fd] == null) throw new LinuxError(Errno.EBADF);
            return fds[fd];
        }
    }

    /** The description behind {@code fd}, or null when it names none (poll reports POLLNVAL for those). */
    OpenFile fileOrNull(int fd) {
        synchronized (fds) {
            return fd < 0 || fd >= MAX_FDS ? null : fds[fd];
        }
    }

    /**
     * The size of the descriptor table as a 64-bit Linux keeps it for a 32-bit program: 64
     * entries, then doubled (at least 128) to hold the highest descriptor used. select ignores
     * descriptors beyond it.
     */
    int tableSize() {
        synchronized (fds) {
            return highest < 64 ? 64 : Math.min(MAX_FDS, Integer.highestOneBit(highest) * 2);
        }
    }

    /** Gives {@code f} the lowest free descriptor. */
    int allocateDescriptor(OpenFile f, boolean closeOnExec) {
        return allocate(f, 0, closeOnExec);
    }

    private int allocate(OpenFile f, int from, boolean closeOnExec) {
        synchronized (fds) {
            return allocateLocked(f, from, closeOnExec);
        }
    }

    /** Descriptors at or above this are refused: RLIMIT_NOFILE's soft limit, at most the table's size. */
    private int descriptorLimit() {
        return limits == null ? MAX_FDS : limits.descriptorLimit();
    }

    /** The process these descriptors belong to: its limits and the owner of its record locks. */
    void belongTo(int pid, ResourceLimits l) {
        lockOwner = pid;
        limits = l;
    }

    private int allocateLocked(OpenFile f, int from, boolean closeOnExec) {
        int limit = descriptorLimit();
        if (from > 0 && from >= limit) throw new LinuxError(Errno.EINVAL); // F_DUPFD past the limit
        for (int fd = Math.max(from, 0); fd < limit; fd++) {
            if (fds[fd] == null) {
                fds[fd] = f;
                cloexec[fd] = closeOnExec;
                highest = Math.max(highest, fd);
                return fd;
            }
        }
        throw new LinuxError(Errno.EMFILE);
    }

    /** Closes every descriptor (at exit), flushing the standard streams. */
    void closeAll() {
        for (int fd = 0; fd < MAX_FDS; fd++) {
            if (fds[fd] != null) {
                try {
                    close(fd);
                } catch (RuntimeException | IOException e) {
                    // nothing left to report to
                }
            }
        }
    }

    // ------------------------------------------------------------------------------------------
    // Paths.

    private String path(int addr) {
        String p = as.readString(addr, PATH_MAX);
        if (p.isEmpty()) throw new LinuxError(Errno.ENOENT);
        return p;
    }

    /**
     * The part of {@code p} after the process's own /proc directory (/proc/self, /proc/thread-self
     * or /proc/PID for its own pid): "" for the directory itself; null when p is not in it.
     */
    private String ownProc(String p) {
        p = devAlias(p);
        if (!p.startsWith("/proc/")) return null;
        String rest = p.substring(6);
        int slash = rest.indexOf('/');
        String head = slash < 0 ? rest : rest.substring(0, slash);
        if (!head.equals("self") && !head.equals("thread-self") && !head.equals(Integer.toString(lockOwner))) return null;
        String own = slash < 0 ? "" : rest.substring(slash + 1);
        while (own.endsWith("/")) own = own.substring(0, own.length() - 1); // "fd/" is the directory "fd"
        return own;
    }

    /**
     * The /proc/self path that /dev/stdin, /dev/stdout, /dev/stderr, /dev/fd and /dev/fd/N stand
     * for (Linux's symbolic links), so that they reach the guest's descriptors: the host's are the
     * JVM's. Any other path as it is.
     */
    static String devAlias(String p) {
        return switch (p) {
            case "/dev/stdin" -> "/proc/self/fd/0";
            case "/dev/stdout" -> "/proc/self/fd/1";
            case "/dev/stderr" -> "/proc/self/fd/2";
            case "/dev/fd" -> "/proc/self/fd";
            default -> p.startsWith("/dev/fd/") ? "/proc/self/fd/" + p.substring(8) : p;
        };
    }

    /** The descriptor a /proc/self/fd/N entry names, or null. */
    private OpenFile procFd(String own) {
        if (!own.startsWith("fd/")) return null;
        try {
            return fileOrNull(Integer.parseInt(own.substring(3)));
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /**
     * A guest path relative to {@code dirfd} (AT_FDCWD: the working directory) as a host path.
     * One that ends in a slash names a directory (Linux follows a symbolic link there): ENOTDIR
     * for anything else that exists.
     */
    Path resolve(int dirfd, String p) {
        Path r = resolveName(dirfd, p);
        if (p.length() < 2 || !p.endsWith("/") || !Files.exists(r, LinkOption.NOFOLLOW_LINKS)) return r;
        if (!Files.isDirectory(r)) throw new LinuxError(Errno.ENOTDIR);
        return Files.isSymbolicLink(r) ? r.resolve(".") : r; // the host drops a trailing slash: "." keeps the link followed
    }

    /** Whether guest path p names a symbolic link with a trailing slash (which unlink and rmdir refuse with ENOTDIR). */
    private boolean linkWithSlash(int dirfd, String p) {
        return p.length() > 1 && p.endsWith("/") && Files.isSymbolicLink(resolveName(dirfd, p));
    }

    private Path resolveName(int dirfd, String p) {
        String own = ownProc(p);
        if (own != null) { // the guest's own /proc entries, not the JVM's
            if (own.equals("exe")) return exe;
            if (own.equals("cwd")) return cwd;
            if (own.equals("fd")) return Path.of("/proc/self/fd"); // its listing is the guest's (openat)
            OpenFile f = procFd(own);
            if (f != null && f.path() != null) return f.path();
            if (own.startsWith("fd/")) throw new LinuxError(Errno.ENOENT);
        }
        if (p.startsWith("/")) {
            if (sysroot != null && !p.equals("/")) {
                Path inRoot = sysroot.resolve(p.substring(1));
                if (Files.exists(inRoot, LinkOption.NOFOLLOW_LINKS)) return inRoot;
            }
            return Path.of(p);
        }
        Path base = dirfd == AT_FDCWD ? cwd : file(dirfd).path();
        if (base == null) throw new LinuxError(Errno.ENOTDIR);
        return base.resolve(p);
    }

    Path cwd() {
        return cwd;
    }

    // ------------------------------------------------------------------------------------------
    // Descriptors.

    int openat(int dirfd, int pathAddr, int flags, int mode) throws IOException {
        String guestPath = path(pathAddr);
        if ("fd".equals(ownProc(guestPath))) { // listed from the guest's table, before the new descriptor is in it
            if ((flags & O_ACCMODE) != O_RDONLY) throw new LinuxError(Errno.EISDIR);
            return allocate(new DirectoryFile(Path.of("/proc/self/fd"), openDescriptors()), 0, (flags & O_CLOEXEC) != 0);
        }
        OpenFile pathless = pathlessProcFd(guestPath);
        if (pathless != null) return reopen(pathless, flags);
        String own = ownProc(guestPath);
        byte[] made = own == null ? null : own.equals("maps") ? ProcMaps.of(as).getBytes(java.nio.charset.StandardCharsets.US_ASCII)
                : ownProcContents.apply(own);
        if (made != null) { // the guest's own, not the JVM's
            if ((flags & O_ACCMODE) != O_RDONLY) throw new LinuxError(Errno.EACCES);
            RegularFile f = anonymousFile(O_RDONLY, 0444); // procfs's mode
            java.nio.ByteBuffer b = java.nio.ByteBuffer.wrap(made);
            while (b.hasRemaining()) f.channel().write(b, b.position()); // its own channel: the guest may only read
            return allocate(f, 0, (flags & O_CLOEXEC) != 0);
        }
        Path p = resolve(dirfd, guestPath);
        if ((flags & O_TMPFILE) == O_TMPFILE) return openTemporary(p, flags, mode);
        LinkOption[] link = (flags & O_NOFOLLOW) != 0 ? new LinkOption[] {LinkOption.NOFOLLOW_LINKS} : new LinkOption[0];
        boolean exists = Files.exists(p, link);
        if (exists && (flags & O_CREAT) != 0 && (flags & O_EXCL) != 0) throw new LinuxError(Errno.EEXIST);
        if (!exists && (flags & O_CREAT) == 0) {
            if (Files.isSymbolicLink(p) && (flags & O_NOFOLLOW) == 0) throw new LinuxError(Errno.ENOENT);
            throw new LinuxError(Files.isDirectory(p.getParent() == null ? p : p.getParent()) ? Errno.ENOENT : Errno.ENOENT);
        }
        int acc = flags & O_ACCMODE;
        boolean cloexecFlag = (flags & O_CLOEXEC) != 0;
        if (exists && Files.isDirectory(p, link)) {
            if (acc != O_RDONLY) throw new LinuxError(Errno.EISDIR);
            if (!Files.isReadable(p)) throw new LinuxError(Errno.EACCES);
            return allocate(new DirectoryFile(p), 0, cloexecFlag);
        }
        if ((flags & O_DIRECTORY) != 0) throw new LinuxError(exists ? Errno.ENOTDIR : Errno.ENOENT);
        Set<OpenOption> opts = new HashSet<>();
        if (acc == O_RDONLY || acc == O_RDWR) opts.add(StandardOpenOption.READ);
        if (acc == O_WRONLY || acc == O_RDWR) opts.add(StandardOpenOption.WRITE);
        if ((flags & O_TRUNC) != 0 && acc != O_RDONLY) opts.add(StandardOpenOption.TRUNCATE_EXISTING);
        if ((flags & O_NOFOLLOW) != 0) opts.add(LinkOption.NOFOLLOW_LINKS);
        FileChannel ch;
        if (!exists) {
            opts.add(StandardOpenOption.CREATE_NEW);
            if (!opts.contains(StandardOpenOption.WRITE)) opts.add(StandardOpenOption.WRITE);
            ch = FileChannel.open(p, opts, PosixFilePermissions.asFileAttribute(permissions(mode & ~umask & 0777)));
        } else {
            ch = FileChannel.open(p, opts);
        }
        return allocate(new RegularFile(ch, p, flags), 0, cloexecFlag);
    }

    /** The descriptor that a /proc/self/fd/N path (or /dev/stdin and its kin) names when its file has no host path (a pipe, a terminal, a socket...), else null. */
    private OpenFile pathlessProcFd(String guestPath) {
        String own = ownProc(guestPath);
        OpenFile f = own == null ? null : procFd(own);
        return f != null && f.path() == null ? f : null;
    }

    /**
     * Opening /proc/self/fd/N of a file without a host path: a pipe or a character device (a
     * terminal, kasou's own standard streams) is opened again as the descriptor's own file, as
     * Linux opens the same pipe or device; a socket is ENXIO, as on Linux, and so is anything else.
     */
    private int reopen(OpenFile f, int flags) throws IOException {
        int kind = f.stat().mode() & 0170000;
        if (kind != FileStat.S_IFIFO && kind != FileStat.S_IFCHR) throw new LinuxError(Errno.ENXIO);
        if ((flags & O_DIRECTORY) != 0) throw new LinuxError(Errno.ENOTDIR);
        return share(f, 0, (flags & O_CLOEXEC) != 0);
    }

    /**
     * O_TMPFILE: an unnamed file in directory {@code dir}, made there under a name of its own and
     * unlinked at once (the descriptor keeps it, as Linux's has no name); EINVAL unless opened for
     * writing, ENOTDIR when {@code dir} is not a directory.
     */
    private int openTemporary(Path dir, int flags, int mode) throws IOException {
        int acc = flags & O_ACCMODE;
        if (acc != O_WRONLY && acc != O_RDWR) throw new LinuxError(Errno.EINVAL);
        if (!Files.isDirectory(dir)) throw new LinuxError(Files.exists(dir) ? Errno.ENOTDIR : Errno.ENOENT);
        Path p = Files.createTempFile(dir, ".kasou-tmpfile-", "", PosixFilePermissions.asFileAttribute(permissions(mode & ~umask & 0777)));
        Set<OpenOption> opts = Set.of(StandardOpenOption.READ, StandardOpenOption.WRITE);
        FileChannel ch = FileChannel.open(p, opts);
        RegularFile f = new RegularFile(ch, p, flags & ~O_TMPFILE);
        Files.delete(p);
        return allocate(f, 0, (flags & O_CLOEXEC) != 0);
    }

    private static final int MFD_CLOEXEC = 1, MFD_ALLOW_SEALING = 2, MFD_HUGETLB = 4;
    /** Longest memfd name (NAME_MAX less "memfd:"). */
    private static final int MFD_NAME_MAX = 249;

    /**
     * memfd_create(name, flags): an anonymous read-write file, empty, as Linux makes in memory:
     * here a host file under /dev/shm (the temporary directory where that is missing) made and
     * unlinked at once, as for O_TMPFILE, so that it lives as long as its descriptors and
     * mappings. MFD_CLOEXEC as O_CLOEXEC; MFD_ALLOW_SEALING is accepted, but no seals are kept
     * (F_ADD_SEALS is EINVAL, as on a file system without them); MFD_HUGETLB is EINVAL (no
     * hugetlbfs here), and so are unknown flags and a name past 249 bytes.
     */
    int memfdCreate(int nameAddr, int flags) throws IOException {
        String name = as.readString(nameAddr, 4096);
        if (name.getBytes(java.nio.charset.StandardCharsets.UTF_8).length > MFD_NAME_MAX) throw new LinuxError(Errno.EINVAL);
        if ((flags & ~(MFD_CLOEXEC | MFD_ALLOW_SEALING)) != 0) throw new LinuxError(Errno.EINVAL);
        return allocate(anonymousFile(O_RDWR, 0777), 0, (flags & MFD_CLOEXEC) != 0); // Linux's memfd mode
    }

    /**
     * An empty file that no path names, with permissions {@code mode}: made under /dev/shm (the
     * temporary directory where that is missing) inside a directory only its owner may enter, and
     * unlinked at once; {@code flags} its status flags (the access mode the guest has).
     */
    private static RegularFile anonymousFile(int flags, int mode) throws IOException {
        Path shm = Path.of("/dev/shm");
        Path dir = Files.isDirectory(shm) && Files.isWritable(shm) ? shm : Path.of(System.getProperty("java.io.tmpdir"));
        Path home = Files.createTempDirectory(dir, ".kasou-memfd-", PosixFilePermissions.asFileAttribute(permissions(0700)));
        Path p = home.resolve("memfd");
        try {
            FileChannel ch = FileChannel.open(p, StandardOpenOption.CREATE_NEW, StandardOpenOption.READ, StandardOpenOption.WRITE);
            Files.setPosixFilePermissions(p, permissions(mode));
            return new RegularFile(ch, p, flags);
        } finally {
            Files.deleteIfExists(p);
            Files.delete(home);
        }
    }

    static Set<PosixFilePermission> permissions(int mode) {
        Set<PosixFilePermission> s = EnumSet.noneOf(PosixFilePermission.class);
        PosixFilePermission[] order = {PosixFilePermission.OTHERS_EXECUTE, PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_READ,
            PosixFilePermission.GROUP_EXECUTE, PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_READ,
            PosixFilePermission.OWNER_EXECUTE, PosixFilePermission.OWNER_WRITE, PosixFilePermission.OWNER_READ};
        for (int i = 0; i < 9; i++) {
            if ((mode & (1 << i)) != 0) s.add(order[i]);
        }
        return s;
    }

    int close(int fd) throws IOException {
        OpenFile f;
        synchronized (fds) {
            f = file(fd);
            fds[fd] = null;
            cloexec[fd] = false;
        }
        closed(f);
        return 0;
    }

    /** What closing a descriptor of f does after it left the table. */
    private void closed(OpenFile f) throws IOException {
        releaseRecordLocks(f);
        f.release();
    }

    private static final int CLOSE_RANGE_UNSHARE = 2, CLOSE_RANGE_CLOEXEC = 4;

    /**
     * close_range(first, last, flags): closes the open descriptors from first to last (unsigned;
     * ~0 for all), or with CLOSE_RANGE_CLOEXEC marks them close-on-exec; EINVAL for other flags or
     * first past last. CLOSE_RANGE_UNSHARE asks for a table of the caller's own first, which a
     * process of one thread already has; where threads share the table it is EINVAL here (Linux
     * copies the table), so the caller falls back as for an older kernel.
     */
    int closeRange(int first, int last, int flags, boolean shared) throws IOException {
        if ((flags & ~(CLOSE_RANGE_UNSHARE | CLOSE_RANGE_CLOEXEC)) != 0 || Integer.compareUnsigned(first, last) > 0) {
            throw new LinuxError(Errno.EINVAL);
        }
        if ((flags & CLOSE_RANGE_UNSHARE) != 0 && shared) throw new LinuxError(Errno.EINVAL);
        long end = Math.min(Integer.toUnsignedLong(last), MAX_FDS - 1);
        for (int fd = (int) Math.min(Integer.toUnsignedLong(first), MAX_FDS); fd <= end; fd++) {
            OpenFile f;
            synchronized (fds) {
                f = fds[fd];
                if (f == null) continue;
                if ((flags & CLOSE_RANGE_CLOEXEC) != 0) {
                    cloexec[fd] = true;
                    continue;
                }
                fds[fd] = null;
                cloexec[fd] = false;
            }
            closed(f);
        }
        return 0;
    }

    /** Closing any descriptor of a file releases the process's record locks on it (POSIX). */
    private void releaseRecordLocks(OpenFile f) throws IOException {
        if (f.path() != null && RecordLocks.holdsAny(lockOwner)) RecordLocks.releaseAll(FileLocks.key(f), lockOwner);
    }

    /**
     * Transfers between guest memory and a host file of up to this many bytes go through one buffer
     * per guest thread ({@link #transferBuffer}) instead of a new array each: `busybox sha256sum`
     * reads its 100 MB in small pieces, and the arrays went through the young generation's fresh
     * pages, whose page faults were 8% of the guest thread (the kernel zeroing them).
     */
    static final int TRANSFER_BYTES = 1 << 16;
    private static final ThreadLocal<byte[]> TRANSFER = ThreadLocal.withInitial(() -> new byte[TRANSFER_BYTES]);

    /**
     * A buffer of at least len bytes for one transfer: the calling thread's own when it is large
     * enough (every OpenFile copies out of or into it before returning), else a new one.
     */
    static byte[] transferBuffer(int len) {
        return len <= TRANSFER_BYTES ? TRANSFER.get() : new byte[len];
    }

    int read(int fd, int buf, int count) throws IOException {
        OpenFile f = file(fd);
        int len = clamp(count, 1 << 20);
        byte[] b = transferBuffer(len);
        int n = f.read(b, 0, len);
        as.write(buf, b, 0, n);
        return n;
    }

    int write(int fd, int buf, int count) throws IOException {
        OpenFile f = file(fd);
        int len = withinFileSizeLimit(f, -1, clamp(count, 1 << 24));
        byte[] b = transferBuffer(len);
        as.read(buf, b, 0, len);
        return f.write(b, 0, len);
    }

    /**
     * RLIMIT_FSIZE on a write of {@code len} bytes to f at {@code pos} (negative: f's write
     * position): the bytes that may go, fewer where the write would pass the limit; at or past it
     * none, EFBIG, which the system call turns into SIGXFSZ too (Linux's generic_write_check_limits).
     * Only regular files count.
     */
    private int withinFileSizeLimit(OpenFile f, long pos, int len) throws IOException {
        long limit = fileSizeLimit();
        if (limit == ResourceLimits.INFINITY || len == 0 || !(f instanceof RegularFile r) || !r.regular()) return len;
        long at = pos >= 0 ? pos : r.writePosition();
        if (at >= limit) throw new LinuxError(Errno.EFBIG);
        return (int) Math.min(len, limit - at);
    }

    /** RLIMIT_FSIZE on a truncate to {@code size}: EFBIG (and SIGXFSZ) past the limit. */
    private void truncateWithinLimit(long size) {
        long limit = fileSizeLimit();
        if (limit != ResourceLimits.INFINITY && size > limit) throw new LinuxError(Errno.EFBIG);
    }

    private long fileSizeLimit() {
        return limits == null ? ResourceLimits.INFINITY : limits.fileSizeLimit();
    }

    int pread(int fd, int buf, int count, long pos) throws IOException {
        int len = clamp(count, 1 << 20);
        byte[] b = transferBuffer(len);
        int n = file(fd).pread(b, 0, len, pos);
        as.write(buf, b, 0, n);
        return n;
    }

    int pwrite(int fd, int buf, int count, long pos) throws IOException {
        OpenFile f = file(fd);
        int len = pos < 0 ? clamp(count, 1 << 24) : withinFileSizeLimit(f, pos, clamp(count, 1 << 24));
        byte[] b = transferBuffer(len);
        as.read(buf, b, 0, len);
        return f.pwrite(b, 0, len, pos);
    }

    /**
     * sendfile64 ({@code wide}: a 64-bit offset) and sendfile: copies between descriptors here,
     * without the guest's memory. At most one transfer buffer a call, as Linux may move less than
     * asked (callers loop): a new megabyte for each call of a `cat` was most of what a shell loop
     * allocated.
     */
    int sendfile(int outFd, int inFd, int offsetAddr, int count, boolean wide) throws IOException {
        OpenFile in = file(inFd), out = file(outFd);
        int len = clamp(count, TRANSFER_BYTES);
        byte[] b = transferBuffer(len);
        int n;
        if (offsetAddr != 0) {
            long off = wide ? (as.read32(offsetAddr) & 0xFFFFFFFFL) | ((long) as.read32(offsetAddr + 4) << 32) : as.read32(offsetAddr) & 0xFFFFFFFFL;
            n = in.pread(b, 0, len, off);
            if (wide) as.write64(offsetAddr, off + n);
            else as.write32(offsetAddr, (int) (off + n));
        } else {
            n = in.read(b, 0, len);
        }
        return n == 0 ? 0 : out.write(b, 0, withinFileSizeLimit(out, -1, n));
    }

    /** A byte count (size_t, so unsigned) limited to what one call moves. */
    /** count as unsigned, at most max. */
    static int clamp(int count, int max) {
        return (int) Math.min(Integer.toUnsignedLong(count), max);
    }

    /**
     * readv (write=false) and writev: the iovec array is {base, len} pairs. A writev is one write
     * of the vectors' bytes gathered (up to 16 MiB), as Linux's: a pipe packs them into its pages
     * alike and a write of at most a page stays atomic.
     */
    int vector(int fd, int iov, int count, boolean write) throws IOException {
        if (count < 0 || count > 1024) throw new LinuxError(Errno.EINVAL);
        OpenFile f = file(fd);
        return write ? gatherWrite(f, iov, count, -1) : scatterRead(f, iov, count, -1);
    }

    /** The vectors filled in turn, from the file's position or from {@code pos} when it is not negative (preadv). */
    private int scatterRead(OpenFile f, int iov, int count, long pos) throws IOException {
        int total = 0;
        for (int i = 0; i < count; i++) {
            int base = as.read32(iov + i * 8), len = clamp(as.read32(iov + i * 8 + 4), 1 << 24);
            if (len == 0) continue;
            byte[] b = transferBuffer(len);
            int n;
            try {
                n = pos < 0 ? f.read(b, 0, len) : f.pread(b, 0, len, pos + total);
            } catch (LinuxError e) {
                if (total > 0) return total;
                throw e;
            }
            as.write(base, b, 0, n);
            total += n;
            if (n < len) break;
        }
        return total;
    }

    /**
     * preadv and pwritev (write): readv and writev at {@code pos}, which the file's own position
     * does not follow. As Linux: EINVAL for a negative position, then EBADF, then ESPIPE for what
     * has no position (a pipe, a socket, a terminal).
     */
    int vectorAt(int fd, int iov, int count, long pos, boolean write) throws IOException {
        OpenFile f = positioned(fd, count, pos);
        return write ? gatherWrite(f, iov, count, pos) : scatterRead(f, iov, count, pos);
    }

    /** The file of a vector call at {@code pos}, checked in Linux's order (see {@link #vectorAt}). */
    private OpenFile positioned(int fd, int count, long pos) {
        if (pos < 0) throw new LinuxError(Errno.EINVAL);
        OpenFile f = file(fd);
        if (!(f instanceof RegularFile)) throw new LinuxError(Errno.ESPIPE);
        if (count < 0 || count > 1024) throw new LinuxError(Errno.EINVAL);
        return f;
    }

    /** preadv2's and pwritev2's flags that Linux 6.1 knows: RWF_HIPRI, RWF_DSYNC, RWF_SYNC, RWF_NOWAIT, RWF_APPEND. */
    static final int RWF_NOWAIT = 0x8, RWF_APPEND = 0x10, RWF_KNOWN = 0x1F;

    /**
     * preadv2 and pwritev2 (write): readv and writev at the file's position when {@code pos} is -1,
     * else preadv and pwritev at {@code pos}, with flags for the one call. An unknown flag is
     * EOPNOTSUPP, once there are bytes to move (Linux looks at them only then). RWF_APPEND writes at
     * the end of a regular file (the file's position follows only with -1); RWF_HIPRI, RWF_DSYNC and
     * RWF_SYNC change nothing here (writes reach the host file as they are made, as fsync's do);
     * RWF_NOWAIT is honoured for regular files, whose reads and writes do not wait, and refused
     * (EOPNOTSUPP) for the others, where Linux makes a read or write that would wait fail with EAGAIN.
     */
    int vectorWithFlags(int fd, int iov, int count, long pos, int flags, boolean write) throws IOException {
        OpenFile f;
        if (pos == -1) {
            f = file(fd);
            if (count < 0 || count > 1024) throw new LinuxError(Errno.EINVAL);
        } else {
            f = positioned(fd, count, pos);
        }
        boolean regular = f instanceof RegularFile r && r.regular();
        if (flags != 0 && anyBytes(iov, count)) {
            if ((flags & ~RWF_KNOWN) != 0 || ((flags & RWF_NOWAIT) != 0 && !regular)) throw new LinuxError(Errno.EOPNOTSUPP);
            if (write && (flags & RWF_APPEND) != 0 && regular) {
                if (pos != -1) return gatherWrite(f, iov, count, ((RegularFile) f).size());
                f.seek(0, 2); // SEEK_END: the position follows the write
            }
        }
        return write ? gatherWrite(f, iov, count, pos) : scatterRead(f, iov, count, pos); // -1: at the file's position
    }

    /** Whether the iovec array asks for any bytes at all. */
    private boolean anyBytes(int iov, int count) {
        for (int i = 0; i < count; i++) if (as.read32(iov + i * 8 + 4) != 0) return true;
        return false;
    }

    private static final int MAX_GATHER = 1 << 24;

    /** The vectors' bytes in one write: at the file's position, or at {@code pos} when it is not negative (pwritev). */
    private int gatherWrite(OpenFile f, int iov, int count, long pos) throws IOException {
        long want = 0;
        for (int i = 0; i < count; i++) want += clamp(as.read32(iov + i * 8 + 4), MAX_GATHER);
        int len = withinFileSizeLimit(f, pos, (int) Math.min(want, MAX_GATHER));
        if (len == 0) return 0;
        byte[] b = transferBuffer(len);
        int at = 0;
        for (int i = 0; i < count && at < len; i++) {
            int n = Math.min(clamp(as.read32(iov + i * 8 + 4), MAX_GATHER), len - at);
            try {
                as.read(as.read32(iov + i * 8), b, at, n);
            } catch (LinuxError e) {
                if (at == 0) throw e;
                break; // a bad vector after good ones: those go, as Linux's copy stops at the fault
            }
            at += n;
        }
        return pos < 0 ? f.write(b, 0, at) : f.pwrite(b, 0, at, pos);
    }

    long seek(int fd, long offset, int whence) throws IOException {
        return file(fd).seek(offset, whence);
    }

    int dup(int fd, int from, boolean closeOnExec) {
        return share(file(fd), from, closeOnExec);
    }

    /** A new descriptor (the lowest from {@code from}) for the description f, which one more descriptor now holds. */
    private int share(OpenFile f, int from, boolean closeOnExec) {
        int n = allocate(f, from, closeOnExec);
        f.retain();
        return n;
    }

    int dup2(int fd, int to, int flags) throws IOException {
        OpenFile f = file(fd);
        if (to < 0 || to >= descriptorLimit()) throw new LinuxError(Errno.EBADF);
        if (fd == to) return to;
        OpenFile old;
        synchronized (fds) {
            old = fds[to];
            fds[to] = f;
            highest = Math.max(highest, to);
            cloexec[to] = (flags & O_CLOEXEC) != 0;
            f.retain();
        }
        if (old != null) {
            releaseRecordLocks(old);
            old.release();
        }
        return to;
    }

    /** pipe and pipe2: O_CLOEXEC and O_NONBLOCK for both ends (O_DIRECT's packet mode is taken but not kept apart). */
    int pipe(int fdsAddr, int flags) {
        if ((flags & ~(O_CLOEXEC | O_NONBLOCK | O_DIRECT)) != 0) throw new LinuxError(Errno.EINVAL);
        PipeFile.Buffer b = PipeFile.Buffer.pipe();
        long ino = NEXT_PIPE_INO.getAndIncrement();
        PipeFile in = new PipeFile(b, true, ino), out = new PipeFile(b, false, ino);
        if ((flags & O_NONBLOCK) != 0) {
            in.statusFlags |= O_NONBLOCK;
            out.statusFlags |= O_NONBLOCK;
        }
        return installPair(in, out, (flags & O_CLOEXEC) != 0, fdsAddr);
    }

    /** Gives a and b descriptors and writes them to the two ints at addr; neither stays when that write faults. */
    private int installPair(OpenFile a, OpenFile b, boolean closeOnExec, int addr) {
        int fa = allocate(a, 0, closeOnExec);
        int fb = allocate(b, 0, closeOnExec);
        try {
            as.write32(addr, fa);
            as.write32(addr + 4, fb);
        } catch (LinuxError e) {
            synchronized (fds) {
                fds[fa] = null;
                fds[fb] = null;
            }
            throw e;
        }
        return 0;
    }

    /** A descriptor for a file passed in a message (SCM_RIGHTS), which brings its own reference: the lowest free one. */
    int install(OpenFile f, boolean closeOnExec) {
        return allocate(f, 0, closeOnExec);
    }

    /** A descriptor for a new socket (socket, accept): the lowest free one. */
    int installSocket(UnixSocketFile s, boolean nonBlocking, boolean closeOnExec) {
        if (nonBlocking) s.statusFlags |= O_NONBLOCK;
        return allocate(s, 0, closeOnExec);
    }

    /** An inode number for a new socket. */
    static long newSocketIno() {
        return NEXT_PIPE_INO.getAndIncrement();
    }

    /** The host path of a socket's name (bind, connect): relative to the working directory, through the sysroot as any path. */
    Path socketPath(byte[] sunPath) {
        String p = new String(sunPath, java.nio.charset.StandardCharsets.UTF_8);
        if (p.isEmpty()) throw new LinuxError(Errno.ENOENT);
        return resolve(AT_FDCWD, p);
    }

    /** The file creation mask (a socket file's mode is 0777 less it). */
    int umask() {
        return umask;
    }

    /** Gives both ends of a new socket pair descriptors and writes them to sv[0] and sv[1]. */
    int socketpair(int type, boolean nonBlocking, boolean closeOnExec, int sv) {
        UnixSocketFile[] ends = UnixSocketFile.pair(type, NEXT_PIPE_INO.getAndAdd(2));
        for (UnixSocketFile e : ends) if (nonBlocking) e.statusFlags |= O_NONBLOCK;
        return installPair(ends[0], ends[1], closeOnExec, sv);
    }

    /** fcntl64; {@code privileged} (an effective uid of 0) may make a pipe larger than pipe-max-size. */
    int fcntl(int fd, int cmd, int arg, boolean privileged) throws IOException {
        OpenFile f = file(fd);
        switch (cmd) {
            case 0: return dup(fd, arg, false);        // F_DUPFD
            case 1030: return dup(fd, arg, true);      // F_DUPFD_CLOEXEC
            case 1: return cloexec[fd] ? 1 : 0;        // F_GETFD
            case 2: cloexec[fd] = (arg & 1) != 0; return 0; // F_SETFD
            case 3: return f.statusFlags;              // F_GETFL
            case 4:                                    // F_SETFL: only O_APPEND and O_NONBLOCK change
                f.statusFlags = (f.statusFlags & ~(O_APPEND | O_NONBLOCK)) | (arg & (O_APPEND | O_NONBLOCK));
                return 0;
            case 5: case 12: return testLock(f, arg, cmd == 12);           // F_GETLK, F_GETLK64
            case 6: case 7: case 13: case 14: return setLock(f, arg, cmd >= 13, cmd == 7 || cmd == 14); // F_SETLK(W)(64)
            case 1031: return pipeOf(f).resize(arg, privileged); // F_SETPIPE_SZ
            case 1032: return pipeOf(f).capacity();    // F_GETPIPE_SZ
            default: throw new LinuxError(Errno.EINVAL);
        }
    }

    private static final short F_RDLCK = 0, F_WRLCK = 1, F_UNLCK = 2;

    /**
     * F_GETLK(64): the first lock of another process that the described one would conflict
     * with, as l_type, SEEK_SET, l_start, l_len and l_pid; F_UNLCK (the rest as given) when none.
     */
    private int testLock(OpenFile f, int flock, boolean wide) throws IOException {
        long[] range = lockRange(f, flock, wide);
        int type = lockType(flock);
        if (type == F_UNLCK) throw new LinuxError(Errno.EINVAL);
        RecordLocks.Range r = RecordLocks.conflict(FileLocks.key(f), lockOwner, type == F_WRLCK, range[0], range[1]);
        if (r == null) {
            as.write(flock, new byte[] {F_UNLCK, 0});
            return 0;
        }
        long len = r.end() == RecordLocks.TO_END ? 0 : r.end() - r.start() + 1;
        as.write(flock, new byte[] {(byte) (r.write() ? F_WRLCK : F_RDLCK), 0, 0, 0}); // l_type, l_whence SEEK_SET
        if (wide) {
            as.write64(flock + 4, r.start());
            as.write64(flock + 12, len);
            as.write32(flock + 20, r.owner());
        } else {
            if (r.start() > Integer.MAX_VALUE || len > Integer.MAX_VALUE) throw new LinuxError(Errno.EOVERFLOW);
            as.write32(flock + 4, (int) r.start());
            as.write32(flock + 8, (int) len);
            as.write32(flock + 12, r.owner());
        }
        return 0;
    }

    /** F_SETLK(W)(64): takes or clears this process's lock (EAGAIN on a conflict, or a wait); EBADF when the descriptor's mode does not allow the kind. */
    private int setLock(OpenFile f, int flock, boolean wide, boolean wait) throws IOException {
        int type = lockType(flock);
        long[] range = lockRange(f, flock, wide);
        int access = f.statusFlags & O_ACCMODE;
        if ((type == F_RDLCK && access == O_WRONLY) || (type == F_WRLCK && access == O_RDONLY)) throw new LinuxError(Errno.EBADF);
        Object file = FileLocks.key(f);
        SignalWaits.await(() -> {
            RecordLocks.set(file, lockOwner, type == F_UNLCK, type == F_WRLCK, range[0], range[1], wait);
            return 0;
        });
        return 0;
    }

    /** The l_type of a struct flock (or flock64, the same first field); EINVAL for another value. */
    private int lockType(int flock) {
        int type = as.read32(flock) << 16 >> 16;
        if (type != F_RDLCK && type != F_WRLCK && type != F_UNLCK) throw new LinuxError(Errno.EINVAL);
        return type;
    }

    /** The byte range [first, last] a struct flock(64) describes (l_whence, l_start, l_len), last TO_END for l_len 0. */
    private long[] lockRange(OpenFile f, int flock, boolean wide) throws IOException {
        int whence = as.read32(flock) >> 16;
        long start = wide ? as.read64(flock + 4) : as.read32(flock + 4);
        long len = wide ? as.read64(flock + 12) : as.read32(flock + 8);
        long base = switch (whence) {
            case 0 -> 0;
            case 1 -> f.seek(0, 1);
            case 2 -> f.stat().size();
            default -> throw new LinuxError(Errno.EINVAL);
        };
        start += base;
        long end;
        if (len > 0) {
            end = start + len - 1 < start ? RecordLocks.TO_END : start + len - 1;
        } else if (len == 0) {
            end = RecordLocks.TO_END;
        } else {
            end = start - 1;
            start += len;
        }
        if (start < 0) throw new LinuxError(Errno.EINVAL);
        return new long[] {start, end};
    }

    private static PipeFile pipeOf(OpenFile f) {
        if (f instanceof PipeFile p) return p;
        throw new LinuxError(Errno.EBADF);
    }

    int ioctl(int fd, int request, int arg) throws IOException {
        return Ioctls.ioctl(this, as, fd, request, arg);
    }

    /** FIOCLEX and FIONCLEX: the close-on-exec flag of a descriptor, as F_SETFD sets it. */
    void setCloseOnExec(int fd, boolean on) {
        synchronized (fds) {
            file(fd);
            cloexec[fd] = on;
        }
    }

    /** fadvise64(_64): advice is only advice; Linux checks the descriptor (ESPIPE for a pipe) and the advice. */
    int fadvise(int fd, int advice) {
        OpenFile f = file(fd);
        if (f instanceof PipeFile || f instanceof StreamFile) throw new LinuxError(Errno.ESPIPE);
        if (advice < 0 || advice > 5) throw new LinuxError(Errno.EINVAL); // NORMAL .. NOREUSE
        return 0;
    }

    int getdents64(int fd, int buf, int count) throws IOException {
        DirectoryFile d = file(fd).asDirectory();
        ByteBuffer b = ByteBuffer.allocate(clamp(count, 1 << 20));
        int n = d.entries(b, b.capacity());
        as.write(buf, b.array(), 0, n);
        return n;
    }

    int ftruncate(int fd, long size) throws IOException {
        if (size < 0) throw new LinuxError(Errno.EINVAL);
        OpenFile f = file(fd);
        if (f instanceof RegularFile r && r.regular()) truncateWithinLimit(size);
        f.truncate(size);
        return 0;
    }

    /** truncate and truncate64: a regular file by path, which must be writable (EISDIR for a directory). */
    int truncate(int pathAddr, long size) throws IOException {
        Path p = resolve(AT_FDCWD, path(pathAddr));
        if (size < 0) throw new LinuxError(Errno.EINVAL);
        if (!Files.exists(p)) throw new LinuxError(Errno.ENOENT);
        if (Files.isDirectory(p)) throw new LinuxError(Errno.EISDIR);
        if (!Files.isRegularFile(p)) throw new LinuxError(Errno.EINVAL);
        truncateWithinLimit(size);
        try (FileChannel ch = FileChannel.open(p, StandardOpenOption.WRITE)) {
            RegularFile.setLength(ch, size);
        }
        return 0;
    }

    /** flock on the description behind {@code fd}. */
    int flock(int fd, int op) throws IOException {
        return FileLocks.flock(file(fd), op);
    }

    // ------------------------------------------------------------------------------------------
    // Status.

    private FileStat statOf(int dirfd, int pathAddr, int flags) throws IOException {
        String p = as.readString(pathAddr, PATH_MAX);
        if (p.isEmpty()) {
            if ((flags & AT_EMPTY_PATH) == 0) throw new LinuxError(Errno.ENOENT);
            return dirfd == AT_FDCWD ? FileStat.of(cwd, true) : file(dirfd).stat();
        }
        boolean follow = (flags & AT_SYMLINK_NOFOLLOW) == 0;
        OpenFile pathless = follow ? pathlessProcFd(p) : null;
        if (pathless != null) return pathless.stat();
        String own = follow ? null : ownProc(p);
        if (own != null && (own.equals("exe") || own.equals("cwd") || own.startsWith("fd/"))) {
            // lstat of the process's own /proc links: symbolic links, as Linux has them (realpath follows them)
            OpenFile linked = pathlessProcFd(p);
            FileStat target = linked != null ? linked.stat() : FileStat.of(resolve(dirfd, p), true);
            long now = System.currentTimeMillis() * 1_000_000L;
            return new FileStat(target.dev(), target.ino(), FileStat.S_IFLNK | 0777, 1, target.uid(), target.gid(), 0, 64, 1024, 0,
                    now, now, now);
        }
        return FileStat.of(resolve(dirfd, p), follow);
    }

    int stat64(int dirfd, int pathAddr, int buf, int flags) throws IOException {
        as.write(buf, statOf(dirfd, pathAddr, flags).toStat64());
        return 0;
    }

    int fstat64(int fd, int buf) throws IOException {
        as.write(buf, file(fd).stat().toStat64());
        return 0;
    }

    int statx(int dirfd, int pathAddr, int flags, int buf) throws IOException {
        as.write(buf, statOf(dirfd, pathAddr, flags).toStatx());
        return 0;
    }

    /** statfs64 (a path) and fstatfs64 ({@code fd} not -1): struct statfs64 of i386, 84 bytes. */
    int statfs64(int dirfd, int pathAddr, int buf, int fd) throws IOException {
        Path p = fd >= 0 ? file(fd).path() : resolve(dirfd, path(pathAddr));
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(84).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        if (p != null) {
            java.nio.file.FileStore store = Files.getFileStore(p);
            long bs = 4096;
            b.putInt(0, 0xEF53).putInt(4, (int) bs).putLong(8, store.getTotalSpace() / bs).putLong(16, store.getUnallocatedSpace() / bs)
                    .putLong(24, store.getUsableSpace() / bs).putInt(56, 255).putInt(60, (int) bs);
        } else {
            b.putInt(0, 0x50495045).putInt(4, 4096).putInt(56, 255).putInt(60, 4096); // PIPEFS_MAGIC
        }
        as.write(buf, b.array());
        return 0;
    }

    int access(int dirfd, int pathAddr, int mode) {
        String guestPath = path(pathAddr);
        if (pathlessProcFd(guestPath) != null) return 0; // a pipe, terminal or socket of its own
        Path p = resolve(dirfd, guestPath);
        if (!Files.exists(p)) throw new LinuxError(Errno.ENOENT);
        if ((mode & 4) != 0 && !Files.isReadable(p)) throw new LinuxError(Errno.EACCES);
        if ((mode & 2) != 0 && !Files.isWritable(p)) throw new LinuxError(Errno.EACCES);
        if ((mode & 1) != 0 && !Files.isExecutable(p)) throw new LinuxError(Errno.EACCES);
        return 0;
    }

    int readlink(int dirfd, int pathAddr, int buf, int size) throws IOException {
        String p = path(pathAddr);
        if (size <= 0) throw new LinuxError(Errno.EINVAL);
        String own = ownProc(p);
        String target;
        if (!p.startsWith("/dev/fd/") && !devAlias(p).equals(p)) {
            target = devAlias(p); // /dev/stdin and its kin are links to /proc/self/fd
        } else if (own != null && (own.equals("exe") || own.equals("cwd"))) {
            target = resolve(dirfd, p).toAbsolutePath().toString();
        } else if (own != null && own.startsWith("fd/")) {
            target = procFdTarget(own);
        } else if (p.equals("/proc/self") || p.equals("/proc/thread-self")) {
            target = p.equals("/proc/self") ? Integer.toString(lockOwner) : lockOwner + "/task/" + lockOwner;
        } else {
            target = Files.readSymbolicLink(resolve(dirfd, p)).toString();
        }
        byte[] b = target.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        int n = Math.min(b.length, size);
        as.write(buf, b, 0, n);
        return n;
    }

    /** What a /proc/self/fd/N link reads as: the file's path, or pipe:[ino], socket:[ino], anon_inode:[...]. */
    private String procFdTarget(String own) throws IOException {
        OpenFile f = procFd(own);
        if (f == null) throw new LinuxError(Errno.ENOENT);
        if (f.path() != null) return f.path().toAbsolutePath().toString();
        FileStat st = f.stat();
        return switch (st.mode() & 0170000) {
            case FileStat.S_IFIFO -> "pipe:[" + st.ino() + "]";
            case FileStat.S_IFSOCK -> "socket:[" + st.ino() + "]";
            case FileStat.S_IFCHR -> "/dev/pts/0";
            default -> "anon_inode:" + anonymousName(f);
        };
    }

    /** The name Linux gives an anonymous inode's file in /proc/self/fd (fs/anon_inodes.c's callers). */
    private static String anonymousName(OpenFile f) {
        if (f instanceof EventFile) return "[eventfd]";
        if (f instanceof TimerFile) return "[timerfd]";
        if (f instanceof EpollFile) return "[eventpoll]";
        if (f instanceof SignalFile) return "[signalfd]";
        if (f instanceof PidFile) return "[pidfd]";
        return "[" + f.getClass().getSimpleName().replace("File", "").toLowerCase(java.util.Locale.ROOT) + "]";
    }

    /** The guest's open descriptors and the lowest free one (the listing's own, about to be opened), as /proc/self/fd lists them. */
    private List<String> openDescriptors() {
        List<String> names = new java.util.ArrayList<>();
        boolean ownAdded = false;
        synchronized (fds) {
            for (int fd = 0; fd < MAX_FDS; fd++) {
                if (fds[fd] != null || !ownAdded) names.add(Integer.toString(fd));
                if (fds[fd] == null) ownAdded = true;
            }
        }
        return names;
    }

    int getcwd(int buf, int size) {
        byte[] b = (cwd.toString() + "\0").getBytes(java.nio.charset.StandardCharsets.UTF_8);
        if (size < b.length) throw new LinuxError(Errno.ERANGE);
        as.write(buf, b);
        return b.length;
    }

    int chdir(Path p) {
        if (!Files.exists(p)) throw new LinuxError(Errno.ENOENT);
        if (!Files.isDirectory(p)) throw new LinuxError(Errno.ENOTDIR);
        cwd = p.normalize();
        return 0;
    }

    int chdir(int pathAddr) {
        return chdir(resolve(AT_FDCWD, path(pathAddr)));
    }

    int fchdir(int fd) {
        Path p = file(fd).path();
        if (p == null) throw new LinuxError(Errno.ENOTDIR);
        return chdir(p);
    }

    int umask(int mask) {
        int old = umask;
        umask = mask & 0777;
        return old;
    }

    // ------------------------------------------------------------------------------------------
    // Changing the file system.

    int mkdir(int dirfd, int pathAddr, int mode) throws IOException {
        Files.createDirectory(resolve(dirfd, path(pathAddr)), PosixFilePermissions.asFileAttribute(permissions(mode & ~umask & 0777)));
        return 0;
    }

    /**
     * mknod and mknodat: a FIFO (made by the host's mkfifo: Java has no call for it) or an empty
     * regular file; device and socket nodes EPERM (kasou makes no device files on the host).
     */
    int mknod(int dirfd, int pathAddr, int mode) throws IOException {
        Path p = resolve(dirfd, path(pathAddr));
        int perms = mode & ~umask & 0777;
        switch (mode & 0170000) {
            case 0, FileStat.S_IFREG -> Files.createFile(p, PosixFilePermissions.asFileAttribute(permissions(perms)));
            case FileStat.S_IFIFO -> HostFifos.create(p, perms);
            case FileStat.S_IFCHR, 0060000, FileStat.S_IFSOCK -> throw new LinuxError(Errno.EPERM); // 0060000: S_IFBLK
            default -> throw new LinuxError(Errno.EINVAL);
        }
        return 0;
    }

    /** A name in the process's own /proc (or /dev/fd) stands for another file: it cannot be removed or renamed (EPERM, as Linux's proc links). */
    private void notOwnProcName(String guestPath) {
        if (ownProc(guestPath) != null) throw new LinuxError(Errno.EPERM);
    }

    int unlink(int dirfd, int pathAddr, int flags) throws IOException {
        String guestPath = path(pathAddr);
        notOwnProcName(guestPath);
        if (linkWithSlash(dirfd, guestPath)) throw new LinuxError(Errno.ENOTDIR); // the link itself, which is no directory
        Path p = resolve(dirfd, guestPath);
        boolean dir = Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS);
        if ((flags & AT_REMOVEDIR) != 0) {
            if (!dir && Files.exists(p, LinkOption.NOFOLLOW_LINKS)) throw new LinuxError(Errno.ENOTDIR);
        } else if (dir) {
            throw new LinuxError(Errno.EISDIR);
        }
        Files.delete(p);
        return 0;
    }

    int rename(int olddirfd, int oldAddr, int newdirfd, int newAddr) throws IOException {
        String from = path(oldAddr), to = path(newAddr);
        boolean fromProc = ownProc(from) != null, toProc = ownProc(to) != null;
        if (fromProc || toProc) throw new LinuxError(fromProc && toProc ? Errno.EPERM : Errno.EXDEV); // /proc is a file system of its own
        Files.move(resolve(olddirfd, from), resolve(newdirfd, to), StandardCopyOption.REPLACE_EXISTING,
                StandardCopyOption.ATOMIC_MOVE);
        return 0;
    }

    int symlink(int targetAddr, int dirfd, int linkAddr) throws IOException {
        Files.createSymbolicLink(resolve(dirfd, path(linkAddr)), Path.of(as.readString(targetAddr, PATH_MAX)));
        return 0;
    }

    int chmod(int dirfd, int pathAddr, int mode) throws IOException {
        Files.setPosixFilePermissions(resolve(dirfd, path(pathAddr)), permissions(mode & 0777));
        return 0;
    }

    /**
     * utimensat (and futimens with a null path): times is two timespecs (32- or 64-bit fields) for
     * access and modification, with UTIME_NOW and UTIME_OMIT; null means now for both.
     */
    int utimensat(int dirfd, int pathAddr, int times, int flags, boolean time64) throws IOException {
        Path p;
        if (pathAddr == 0) {
            p = dirfd == AT_FDCWD ? cwd : file(dirfd).path();
            if (p == null) throw new LinuxError(Errno.EBADF);
        } else {
            p = resolve(dirfd, path(pathAddr));
        }
        LinkOption[] link = (flags & AT_SYMLINK_NOFOLLOW) != 0 ? new LinkOption[] {LinkOption.NOFOLLOW_LINKS} : new LinkOption[0];
        if (!Files.exists(p, link)) throw new LinuxError(Errno.ENOENT);
        java.nio.file.attribute.FileTime now = java.nio.file.attribute.FileTime.from(java.time.Instant.now());
        java.nio.file.attribute.FileTime[] t = {now, now};
        if (times != 0) {
            int size = time64 ? 16 : 8;
            for (int i = 0; i < 2; i++) {
                long sec = time64 ? (as.read32(times + i * size) & 0xFFFFFFFFL) | ((long) as.read32(times + i * size + 4) << 32)
                        : as.read32(times + i * size);
                long nsec = as.read32(times + i * size + (time64 ? 8 : 4));
                if (nsec == (1 << 30) - 2) t[i] = null;            // UTIME_OMIT
                else if (nsec == (1 << 30) - 1) t[i] = now;        // UTIME_NOW
                else if (nsec < 0 || nsec >= 1_000_000_000L) throw new LinuxError(Errno.EINVAL);
                else t[i] = java.nio.file.attribute.FileTime.from(java.time.Instant.ofEpochSecond(sec, nsec));
            }
        }
        setTimes(p, link, t);
        return 0;
    }

    /**
     * utimes (two timevals: seconds and microseconds; {@code seconds} false) and utime (a
     * utimbuf: two 32-bit seconds); null means now for both.
     */
    int utimes(int pathAddr, int times, boolean seconds) throws IOException {
        Path p = resolve(AT_FDCWD, path(pathAddr));
        if (!Files.exists(p)) throw new LinuxError(Errno.ENOENT);
        java.nio.file.attribute.FileTime now = java.nio.file.attribute.FileTime.from(java.time.Instant.now());
        java.nio.file.attribute.FileTime[] t = {now, now};
        for (int i = 0; times != 0 && i < 2; i++) {
            long sec = as.read32(times + (seconds ? 4 : 8) * i);
            int usec = seconds ? 0 : as.read32(times + 8 * i + 4);
            if (usec < 0 || usec >= 1_000_000) throw new LinuxError(Errno.EINVAL);
            t[i] = java.nio.file.attribute.FileTime.from(java.time.Instant.ofEpochSecond(sec, usec * 1000L));
        }
        setTimes(p, new LinkOption[0], t);
        return 0;
    }

    /** Sets a file's access (t[0]) and modification (t[1]) times; a null one stays. */
    private static void setTimes(Path p, LinkOption[] link, java.nio.file.attribute.FileTime[] t) throws IOException {
        java.nio.file.attribute.BasicFileAttributeView view = Files.getFileAttributeView(p,
                java.nio.file.attribute.BasicFileAttributeView.class, link);
        view.setTimes(t[1], t[0], null);
    }

    /** chown and friends: -1 leaves an id as it is. */
    int chown(int dirfd, int pathAddr, int fd, int uid, int gid, int flags) throws IOException {
        Path p = fd >= 0 ? file(fd).path() : resolve(dirfd, path(pathAddr));
        if (p == null) throw new LinuxError(Errno.EINVAL);
        LinkOption[] link = (flags & AT_SYMLINK_NOFOLLOW) != 0 ? new LinkOption[] {LinkOption.NOFOLLOW_LINKS} : new LinkOption[0];
        if (!Files.exists(p, link)) throw new LinuxError(Errno.ENOENT);
        if (uid != -1) Files.setAttribute(p, "unix:uid", uid, link);
        if (gid != -1) Files.setAttribute(p, "unix:gid", gid, link);
        return 0;
    }

    int link(int olddirfd, int oldAddr, int newdirfd, int newAddr) throws IOException {
        Files.createLink(resolve(newdirfd, path(newAddr)), resolve(olddirfd, path(oldAddr)));
        return 0;
    }

    int fchmod(int fd, int mode) throws IOException {
        Path p = file(fd).path();
        if (p == null) throw new LinuxError(Errno.EINVAL);
        Files.setPosixFilePermissions(p, permissions(mode & 0777));
        return 0;
    }
}
