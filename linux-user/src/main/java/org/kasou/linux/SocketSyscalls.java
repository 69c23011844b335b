package org.kasou.linux;

import java.io.IOException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The socket system calls, for the sockets kasou has: AF_UNIX sockets ({@link UnixSocketFile}),
 * pairs (socketpair) and sockets with names (bind, listen, accept, connect), between the
 * processes of a run (and of the JVM), descriptors passed with SCM_RIGHTS. There is no network:
 * socket() for another family fails with EAFNOSUPPORT, which programs take as "this kind of
 * socket is not available". Both ways in are served: the calls of their own (socket 359 to
 * shutdown 373) and socketcall (102), which passes a call number and a pointer to the arguments.
 */
final class SocketSyscalls {
    private static final Logger LOG = LoggerFactory.getLogger(SocketSyscalls.class);
    private static final AtomicBoolean NO_NETWORK_REPORTED = new AtomicBoolean();
    private static final AtomicBoolean CONTROL_REPORTED = new AtomicBoolean();
    private static final AtomicBoolean DATAGRAM_NAMES_REPORTED = new AtomicBoolean();

    static final int AF_UNIX = 1;
    static final int SOCK_NONBLOCK = 04000, SOCK_CLOEXEC = 02000000;
    static final int SOL_SOCKET = 1;
    static final int SO_TYPE = 3, SO_ERROR = 4, SO_SNDBUF = 7, SO_RCVBUF = 8, SO_ACCEPTCONN = 30, SO_PROTOCOL = 38,
            SO_DOMAIN = 39;

    private final FileSyscalls files;
    private final GuestThread self;
    private final InetSocketCalls inet;
    private AddressSpace as;

    SocketSyscalls(FileSyscalls files, GuestThread self) {
        this.files = files;
        this.self = self;
        this.inet = new InetSocketCalls(files);
    }

    void setAddressSpace(AddressSpace as) {
        this.as = as;
        inet.setAddressSpace(as);
    }

    /** ENOTSOCK unless fd is a socket of some family. */
    private void anySocket(int fd) {
        if (inetSocket(fd) == null) socketOf(fd);
    }

    /** The AF_INET or AF_INET6 socket behind fd, or null for any other file. */
    private InetSocketFile inetSocket(int fd) {
        return files.file(fd) instanceof InetSocketFile s ? s : null;
    }

    /** socketcall(call, args): the arguments are 32-bit words at args. */
    int socketcall(int call, int args) throws IOException {
        int argc = switch (call) {
            case 1, 2, 3, 6, 7 -> 3;               // socket, bind, connect, getsockname, getpeername
            case 4, 13 -> 2;                       // listen, shutdown
            case 5 -> 3;                           // accept
            case 8, 9, 10 -> 4;                    // socketpair, send, recv
            case 11, 12 -> 6;                      // sendto, recvfrom
            case 14, 15 -> 5;                      // setsockopt, getsockopt
            case 16, 17 -> 3;                      // sendmsg, recvmsg
            case 18 -> 4;                          // accept4
            case 19 -> 5;                          // recvmmsg
            case 20 -> 4;                          // sendmmsg
            default -> -1;
        };
        if (argc < 0) throw new LinuxError(Errno.EINVAL);
        int[] a = new int[6];
        for (int i = 0; i < argc; i++) a[i] = as.read32(args + 4 * i);
        return switch (call) {
            case 1 -> socket(a[0], a[1], a[2]);
            case 2 -> bind(a[0], a[1], a[2]);
            case 3 -> connect(a[0], a[1], a[2]);
            case 4 -> listen(a[0], a[1]);
            case 5 -> accept(a[0], a[1], a[2], 0);
            case 18 -> accept(a[0], a[1], a[2], a[3]);
            case 6 -> name(a[0], a[1], a[2], false);
            case 7 -> name(a[0], a[1], a[2], true);
            case 8 -> socketpair(a[0], a[1], a[2], a[3]);
            case 9 -> sendto(a[0], a[1], a[2], a[3], 0, 0);
            case 10 -> recvfrom(a[0], a[1], a[2], a[3], 0, 0);
            case 11 -> sendto(a[0], a[1], a[2], a[3], a[4], a[5]);
            case 12 -> recvfrom(a[0], a[1], a[2], a[3], a[4], a[5]);
            case 13 -> shutdown(a[0], a[1]);
            case 14 -> setsockopt(a[0], a[1], a[2], a[3], a[4]);
            case 15 -> getsockopt(a[0], a[1], a[2], a[3], a[4]);
            case 16 -> sendmsg(a[0], a[1], a[2]);
            case 19 -> recvmmsg(a[0], a[1], a[2], a[3], a[4], false);
            case 20 -> sendmmsg(a[0], a[1], a[2], a[3]);
            default -> recvmsg(a[0], a[1], a[2]);
        };
    }

