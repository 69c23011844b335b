package org.kasou.linux;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketOption;
import java.net.StandardSocketOptions;

/**
 * The socket calls on AF_INET and AF_INET6 sockets ({@link InetSocketFile}): struct sockaddr_in
 * and sockaddr_in6 to and from Java's addresses, and the options a program sets and reads, those
 * Java's channels know passed on to the host's socket.
 */
final class InetSocketCalls {
    static final int SOL_SOCKET = 1, IPPROTO_TCP = 6, IPPROTO_UDP = 17;
    private static final int SO_REUSEADDR = 2, SO_TYPE = 3, SO_ERROR = 4, SO_BROADCAST = 6, SO_SNDBUF = 7, SO_RCVBUF = 8,
            SO_KEEPALIVE = 9, SO_REUSEPORT = 15, SO_ACCEPTCONN = 30, SO_PROTOCOL = 38, SO_DOMAIN = 39;
    private static final int TCP_NODELAY = 1;
    /** SO_RCVTIMEO and SO_SNDTIMEO with a 32-bit struct timeval, and their 64-bit forms (time64 programs). */
    private static final int SO_RCVTIMEO_OLD = 20, SO_SNDTIMEO_OLD = 21, SO_RCVTIMEO_NEW = 66, SO_SNDTIMEO_NEW = 67;

    private final FileSyscalls files;
    private AddressSpace as;

    InetSocketCalls(FileSyscalls files) {
        this.files = files;
    }

    void setAddressSpace(AddressSpace as) {
        this.as = as;
    }

    /** socket(AF_INET or AF_INET6, type, protocol): TCP for streams, UDP for datagrams. */
    int socket(int family, int kind, int protocol, boolean nonBlocking, boolean closeOnExec) {
        if (kind == UnixSocketFile.SOCK_STREAM) {
            if (protocol != 0 && protocol != IPPROTO_TCP) throw new LinuxError(Errno.EPROTONOSUPPORT);
        } else if (kind == UnixSocketFile.SOCK_DGRAM) {
            if (protocol != 0 && protocol != IPPROTO_UDP) throw new LinuxError(Errno.EPROTONOSUPPORT);
        } else {
            throw new LinuxError(Errno.ESOCKTNOSUPPORT); // raw and packet sockets: not through Java
        }
        InetSocketFile s = new InetSocketFile(family, kind, FileSyscalls.newSocketIno());
        if (nonBlocking) s.statusFlags |= FileSyscalls.O_NONBLOCK;
        return files.install(s, closeOnExec);
    }

    /**
     * The struct sockaddr_in (16 bytes) or sockaddr_in6 (24 or 28) of {@code len} bytes at addr:
     * EINVAL when too short, EAFNOSUPPORT for another family (an AF_INET6 socket takes an AF_INET
     * address as Linux does not: EINVAL).
     */
    InetSocketAddress address(InetSocketFile s, int addr, int len) throws IOException {
        if (len < 2) throw new LinuxError(Errno.EINVAL);
        byte[] raw = as.read(addr, Math.min(len, 28));
        int family = raw[0] & 0xFF | (raw[1] & 0xFF) << 8;
        if (family != s.family) throw new LinuxError(s.family == InetSocketFile.AF_INET6 ? Errno.EINVAL : Errno.EAFNOSUPPORT);
        int port = (raw[2] & 0xFF) << 8 | raw[3] & 0xFF;
        if (family == InetSocketFile.AF_INET) {
            if (len < 16) throw new LinuxError(Errno.EINVAL);
            return new InetSocketAddress(InetAddress.getByAddress(java.util.Arrays.copyOfRange(raw, 4, 8)), port);
        }
        if (len < 24) throw new LinuxError(Errno.EINVAL);
        byte[] ip = java.util.Arrays.copyOfRange(raw, 8, 24);
        int scope = len >= 28 ? raw[24] & 0xFF | (raw[25] & 0xFF) << 8 | (raw[26] & 0xFF) << 16 | raw[27] << 24 : 0;
        return new InetSocketAddress(Inet6Address.getByAddress(null, ip, scope), port);
    }

    /** The struct sockaddr of {@code a} for a socket of {@code family} (an IPv4 address as ::ffff:a.b.c.d for AF_INET6). */
    static byte[] sockaddr(InetSocketAddress a, int family) {
        byte[] ip = a.getAddress().getAddress();
        int port = a.getPort();
        if (family == InetSocketFile.AF_INET) {
            byte[] out = new byte[16];
            out[0] = InetSocketFile.AF_INET;
            out[2] = (byte) (port >>> 8);
            out[3] = (byte) port;
            System.arraycopy(ip, 0, out, 4, 4);
            return out;
        }
        byte[] out = new byte[28];
        out[0] = InetSocketFile.AF_INET6;
        out[2] = (byte) (port >>> 8);
        out[3] = (byte) port;
        if (ip.length == 4) {
            out[18] = out[19] = (byte) 0xFF;
            System.arraycopy(ip, 0, out, 20, 4);
        } else {
            System.arraycopy(ip, 0, out, 8, 16);
            int scope = a.getAddress() instanceof Inet6Address v6 ? v6.getScopeId() : 0;
            for (int i = 0; i < 4; i++) out[24 + i] = (byte) (scope >>> (8 * i));
        }
        return out;
    }

    /** Writes {@code a} at addr, at most *lenPtr bytes, and its whole length to *lenPtr. */
    void writeAddress(InetSocketFile s, InetSocketAddress a, int addr, int lenPtr) {
        int len = as.read32(lenPtr);
        if (len < 0) throw new LinuxError(Errno.EINVAL);
        byte[] b = sockaddr(a, s.family);
        as.write(addr, b, 0, Math.min(len, b.length));
        as.write32(lenPtr, b.length);
    }

