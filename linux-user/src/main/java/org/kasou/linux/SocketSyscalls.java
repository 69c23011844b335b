package org.kasou.linux;

import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The socket system calls, for the sockets kasou has: connected AF_UNIX pairs (socketpair), which
 * programs use to talk to their own children and threads. There is no network: socket() fails
 * with EAFNOSUPPORT, which programs take as "this kind of socket is not available". Both ways in
 * are served: the calls of their own (socket 359 to shutdown 373) and socketcall (102), which
 * passes a call number and a pointer to the arguments.
 */
final class SocketSyscalls {
    private static final Logger LOG = LoggerFactory.getLogger(SocketSyscalls.class);
    private static final AtomicBoolean NO_NETWORK_REPORTED = new AtomicBoolean();
    private static final AtomicBoolean CONTROL_REPORTED = new AtomicBoolean();

    static final int AF_UNIX = 1;
    static final int SOCK_NONBLOCK = 04000, SOCK_CLOEXEC = 02000000;
    static final int SOL_SOCKET = 1;
    static final int SO_TYPE = 3, SO_ERROR = 4, SO_SNDBUF = 7, SO_RCVBUF = 8, SO_ACCEPTCONN = 30, SO_PROTOCOL = 38,
            SO_DOMAIN = 39;

    private final FileSyscalls files;
    private final GuestThread self;
    private AddressSpace as;

    SocketSyscalls(FileSyscalls files, GuestThread self) {
        this.files = files;
        this.self = self;
    }

    void setAddressSpace(AddressSpace as) {
        this.as = as;
    }