    /** The size of an i386 struct mmsghdr: a msghdr and the length sent or received. */
    private static final int MMSGHDR = 32;
    /** Linux's UIO_MAXIOV: at most so many messages a call. */
    private static final int MAX_MESSAGES = 1024;
    private static final int MSG_WAITFORONE = 0x10000;

    /**
     * sendmmsg: sendmsg for each entry in turn, its length stored in the entry; the messages sent,
     * an error only when the first fails (as Linux's __sys_sendmmsg).
     */
    int sendmmsg(int fd, int vec, int vlen, int flags) throws IOException {
        anySocket(fd);
        int n = Integer.compareUnsigned(vlen, MAX_MESSAGES) > 0 ? MAX_MESSAGES : vlen;
        int i = 0;
        for (; i < n; i++) {
            int sent;
            try {
                sent = sendmsg(fd, vec + MMSGHDR * i, flags);
            } catch (LinuxError e) {
                if (i == 0) throw e;
                break;
            }
            as.write32(vec + MMSGHDR * i + 28, sent);
        }
        return i;
    }

    /**
     * recvmmsg (and recvmmsg_time64 with {@code time64}): recvmsg for each entry in turn; after the
     * first message MSG_WAITFORONE turns on MSG_DONTWAIT, and the timeout, as Linux's, is looked at
     * only after each message. An error after some messages ends the call with those.
     */
    int recvmmsg(int fd, int vec, int vlen, int flags, int timeout, boolean time64) throws IOException {
        anySocket(fd);
        int n = Integer.compareUnsigned(vlen, MAX_MESSAGES) > 0 ? MAX_MESSAGES : vlen;
        long deadline = Long.MAX_VALUE;
        if (timeout != 0) {
            long sec = time64 ? as.read32(timeout) & 0xFFFFFFFFL | (long) as.read32(timeout + 4) << 32 : as.read32(timeout);
            long nsec = as.read32(timeout + (time64 ? 8 : 4));
            if (sec < 0 || nsec < 0 || nsec >= 1_000_000_000L) throw new LinuxError(Errno.EINVAL);
            deadline = System.nanoTime() + Math.min(sec, Long.MAX_VALUE / 2_000_000_000L) * 1_000_000_000L + nsec;
        }
        int i = 0;
        for (; i < n; i++) {
            int got;
            try {
                got = recvmsg(fd, vec + MMSGHDR * i, flags);
            } catch (LinuxError e) {
                if (i == 0) throw e;
                break;
            }
            as.write32(vec + MMSGHDR * i + 28, got);
            if ((flags & MSG_WAITFORONE) != 0) flags |= UnixSocketFile.MSG_DONTWAIT;
            if (System.nanoTime() - deadline >= 0) {
                i++;
                break;
            }
        }
        return i;
    }