    @SuppressWarnings("unchecked")
    private static SocketOption<Object> javaOption(int level, int name) {
        SocketOption<?> o = null;
        if (level == SOL_SOCKET) {
            o = switch (name) {
                case SO_REUSEADDR -> StandardSocketOptions.SO_REUSEADDR;
                case SO_REUSEPORT -> StandardSocketOptions.SO_REUSEPORT;
                case SO_KEEPALIVE -> StandardSocketOptions.SO_KEEPALIVE;
                case SO_BROADCAST -> StandardSocketOptions.SO_BROADCAST;
                case SO_SNDBUF -> StandardSocketOptions.SO_SNDBUF;
                case SO_RCVBUF -> StandardSocketOptions.SO_RCVBUF;
                default -> null;
            };
        } else if (level == IPPROTO_TCP && name == TCP_NODELAY) {
            o = StandardSocketOptions.TCP_NODELAY;
        }
        return (SocketOption<Object>) o;
    }

    /**
     * SO_RCVTIMEO/SO_SNDTIMEO: a struct timeval (two 32-bit or, for the _NEW forms, two 64-bit
     * words); EDOM for microseconds out of range, {0, 0} for no timeout, a negative one for none at all.
     */
    private int setTimeout(InetSocketFile s, int name, int value, int len) {
        boolean wide = name == SO_RCVTIMEO_NEW || name == SO_SNDTIMEO_NEW;
        if (len < (wide ? 16 : 8)) throw new LinuxError(Errno.EINVAL);
        long sec = wide ? as.read32(value) & 0xFFFFFFFFL | (long) as.read32(value + 4) << 32 : as.read32(value);
        long usec = wide ? as.read32(value + 8) & 0xFFFFFFFFL | (long) as.read32(value + 12) << 32 : as.read32(value + 4);
        if (usec < 0 || usec >= 1_000_000) throw new LinuxError(Errno.EDOM);
        long nanos = sec < 0 ? -1 : Math.min(sec, Long.MAX_VALUE / 2_000_000_000L) * 1_000_000_000L + usec * 1000;
        s.setTimeouts(name == SO_RCVTIMEO_OLD || name == SO_RCVTIMEO_NEW, nanos);
        return 0;
    }

    private int getTimeout(InetSocketFile s, int name, int value, int lenPtr) {
        boolean wide = name == SO_RCVTIMEO_NEW || name == SO_SNDTIMEO_NEW;
        long nanos = Math.max(0, s.timeout(name == SO_RCVTIMEO_OLD || name == SO_RCVTIMEO_NEW));
        long sec = nanos / 1_000_000_000L, usec = nanos % 1_000_000_000L / 1000;
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(wide ? 16 : 8).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        if (wide) b.putLong(sec).putLong(usec);
        else b.putInt((int) sec).putInt((int) usec);
        int len = as.read32(lenPtr);
        if (len < 0) throw new LinuxError(Errno.EINVAL);
        as.write(value, b.array(), 0, Math.min(len, b.capacity()));
        as.write32(lenPtr, Math.min(len, b.capacity()));
        return 0;
    }

    private static boolean isTimeout(int level, int name) {
        return level == SOL_SOCKET && (name == SO_RCVTIMEO_OLD || name == SO_SNDTIMEO_OLD || name == SO_RCVTIMEO_NEW || name == SO_SNDTIMEO_NEW);
    }

    /** setsockopt: the timeouts, and the options Java's channels carry (as int or boolean); ENOPROTOOPT for the rest. */
    int setsockopt(InetSocketFile s, int level, int name, int value, int len) throws IOException {
        if (isTimeout(level, name)) return setTimeout(s, name, value, len);
        SocketOption<Object> o = javaOption(level, name);
        if (o == null) throw new LinuxError(Errno.ENOPROTOOPT);
        if (len < 4) throw new LinuxError(Errno.EINVAL);
        int v = as.read32(value);
        s.setOption(o, Boolean.class.equals(o.type()) ? (Object) (v != 0) : (Object) v);
        return 0;
    }

    int getsockopt(InetSocketFile s, int level, int name, int value, int lenPtr) throws IOException {
        if (isTimeout(level, name)) return getTimeout(s, name, value, lenPtr);
        int v;
        if (level == SOL_SOCKET && name == SO_TYPE) v = s.type;
        else if (level == SOL_SOCKET && name == SO_ERROR) v = s.takeError();
        else if (level == SOL_SOCKET && name == SO_DOMAIN) v = s.family;
        else if (level == SOL_SOCKET && name == SO_PROTOCOL) v = s.type == UnixSocketFile.SOCK_STREAM ? IPPROTO_TCP : IPPROTO_UDP;
        else if (level == SOL_SOCKET && name == SO_ACCEPTCONN) v = s.listening() ? 1 : 0;
        else {
            SocketOption<Object> o = javaOption(level, name);
            if (o == null) throw new LinuxError(Errno.ENOPROTOOPT);
            Object x = s.option(o);
            v = x instanceof Boolean b ? (b ? 1 : 0) : x instanceof Integer i ? i : 0;
        }
        int len = as.read32(lenPtr);
        if (len < 0) throw new LinuxError(Errno.EINVAL);
        len = Math.min(len, 4);
        as.write(value, new byte[] {(byte) v, (byte) (v >>> 8), (byte) (v >>> 16), (byte) (v >>> 24)}, 0, len);
        as.write32(lenPtr, len);
        return 0;
    }

    /** Whether {@code a} is an IPv4 address (for an AF_INET6 socket's peer). */
    static boolean isV4(InetSocketAddress a) {
        return a.getAddress() instanceof Inet4Address;
    }
}