    /** socketcall(call, args): the arguments are 32-bit words at args. */
    int socketcall(int call, int args) {
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
            case 3 -> connect(a[0]);
            case 2, 4, 5, 18 -> unconnectedOnly(a[0]);
            case 6, 7 -> name(a[0], a[1], a[2]);
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
    int sendmmsg(int fd, int vec, int vlen, int flags) {
        socketOf(fd);
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
    int recvmmsg(int fd, int vec, int vlen, int flags, int timeout, boolean time64) {
        socketOf(fd);
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
            if ((flags & MSG_WAITFORONE) != 0) flags |= SocketPairFile.MSG_DONTWAIT;
            if (System.nanoTime() - deadline >= 0) {
                i++;
                break;
            }
        }
        return i;
    }

    int socket(int domain, int type, int protocol) {
        if (NO_NETWORK_REPORTED.compareAndSet(false, true)) {
            LOG.info("socket({}, {}, {}): kasou has no network sockets (socketpair works): -EAFNOSUPPORT", domain, type, protocol);
        }
        throw new LinuxError(Errno.EAFNOSUPPORT);
    }

    int socketpair(int domain, int type, int protocol, int sv) {
        if (domain != AF_UNIX) throw new LinuxError(Errno.EOPNOTSUPP); // as Linux for AF_INET
        int kind = type & ~(SOCK_NONBLOCK | SOCK_CLOEXEC);
        if (kind != SocketPairFile.SOCK_STREAM && kind != SocketPairFile.SOCK_DGRAM && kind != SocketPairFile.SOCK_SEQPACKET) {
            throw new LinuxError(Errno.EINVAL);
        }
        if (protocol != 0) throw new LinuxError(Errno.EPROTONOSUPPORT);
        return files.socketpair(kind, (type & SOCK_NONBLOCK) != 0, (type & SOCK_CLOEXEC) != 0, sv);
    }

    /** The end behind fd; ENOTSOCK for any other file. */
    private SocketPairFile socketOf(int fd) {
        OpenFile f = files.file(fd);
        if (f instanceof SocketPairFile) return (SocketPairFile) f;
        throw new LinuxError(Errno.ENOTSOCK);
    }

    /** bind, listen, accept and accept4 on a socket fd: a pair's ends are connected already. */
    int unconnectedOnly(int fd) {
        socketOf(fd);
        throw new LinuxError(Errno.EINVAL);
    }

    /** connect: a pair's end is connected. */
    int connect(int fd) {
        socketOf(fd);
        throw new LinuxError(Errno.EISCONN);
    }

    int sendto(int fd, int buf, int len, int flags, int addr, int addrLen) {
        SocketPairFile s = socketOf(fd);
        if (addr != 0) addressed(s);
        int n = clamp(len);
        byte[] b = FileSyscalls.transferBuffer(n);
        as.read(buf, b, 0, n);
        return send(s, b, n, flags);
    }

    /**
     * A send to an address: a connected stream or packet socket refuses it (EISCONN); a datagram
     * would go to the socket bound at that name, and none is (there is no bind).
     */
    private static void addressed(SocketPairFile s) {
        throw new LinuxError(s.type == SocketPairFile.SOCK_DGRAM ? Errno.ECONNREFUSED : Errno.EISCONN);
    }

    private int send(SocketPairFile s, byte[] b, int n, int flags) {
        try {
            return s.send(b, 0, n, flags);
        } catch (LinuxError e) {
            if (e.errno == Errno.EPIPE && (flags & SocketPairFile.MSG_NOSIGNAL) == 0) self.raise(Signals.SIGPIPE, SignalState.Info.KERNEL);
            throw e;
        }
    }

    int recvfrom(int fd, int buf, int len, int flags, int addr, int addrLenPtr) {
        SocketPairFile s = socketOf(fd);
        int n = clamp(len);
        byte[] b = FileSyscalls.transferBuffer(n);
        int got = s.receive(b, 0, n, flags);
        as.write(buf, b, 0, Math.min(n, got));
        if (addr != 0 && addrLenPtr != 0) as.write32(addrLenPtr, 0); // the sender is unnamed
        return (flags & SocketPairFile.MSG_TRUNC) != 0 ? got : Math.min(n, got);
    }

    // struct msghdr on i386: name, namelen, iov, iovlen, control, controllen, flags (7 words).

    int sendmsg(int fd, int msg, int flags) {
        SocketPairFile s = socketOf(fd);
        if (as.read32(msg + 20) != 0) { // ancillary data: SCM_RIGHTS and SCM_CREDENTIALS are not carried
            if (CONTROL_REPORTED.compareAndSet(false, true)) LOG.info("sendmsg with ancillary data (passing descriptors): -EOPNOTSUPP");
            throw new LinuxError(Errno.EOPNOTSUPP);
        }
        if (as.read32(msg) != 0) addressed(s);
        int iov = as.read32(msg + 8), count = as.read32(msg + 12);
        int total = vectorLength(iov, count);
        if (s.type != SocketPairFile.SOCK_STREAM && total > Datagrams.MAX_MESSAGE) throw new LinuxError(Errno.EMSGSIZE);
        total = Math.min(total, MAX_TRANSFER); // a stream takes part of a larger send, as a short write
        byte[] b = new byte[total];
        for (int i = 0, at = 0; i < count && at < total; i++) {
            int base = as.read32(iov + 8 * i), len = Math.min(as.read32(iov + 8 * i + 4), total - at);
            as.read(base, b, at, len);
            at += len;
        }
        return send(s, b, total, flags);
    }

    int recvmsg(int fd, int msg, int flags) {
        SocketPairFile s = socketOf(fd);
        int iov = as.read32(msg + 8), count = as.read32(msg + 12);
        int total = Math.min(vectorLength(iov, count), MAX_TRANSFER);
        byte[] b = new byte[total];
        int got = s.receive(b, 0, total, flags);
        int copied = Math.min(total, got);
        for (int i = 0, at = 0; i < count && at < copied; i++) {
            int base = as.read32(iov + 8 * i), len = Math.min(as.read32(iov + 8 * i + 4), copied - at);
            as.write(base, b, at, len);
            at += len;
        }
        if (as.read32(msg) != 0) as.write32(msg + 4, 0); // the sender is unnamed
        as.write32(msg + 20, 0);                          // no ancillary data
        as.write32(msg + 24, got > total ? SocketPairFile.MSG_TRUNC : 0);
        return (flags & SocketPairFile.MSG_TRUNC) != 0 ? got : copied;
    }

    /** The bytes an iovec array covers: EINVAL past 1,024 entries or 2 GiB, as Linux. */
    private int vectorLength(int iov, int count) {
        if (count < 0 || count > 1024) throw new LinuxError(Errno.EMSGSIZE);
        long total = 0;
        for (int i = 0; i < count; i++) total += Integer.toUnsignedLong(as.read32(iov + 8 * i + 4));
        if (total > Integer.MAX_VALUE) throw new LinuxError(Errno.EINVAL);
        return (int) total;
    }

    int shutdown(int fd, int how) {
        socketOf(fd).shutdown(how);
        return 0;
    }

    int getsockopt(int fd, int level, int name, int value, int lenPtr) {
        SocketPairFile s = socketOf(fd);
        if (level != SOL_SOCKET) throw new LinuxError(Errno.EOPNOTSUPP);
        int v;
        synchronized (s) {
            v = switch (name) {
                case SO_TYPE -> s.type;
                case SO_ERROR, SO_ACCEPTCONN, SO_PROTOCOL -> 0;
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
    int setsockopt(int fd, int level, int name, int value, int len) {
        SocketPairFile s = socketOf(fd);
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

    /** getsockname and getpeername: a pair's ends are unnamed, the address only its family. */
    int name(int fd, int addr, int lenPtr) {
        socketOf(fd);
        int len = as.read32(lenPtr);
        if (len < 0) throw new LinuxError(Errno.EINVAL);
        byte[] family = {AF_UNIX, 0};
        as.write(addr, family, 0, Math.min(len, 2));
        as.write32(lenPtr, 2);
        return 0;
    }

    /** The most one call moves (a larger stream transfer is a short one; no message is that large). */
    private static final int MAX_TRANSFER = 1 << 20;

    private static int clamp(int count) {
        return FileSyscalls.clamp(count, MAX_TRANSFER);
    }
}