    /**
     * socket(): an AF_UNIX socket (SOCK_RAW is SOCK_DGRAM there, as on Linux), an AF_INET or
     * AF_INET6 TCP or UDP socket (the host's); EAFNOSUPPORT for every other family.
     */
    int socket(int domain, int type, int protocol) {
        if (domain == InetSocketFile.AF_INET || domain == InetSocketFile.AF_INET6) {
            int kind = type & ~(SOCK_NONBLOCK | SOCK_CLOEXEC);
            if (kind < 1 || kind > SOCK_MAX) throw new LinuxError(Errno.EINVAL);
            return inet.socket(domain, kind, protocol, (type & SOCK_NONBLOCK) != 0, (type & SOCK_CLOEXEC) != 0);
        }
        if (domain != AF_UNIX) {
            if (NO_NETWORK_REPORTED.compareAndSet(false, true)) {
                LOG.info("socket({}, {}, {}): kasou has no network sockets (AF_UNIX works): -EAFNOSUPPORT", domain, type, protocol);
            }
            throw new LinuxError(Errno.EAFNOSUPPORT);
        }
        int kind = type & ~(SOCK_NONBLOCK | SOCK_CLOEXEC);
        if (kind < 1 || kind > SOCK_MAX) throw new LinuxError(Errno.EINVAL);
        if (kind == SOCK_RAW) kind = UnixSocketFile.SOCK_DGRAM;
        if (kind != UnixSocketFile.SOCK_STREAM && kind != UnixSocketFile.SOCK_DGRAM && kind != UnixSocketFile.SOCK_SEQPACKET) {
            throw new LinuxError(Errno.ESOCKTNOSUPPORT);
        }
        if (protocol != 0 && protocol != AF_UNIX) throw new LinuxError(Errno.EPROTONOSUPPORT);
        UnixSocketFile s = UnixSocketFile.unconnected(kind, FileSyscalls.newSocketIno());
        return files.installSocket(s, (type & SOCK_NONBLOCK) != 0, (type & SOCK_CLOEXEC) != 0);
    }

    private static final int SOCK_RAW = 3, SOCK_MAX = 10;

    int socketpair(int domain, int type, int protocol, int sv) {
        if (domain != AF_UNIX) throw new LinuxError(Errno.EOPNOTSUPP); // as Linux for AF_INET
        int kind = type & ~(SOCK_NONBLOCK | SOCK_CLOEXEC);
        if (kind != UnixSocketFile.SOCK_STREAM && kind != UnixSocketFile.SOCK_DGRAM && kind != UnixSocketFile.SOCK_SEQPACKET) {
            throw new LinuxError(Errno.EINVAL);
        }
        if (protocol != 0) throw new LinuxError(Errno.EPROTONOSUPPORT);
        return files.socketpair(kind, (type & SOCK_NONBLOCK) != 0, (type & SOCK_CLOEXEC) != 0, sv);
    }

    /** The socket behind fd; ENOTSOCK for any other file. */
    private UnixSocketFile socketOf(int fd) {
        OpenFile f = files.file(fd);
        if (f instanceof UnixSocketFile) return (UnixSocketFile) f;
        throw new LinuxError(Errno.ENOTSOCK);
    }

    /** sun_path of the struct sockaddr_un of {@code len} bytes at addr (see UnixName#sunPath). */
    private byte[] sunPath(int addr, int len) {
        if (len < 2 || len > UnixName.MAX_ADDRESS) throw new LinuxError(Errno.EINVAL);
        return UnixName.sunPath(as.read(addr, len), len);
    }

    /**
     * bind: a path (a socket file made on the host, mode 0777 less the umask; EADDRINUSE where
     * something is), an abstract name, or with the family alone an abstract name of Linux's kind;
     * EINVAL when the socket has a name.
     */
    int bind(int fd, int addr, int len) throws IOException {
        InetSocketFile n = inetSocket(fd);
        if (n != null) {
            n.bind(inet.address(n, addr, len));
            return 0;
        }
        UnixSocketFile s = socketOf(fd);
        byte[] p = sunPath(addr, len);
        if (s.type == UnixSocketFile.SOCK_DGRAM && DATAGRAM_NAMES_REPORTED.compareAndSet(false, true)) {
            LOG.info("bind of an AF_UNIX datagram socket: it takes the name, but nothing sent to a name reaches it");
        }
        if (p.length == 0) UnixNames.autobind(s);
        else if (p[0] == 0) UnixNames.bindAbstract(s, p);
        else UnixNames.bindPath(s, p, files.socketPath(p), 0777 & ~files.umask());
        return 0;
    }

    int listen(int fd, int backlog) throws IOException {
        InetSocketFile n = inetSocket(fd);
        if (n != null) n.listen();
        else socketOf(fd).listen();
        return 0;
    }

