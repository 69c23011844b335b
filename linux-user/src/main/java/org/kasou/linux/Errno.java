package org.kasou.linux;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.FileSystemLoopException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.NotLinkException;

/** Linux's errno values (asm-generic/errno-base.h and errno.h, the same on i386). */
final class Errno {
    static final int EPERM = 1, ENOENT = 2, ESRCH = 3, EINTR = 4, EIO = 5, ENXIO = 6, E2BIG = 7, ENOEXEC = 8, EBADF = 9, ECHILD = 10, EAGAIN = 11,
            ENOMEM = 12, EACCES = 13, EFAULT = 14, EBUSY = 16, EEXIST = 17, EXDEV = 18, ENOTDIR = 20, EISDIR = 21, EINVAL = 22,
            EMFILE = 24, ENOTTY = 25, EFBIG = 27, ENOSPC = 28, ESPIPE = 29, EROFS = 30, EPIPE = 32, EDOM = 33, ERANGE = 34,
            ENAMETOOLONG = 36, ENOSYS = 38, ENOTEMPTY = 39, ELOOP = 40, ENOMSG = 42, EIDRM = 43, ENODATA = 61, EOVERFLOW = 75, ENOTSOCK = 88, EMSGSIZE = 90, ENOPROTOOPT = 92,
            EDESTADDRREQ = 89, EPROTOTYPE = 91, EPROTONOSUPPORT = 93, ESOCKTNOSUPPORT = 94, EOPNOTSUPP = 95, EAFNOSUPPORT = 97,
            EADDRINUSE = 98, EADDRNOTAVAIL = 99, ENETUNREACH = 101, ECONNABORTED = 103, ECONNRESET = 104, EISCONN = 106,
            ENOTCONN = 107, ETIMEDOUT = 110, ECONNREFUSED = 111, EHOSTUNREACH = 113, EALREADY = 114, EINPROGRESS = 115;
    /**
     * The kernel's own codes for a wait that a signal cut short, never seen by a program: after
     * the signal, the call is carried out again or fails with EINTR (see {@link Restart}).
     */
    static final int ERESTARTSYS = 512, ERESTARTNOINTR = 513, ERESTARTNOHAND = 514, ERESTART_RESTARTBLOCK = 516;

    private Errno() {
    }

    /** The errno for a failed host file operation. */
    static int of(IOException e) {
        if (e instanceof NoSuchFileException) return ENOENT;
        if (e instanceof FileAlreadyExistsException) return EEXIST;
        if (e instanceof AccessDeniedException) return EACCES;
        if (e instanceof NotDirectoryException) return ENOTDIR;
        if (e instanceof DirectoryNotEmptyException) return ENOTEMPTY;
        if (e instanceof NotLinkException) return EINVAL;
        if (e instanceof FileSystemLoopException) return ELOOP;
        if (e instanceof java.net.ConnectException) return ECONNREFUSED;
        if (e instanceof java.net.NoRouteToHostException) return EHOSTUNREACH;
        if (e instanceof java.nio.channels.ClosedChannelException) return EPIPE;
        if (!(e instanceof FileSystemException) && e.getMessage() != null) { // the host's socket errors
            String m = e.getMessage();
            if (m.contains("Address already in use")) return EADDRINUSE;
            if (m.contains("Cannot assign requested address")) return EADDRNOTAVAIL;
            if (m.contains("Network is unreachable")) return ENETUNREACH;
            if (m.contains("Connection refused")) return ECONNREFUSED;
            if (m.contains("Connection reset")) return ECONNRESET;
            if (m.contains("Broken pipe")) return EPIPE;
            if (m.contains("timed out")) return ETIMEDOUT;
            if (m.contains("Permission denied")) return EACCES;
            if (m.contains("Message too long")) return EMSGSIZE;
        }
        if (e instanceof FileSystemException f && f.getReason() != null) {
            String r = f.getReason();
            if (r.contains("Is a directory")) return EISDIR;
            if (r.contains("Not a directory")) return ENOTDIR;
            if (r.contains("Permission denied")) return EACCES;
            if (r.contains("No such file")) return ENOENT;
            if (r.contains("Too many levels")) return ELOOP;
            if (r.contains("Directory not empty")) return ENOTEMPTY;
            if (r.contains("Read-only")) return EROFS;
            if (r.contains("cross-device")) return EXDEV;
            if (r.contains("Invalid argument")) return EINVAL;
            if (r.contains("No data available")) return ENODATA;
            if (r.contains("Numerical result out of range")) return ERANGE;
            if (r.contains("Operation not supported")) return EOPNOTSUPP;
            if (r.contains("Operation not permitted")) return EPERM;
            if (r.contains("Argument list too long")) return E2BIG;
            if (r.contains("No space left")) return ENOSPC;
        }
        return EIO;
    }
}