    /**
     * connect: a stream or packet socket to the listening socket bound at the name, a datagram
     * socket to the datagram socket bound there, whose queue its sends then go to (ENOENT,
     * ECONNREFUSED, EPROTOTYPE as Linux's unix_find_other).
     */
    int connect(int fd, int addr, int len) throws IOException {
        InetSocketFile n = inetSocket(fd);
        if (n != null) {
            java.net.InetSocketAddress to = inet.address(n, addr, len);
            return SignalWaits.await(() -> {
                n.connect(to, n.nonBlocking());
                return 0;
            });
        }
        UnixSocketFile s = socketOf(fd);
        byte[] p = sunPath(addr, len);
        if (p.length == 0) throw new LinuxError(Errno.EINVAL);
        if (s.type != UnixSocketFile.SOCK_DGRAM && s.connected()) throw new LinuxError(Errno.EISCONN);
        if (s.listening()) throw new LinuxError(Errno.EINVAL);
        UnixSocketFile other = named(p, s.type);
        if (s.type == UnixSocketFile.SOCK_DGRAM) s.connectDatagram(other);
        else s.connectTo(other, FileSyscalls.newSocketIno());
        return 0;
    }

    /** The socket of {@code type} bound to sun_path p (see UnixNames). */
    private UnixSocketFile named(byte[] p, int type) throws IOException {
        return p[0] == 0 ? UnixNames.atAbstract(p, type) : UnixNames.atPath(files.socketPath(p), type);
    }

    /** accept and accept4: the next connection as a new descriptor, its peer's address at addr; EINVAL unless listening. */
    int accept(int fd, int addr, int lenPtr, int flags) throws IOException {
        if ((flags & ~(SOCK_NONBLOCK | SOCK_CLOEXEC)) != 0) throw new LinuxError(Errno.EINVAL);
        InetSocketFile n = inetSocket(fd);
        if (n != null) {
            InetSocketFile c = SignalWaits.await(() -> n.accept(n.nonBlocking()));
            if ((flags & SOCK_NONBLOCK) != 0) c.statusFlags |= FileSyscalls.O_NONBLOCK;
            int newFd = files.install(c, (flags & SOCK_CLOEXEC) != 0);
            if (addr != 0) inet.writeAddress(c, c.remoteAddress(), addr, lenPtr);
            return newFd;
        }
        UnixSocketFile s = socketOf(fd);
        UnixSocketFile c = SignalWaits.await(() -> s.accept(s.nonBlocking()));
        int newFd = files.installSocket(c, (flags & SOCK_NONBLOCK) != 0, (flags & SOCK_CLOEXEC) != 0);
        if (addr != 0) writeAddress(c.peer(), addr, lenPtr);
        return newFd;
    }

    int sendto(int fd, int buf, int len, int flags, int addr, int addrLen) throws IOException {
        InetSocketFile i = inetSocket(fd);
        if (i != null) {
            java.net.InetSocketAddress to = addr != 0 ? inet.address(i, addr, addrLen) : null;
            int n = clamp(len);
            byte[] b = FileSyscalls.transferBuffer(n);
            as.read(buf, b, 0, n);
            return inetSend(i, b, n, flags, to);
        }
        UnixSocketFile s = socketOf(fd);
        UnixSocketFile to = addr != 0 ? addressed(s, addr, addrLen) : null;
        int n = clamp(len);
        byte[] b = FileSyscalls.transferBuffer(n);
        as.read(buf, b, 0, n);
        return send(s, to, b, n, flags, null);
    }

    /** A send on an AF_INET socket: EPIPE raises SIGPIPE unless MSG_NOSIGNAL, as for unix sockets. */
    private int inetSend(InetSocketFile s, byte[] b, int n, int flags, java.net.InetSocketAddress to) throws IOException {
        boolean nonBlocking = s.nonBlocking() || (flags & UnixSocketFile.MSG_DONTWAIT) != 0;
        LinuxError failed;
        try {
            return SignalWaits.await(() -> s.send(b, 0, n, nonBlocking, to));
        } catch (IOException e) {
            failed = new LinuxError(Errno.of(e)); // the host's "Broken pipe" among them
        } catch (LinuxError e) {
            failed = e;
        }
        if (failed.errno == Errno.EPIPE && (flags & UnixSocketFile.MSG_NOSIGNAL) == 0) self.raise(Signals.SIGPIPE, SignalState.Info.KERNEL);
        throw failed;
    }

    /**
     * A receive on an AF_INET socket, the sender's address into from[0]; with MSG_WAITALL a
     * stream's receive goes on until n bytes, the end, or a signal after some bytes.
     */
    private int inetReceive(InetSocketFile s, byte[] b, int n, int flags, java.net.InetSocketAddress[] from) throws IOException {
        boolean nonBlocking = s.nonBlocking() || (flags & UnixSocketFile.MSG_DONTWAIT) != 0;
        boolean peek = (flags & UnixSocketFile.MSG_PEEK) != 0;
        try {
            int got = SignalWaits.await(() -> s.receive(b, 0, n, nonBlocking, peek, from));
            boolean waitAll = (flags & UnixSocketFile.MSG_WAITALL) != 0 && s.type == UnixSocketFile.SOCK_STREAM && !peek && !nonBlocking;
            while (waitAll && got > 0 && got < n) {
                int done = got;
                int more;
                try {
                    more = SignalWaits.await(() -> s.receive(b, done, n - done, false, false, null));
                } catch (LinuxError e) {
                    break; // interrupted: what arrived so far
                }
                if (more <= 0) break;
                got += more;
            }
            return got;
        } catch (IOException e) {
            throw new LinuxError(Errno.of(e));
        }
    }

    /**
     * The socket a send to an address goes to: a datagram socket's, the datagram socket bound
     * there; a stream or packet socket refuses an address (EISCONN when connected, EOPNOTSUPP
     * when not, as unix_stream_sendmsg).
     */
    private UnixSocketFile addressed(UnixSocketFile s, int addr, int len) throws IOException {
        if (s.type != UnixSocketFile.SOCK_DGRAM) throw new LinuxError(s.connected() ? Errno.EISCONN : Errno.EOPNOTSUPP);
        byte[] p = sunPath(addr, len);
        if (p.length == 0) throw new LinuxError(Errno.EINVAL);
        return named(p, s.type);
    }

    private int send(UnixSocketFile s, UnixSocketFile to, byte[] b, int n, int flags, OpenFile[] passed) {
        try {
            return to != null ? s.sendTo(to, b, 0, n, flags, passed) : s.send(b, 0, n, flags, passed);
        } catch (LinuxError e) {
            if (e.errno == Errno.EPIPE && (flags & UnixSocketFile.MSG_NOSIGNAL) == 0) self.raise(Signals.SIGPIPE, SignalState.Info.KERNEL);
            throw e;
        }
    }

    int recvfrom(int fd, int buf, int len, int flags, int addr, int addrLenPtr) throws IOException {
        InetSocketFile i = inetSocket(fd);
        if (i != null) {
            int n = clamp(len);
            byte[] b = FileSyscalls.transferBuffer(n);
            java.net.InetSocketAddress[] from = new java.net.InetSocketAddress[1];
            int got = inetReceive(i, b, n, flags, from);
            as.write(buf, b, 0, Math.min(n, got));
            if (addr != 0 && addrLenPtr != 0) {
                if (from[0] != null) inet.writeAddress(i, from[0], addr, addrLenPtr);
                else as.write32(addrLenPtr, 0);
            }
            return (flags & UnixSocketFile.MSG_TRUNC) != 0 ? got : Math.min(n, got);
        }
        UnixSocketFile s = socketOf(fd);
        int n = clamp(len);
        byte[] b = FileSyscalls.transferBuffer(n);
        UnixName[] from = new UnixName[1];
        int got = s.receive(b, 0, n, flags, null, from);
        as.write(buf, b, 0, Math.min(n, got));
        if (addr != 0 && addrLenPtr != 0) writeSender(s, from[0], addr, addrLenPtr);
        return (flags & UnixSocketFile.MSG_TRUNC) != 0 ? got : Math.min(n, got);
    }

    // struct msghdr on i386: name, namelen, iov, iovlen, control, controllen, flags (7 words).

    int sendmsg(int fd, int msg, int flags) throws IOException {
        InetSocketFile n = inetSocket(fd);
        if (n != null) { // ancillary data (IP_PKTINFO and the like) is not passed on
            java.net.InetSocketAddress to = as.read32(msg) != 0 ? inet.address(n, as.read32(msg), as.read32(msg + 4)) : null;
            byte[] b = gather(as.read32(msg + 8), as.read32(msg + 12), n.type == UnixSocketFile.SOCK_STREAM);
            return inetSend(n, b, b.length, flags, to);
        }
        UnixSocketFile s = socketOf(fd);
        UnixSocketFile to = as.read32(msg) != 0 ? addressed(s, as.read32(msg), as.read32(msg + 4)) : null;
        byte[] b = gather(as.read32(msg + 8), as.read32(msg + 12), s.type == UnixSocketFile.SOCK_STREAM);
        return send(s, to, b, b.length, flags, passedFiles(as.read32(msg + 16), as.read32(msg + 20)));
    }

    /** The bytes an iovec array names: EMSGSIZE for a message past the largest, a stream's part of a larger send (a short write). */
    private byte[] gather(int iov, int count, boolean stream) {
        int total = vectorLength(iov, count);
        if (!stream && total > Datagrams.MAX_MESSAGE) throw new LinuxError(Errno.EMSGSIZE);
        total = Math.min(total, MAX_TRANSFER);
        byte[] b = new byte[total];
        for (int i = 0, at = 0; i < count && at < total; i++) {
            int base = as.read32(iov + 8 * i), len = Math.min(as.read32(iov + 8 * i + 4), total - at);
            as.read(base, b, at, len);
            at += len;
        }
        return b;
    }

    /** Writes the first n bytes of b into the buffers an iovec array names. */
    private void scatter(int iov, int count, byte[] b, int n) {
        for (int i = 0, at = 0; i < count && at < n; i++) {
            int base = as.read32(iov + 8 * i), len = Math.min(as.read32(iov + 8 * i + 4), n - at);
            as.write(base, b, at, len);
            at += len;
        }
    }

    private static final int SCM_RIGHTS = 1, SCM_CREDENTIALS = 2;
    /** Linux's SCM_MAX_FD: descriptors one message may pass. */
    private static final int MAX_PASSED = 253;
    /** sizeof(struct cmsghdr) on i386: length, level, type. */
    private static final int CMSG_HEADER = 12;
    private static final int MSG_CTRUNC = 8, MSG_CMSG_CLOEXEC = 0x40000000;

    /**
     * The files that a sendmsg's control messages pass (SCM_RIGHTS), each with one more reference
     * that goes with the message; null when none. SCM_CREDENTIALS is accepted and not carried
     * (no receiver asks for it: SO_PASSCRED is not settable here); EINVAL for a malformed or other
     * control message, or past 253 descriptors; EBADF for a descriptor that is not open.
     */
    private OpenFile[] passedFiles(int control, int controlLen) {
        if (controlLen == 0) return null;
        java.util.List<OpenFile> passed = new java.util.ArrayList<>();
        try {
            for (int at = 0; controlLen - at >= CMSG_HEADER; ) {
                int len = as.read32(control + at), level = as.read32(control + at + 4), kind = as.read32(control + at + 8);
                if (len < CMSG_HEADER || Integer.toUnsignedLong(len) > controlLen - at) throw new LinuxError(Errno.EINVAL);
                if (level != SOL_SOCKET || (kind != SCM_RIGHTS && kind != SCM_CREDENTIALS)) throw new LinuxError(Errno.EINVAL);
                if (kind == SCM_RIGHTS) {
                    int n = (len - CMSG_HEADER) / 4;
                    if (passed.size() + n > MAX_PASSED) throw new LinuxError(Errno.EINVAL);
                    for (int i = 0; i < n; i++) {
                        OpenFile f = files.file(as.read32(control + at + CMSG_HEADER + 4 * i));
                        f.retain();
                        passed.add(f);
                    }
                } else if (CONTROL_REPORTED.compareAndSet(false, true)) {
                    LOG.info("sendmsg with SCM_CREDENTIALS: accepted, not passed on");
                }
                at += (len + 3) & ~3;
            }
        } catch (LinuxError e) {
            FdPassing.close(passed.toArray(new OpenFile[0]));
            throw e;
        }
        return passed.isEmpty() ? null : passed.toArray(new OpenFile[0]);
    }

    int recvmsg(int fd, int msg, int flags) throws IOException {
        int iov = as.read32(msg + 8), count = as.read32(msg + 12);
        int total = Math.min(vectorLength(iov, count), MAX_TRANSFER);
        byte[] b = new byte[total];
        InetSocketFile n = inetSocket(fd);
        if (n != null) {
            java.net.InetSocketAddress[] from = new java.net.InetSocketAddress[1];
            int got = inetReceive(n, b, total, flags, from);
            scatter(iov, count, b, Math.min(total, got));
            if (as.read32(msg) != 0) {
                if (from[0] != null) inet.writeAddress(n, from[0], as.read32(msg), msg + 4);
                else as.write32(msg + 4, 0);
            }
            as.write32(msg + 20, 0); // no ancillary data
            as.write32(msg + 24, got > total ? UnixSocketFile.MSG_TRUNC : 0);
            return (flags & UnixSocketFile.MSG_TRUNC) != 0 ? got : Math.min(total, got);
        }
        UnixSocketFile s = socketOf(fd);
        OpenFile[][] passed = new OpenFile[1][];
        UnixName[] from = new UnixName[1];
        int got = s.receive(b, 0, total, flags, passed, from);
        int copied = Math.min(total, got);
        scatter(iov, count, b, copied);
        if (as.read32(msg) != 0) writeSender(s, from[0], as.read32(msg), msg + 4);
        int outFlags = (got > total ? UnixSocketFile.MSG_TRUNC : 0) | (flags & MSG_CMSG_CLOEXEC);
        outFlags |= receivedFiles(msg, passed[0], (flags & MSG_CMSG_CLOEXEC) != 0);
        as.write32(msg + 24, outFlags);
        return (flags & UnixSocketFile.MSG_TRUNC) != 0 ? got : copied;
    }

    /**
     * Gives the files a message brought descriptors and writes them into the msghdr's control
     * buffer as one SCM_RIGHTS message: as many as fit, the rest closed and MSG_CTRUNC returned (as
     * Linux's scm_detach_fds); msg_controllen becomes what was written.
     */
    private int receivedFiles(int msg, OpenFile[] passed, boolean closeOnExec) {
        int control = as.read32(msg + 16), space = as.read32(msg + 20);
        if (passed == null) {
            as.write32(msg + 20, 0);
            return 0;
        }
        int fit = space < CMSG_HEADER ? 0 : Math.min(passed.length, (space - CMSG_HEADER) / 4);
        FdPassing.close(java.util.Arrays.copyOfRange(passed, fit, passed.length));
        if (fit == 0) {
            as.write32(msg + 20, 0);
            return MSG_CTRUNC;
        }
        int[] fds = new int[fit];
        for (int i = 0; i < fit; i++) fds[i] = files.install(passed[i], closeOnExec);
        as.write32(control, CMSG_HEADER + 4 * fit);
        as.write32(control + 4, SOL_SOCKET);
        as.write32(control + 8, SCM_RIGHTS);
        for (int i = 0; i < fit; i++) as.write32(control + CMSG_HEADER + 4 * i, fds[i]);
        as.write32(msg + 20, CMSG_HEADER + 4 * fit);
        return fit < passed.length ? MSG_CTRUNC : 0;
    }

    /** The bytes an iovec array covers: EINVAL past 1,024 entries or 2 GiB, as Linux. */
    private int vectorLength(int iov, int count) {
        if (count < 0 || count > 1024) throw new LinuxError(Errno.EMSGSIZE);
        long total = 0;
        for (int i = 0; i < count; i++) total += Integer.toUnsignedLong(as.read32(iov + 8 * i + 4));
        if (total > Integer.MAX_VALUE) throw new LinuxError(Errno.EINVAL);
        return (int) total;
    }

    int shutdown(int fd, int how) throws IOException {
        InetSocketFile n = inetSocket(fd);
        if (n != null) n.shutdown(how);
        else socketOf(fd).shutdown(how);
        return 0;
    }

    int getsockopt(int fd, int level, int name, int value, int lenPtr) throws IOException {
        InetSocketFile n = inetSocket(fd);
        if (n != null) return inet.getsockopt(n, level, name, value, lenPtr);
        UnixSocketFile s = socketOf(fd);
        if (level != SOL_SOCKET) throw new LinuxError(Errno.EOPNOTSUPP);
        int v;
        synchronized (s) {
            v = switch (name) {
                case SO_TYPE -> s.type;
                case SO_ERROR, SO_PROTOCOL -> 0;
                case SO_ACCEPTCONN -> s.listening() ? 1 : 0;
                case SO_DOMAIN -> AF_UNIX;
                case SO_SNDBUF -> s.sendBuffer();
                case SO_RCVBUF -> s.receiveBuffer;
                default -> throw new LinuxError(Errno.ENOPROTOOPT);
            };
        }
        int len = as.read32(lenPtr);
        if (len < 0) throw new LinuxError(Errno.EINVAL);
        len = Math.min(len, 4);
        byte[] bytes = {(byte) v, (byte) (v >>> 8), (byte) (v >>> 16), (byte) (v >>> 24)};
        as.write(value, bytes, 0, len);
        as.write32(lenPtr, len);
        return 0;
    }

    /**
     * SO_SNDBUF and SO_RCVBUF are kept (at most net.core.wmem_max and rmem_max, 212,992 by
     * default, then doubled, at least Linux's minimum) and read back; nothing else is settable.
     */
    int setsockopt(int fd, int level, int name, int value, int len) throws IOException {
        InetSocketFile n = inetSocket(fd);
        if (n != null) return inet.setsockopt(n, level, name, value, len);
        UnixSocketFile s = socketOf(fd);
        if (level != SOL_SOCKET || (name != SO_SNDBUF && name != SO_RCVBUF)) throw new LinuxError(Errno.ENOPROTOOPT);
        if (len < 4) throw new LinuxError(Errno.EINVAL);
        int v = as.read32(value);
        synchronized (s) {
            int doubled = 2 * Math.min(Math.max(v, 0), Datagrams.MAX_MESSAGE);
            if (name == SO_SNDBUF) s.setSendBuffer(Math.max(4608, doubled));
            else s.receiveBuffer = Math.max(2304, doubled);
        }
        return 0;
    }

    /** getsockname and getpeername ({@code peer}): the name bound, or the family alone for an unnamed socket; ENOTCONN for the peer of an unconnected one. */
    int name(int fd, int addr, int lenPtr, boolean peer) throws IOException {
        InetSocketFile n = inetSocket(fd);
        if (n != null) {
            inet.writeAddress(n, peer ? n.remoteAddress() : n.localAddress(), addr, lenPtr);
            return 0;
        }
        UnixSocketFile s = socketOf(fd);
        writeAddress(peer ? s.peer() : s.name(), addr, lenPtr);
        return 0;
    }

    /**
     * recvfrom's and recvmsg's address: a datagram's sender's name (nothing, length 0, for an
     * unnamed sender, as Linux's unix_copy_addr); a stream or packet socket gives none.
     */
    private void writeSender(UnixSocketFile s, UnixName from, int addr, int lenPtr) {
        if (s.type != UnixSocketFile.SOCK_DGRAM || from == null) {
            as.write32(lenPtr, 0);
            return;
        }
        writeAddress(from, addr, lenPtr);
    }

    /** Writes the struct sockaddr_un of {@code n} (null: unnamed) at addr, at most *lenPtr bytes, and its whole length to *lenPtr. */
    private void writeAddress(UnixName n, int addr, int lenPtr) {
        int len = as.read32(lenPtr);
        if (len < 0) throw new LinuxError(Errno.EINVAL);
        byte[] a = n == null ? UnixName.unnamed() : n.address();
        as.write(addr, a, 0, Math.min(len, a.length));
        as.write32(lenPtr, a.length);
    }

    /** The most one call moves (a larger stream transfer is a short one; no message is that large). */
    private static final int MAX_TRANSFER = 1 << 20;

    private static int clamp(int count) {
        return FileSyscalls.clamp(count, MAX_TRANSFER);
    }
}
