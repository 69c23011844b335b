package org.kasou.linux;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ProtocolFamily;
import java.net.SocketAddress;
import java.net.SocketOption;
import java.net.StandardProtocolFamily;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.NetworkChannel;
import java.nio.channels.SelectableChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An AF_INET or AF_INET6 socket: the host's own TCP or UDP socket through Java's channels, which
 * stay in non-blocking mode; a blocking call waits on a selector of the socket's own in short
 * slices, so that a signal ends the wait without closing the channel. A stream socket is a
 * server channel from bind (Java binds and listens at once) until it connects, when a socket
 * channel takes its local address. Options set before a channel exists are kept and applied to it.
 */
final class InetSocketFile extends OpenFile {
    static final int AF_INET = 2, AF_INET6 = 10;

    final int family, type;
    private final long ino;
    private SocketChannel stream;
    private ServerSocketChannel server;
    private DatagramChannel datagram;
    private boolean listening, connecting;
    /** The address bind gave a stream socket that has no channel yet. */
    private InetSocketAddress local;
    /** A failed non-blocking connect's error, for SO_ERROR (0: none). */
    private int pendingError;
    private Selector selector;
    /** Bytes a MSG_PEEK read that the next read takes first. */
    private ByteBuffer peeked = ByteBuffer.allocate(0);
    /** The sender of a peeked datagram. */
    private InetSocketAddress peekedFrom;
    private final Map<SocketOption<Object>, Object> options = new LinkedHashMap<>();
    /** SO_RCVTIMEO and SO_SNDTIMEO in nanoseconds: 0 waits for ever, below 0 not at all. */
    private long receiveTimeout, sendTimeout;

    InetSocketFile(int family, int type, long ino) {
        this.family = family;
        this.type = type;
        this.ino = ino;
        this.statusFlags = 2; // O_RDWR
    }

    private InetSocketFile(int family, SocketChannel accepted, long ino) throws IOException {
        this(family, UnixSocketFile.SOCK_STREAM, ino);
        accepted.configureBlocking(false);
        this.stream = accepted;
    }

    private ProtocolFamily protocolFamily() {
        return family == AF_INET6 ? StandardProtocolFamily.INET6 : StandardProtocolFamily.INET;
    }

    private synchronized <T extends NetworkChannel> T applied(T ch) throws IOException {
        for (Map.Entry<SocketOption<Object>, Object> o : options.entrySet()) {
            if (ch.supportedOptions().contains(o.getKey())) ch.setOption(o.getKey(), o.getValue());
        }
        ((SelectableChannel) ch).configureBlocking(false);
        return ch;
    }

    private synchronized DatagramChannel datagram() throws IOException {
        if (datagram == null) datagram = applied(DatagramChannel.open(protocolFamily()));
        return datagram;
    }

    /** The channel a call works on now, or null before bind/connect (stream) . */
    private synchronized NetworkChannel channel() {
        return type == UnixSocketFile.SOCK_DGRAM ? datagram : stream != null ? stream : server;
    }

    synchronized void setOption(SocketOption<Object> o, Object value) throws IOException {
        options.put(o, value);
        NetworkChannel ch = channel();
        if (ch != null && ch.supportedOptions().contains(o)) ch.setOption(o, value);
    }

    synchronized Object option(SocketOption<Object> o) throws IOException {
        NetworkChannel ch = channel();
        if (ch != null && ch.supportedOptions().contains(o)) return ch.getOption(o);
        return options.get(o);
    }

    synchronized void setTimeouts(boolean receive, long nanos) {
        if (receive) receiveTimeout = nanos;
        else sendTimeout = nanos;
    }

    synchronized long timeout(boolean receive) {
        return receive ? receiveTimeout : sendTimeout;
    }

    /** When a wait that starts now ends for {@code timeout} (0: never). */
    private static long deadline(long timeout) {
        return timeout == 0 ? 0 : System.nanoTime() + Math.max(timeout, 0) | 1;
    }

    synchronized int takeError() {
        int e = pendingError;
        pendingError = 0;
        return e;
    }

    synchronized boolean listening() {
        return listening;
    }

    void bind(InetSocketAddress a) throws IOException {
        synchronized (this) {
            if (channel() != null || local != null) throw new LinuxError(Errno.EINVAL);
        }
        if (type == UnixSocketFile.SOCK_DGRAM) {
            datagram().bind(a);
            return;
        }
        ServerSocketChannel s = applied(ServerSocketChannel.open(protocolFamily()));
        try {
            s.bind(a, 128);
        } catch (IOException e) {
            s.close();
            throw e;
        }
        synchronized (this) {
            server = s;
            local = (InetSocketAddress) s.getLocalAddress();
        }
    }

    void listen() throws IOException {
        if (type == UnixSocketFile.SOCK_DGRAM) throw new LinuxError(Errno.EOPNOTSUPP);
        synchronized (this) {
            if (stream != null) throw new LinuxError(Errno.EINVAL);
            if (listening) return;
        }
        if (server() == null) bind(new InetSocketAddress(0)); // Linux binds an unbound socket to a port of its choosing
        synchronized (this) {
            listening = true;
        }
    }

    private synchronized ServerSocketChannel server() {
        return server;
    }

    /** accept: the next connection, waiting for one unless non-blocking (EAGAIN); EINVAL unless listening. */
    InetSocketFile accept(boolean nonBlocking) throws IOException, InterruptedException {
        ServerSocketChannel s;
        synchronized (this) {
            if (!listening) throw new LinuxError(Errno.EINVAL);
            s = server;
        }
        long deadline = deadline(timeout(true));
        while (true) {
            SocketChannel c = s.accept();
            if (c != null) return new InetSocketFile(family, c, FileSyscalls.newSocketIno());
            if (nonBlocking) throw new LinuxError(Errno.EAGAIN);
            await(s, SelectionKey.OP_ACCEPT, deadline, Errno.EAGAIN);
        }
    }

    /** connect: a stream socket's connection (EINPROGRESS when non-blocking), or a datagram socket's peer. */
    void connect(InetSocketAddress to, boolean nonBlocking) throws IOException, InterruptedException {
        if (type == UnixSocketFile.SOCK_DGRAM) {
            datagram().connect(to);
            return;
        }
        SocketChannel c;
        synchronized (this) {
            if (listening) throw new LinuxError(Errno.EINVAL);
            if (connecting) throw new LinuxError(Errno.EALREADY);
            if (stream != null) throw new LinuxError(Errno.EISCONN);
            if (server != null) { // bound: the connection takes the address
                server.close();
                server = null;
                forgetSelector();
            }
            c = applied(SocketChannel.open(protocolFamily()));
            if (local != null) c.bind(local);
            stream = c;
        }
        try {
            if (c.connect(to)) return;
        } catch (IOException e) {
            failConnect(c);
            throw e;
        }
        synchronized (this) {
            connecting = true;
        }
        if (nonBlocking) throw new LinuxError(Errno.EINPROGRESS);
        long deadline = deadline(timeout(false));
        while (!finishConnect()) await(c, SelectionKey.OP_CONNECT, deadline, Errno.EINPROGRESS);
    }

    private synchronized void failConnect(SocketChannel c) throws IOException {
        c.close();
        if (stream == c) stream = null;
        connecting = false;
        forgetSelector();
    }

    /** Whether a pending connect is done (its failure thrown, or kept for SO_ERROR when {@code keep}). */
    private boolean finishConnect() throws IOException {
        SocketChannel c;
        synchronized (this) {
            if (!connecting) return true;
            c = stream;
        }
        try {
            if (!c.finishConnect()) return false;
        } catch (IOException e) {
            failConnect(c);
            throw e;
        }
        synchronized (this) {
            connecting = false;
        }
        return true;
    }

    /** poll's look at a pending connect: done, or its error kept for SO_ERROR. */
    private void checkConnect() {
        try {
            finishConnect();
        } catch (IOException e) {
            synchronized (this) {
                pendingError = Errno.of(e);
            }
        }
    }

    private synchronized SocketChannel connected() {
        if (stream == null || connecting) throw new LinuxError(Errno.ENOTCONN);
        return stream;
    }

    /** Sends len bytes (one datagram; to {@code to} when given), waiting for room unless non-blocking. */
    int send(byte[] buf, int off, int len, boolean nonBlocking, InetSocketAddress to) throws IOException, InterruptedException {
        ByteBuffer b = ByteBuffer.wrap(buf, off, len);
        long deadline = deadline(timeout(false));
        if (type == UnixSocketFile.SOCK_DGRAM) {
            DatagramChannel d = datagram();
            while (true) {
                int n = to != null ? d.send(b, to) : writeConnected(d, b);
                if (n > 0 || len == 0) return n;
                if (nonBlocking) throw new LinuxError(Errno.EAGAIN);
                await(d, SelectionKey.OP_WRITE, deadline, Errno.EAGAIN);
            }
        }
        if (to != null) throw new LinuxError(connected() != null ? Errno.EISCONN : Errno.EOPNOTSUPP);
        SocketChannel c = connected();
        int done = 0;
        while (b.hasRemaining()) {
            int n = c.write(b);
            done += n;
            if (n > 0) continue;
            if (nonBlocking || (deadline != 0 && System.nanoTime() - deadline >= 0)) { // SO_SNDTIMEO past: what went
                if (done > 0) break;
                throw new LinuxError(Errno.EAGAIN);
            }
            await(c, SelectionKey.OP_WRITE, deadline, Errno.EAGAIN);
        }
        return done;
    }

    private static int writeConnected(DatagramChannel d, ByteBuffer b) throws IOException {
        if (!d.isConnected()) throw new LinuxError(Errno.EDESTADDRREQ);
        return d.write(b);
    }

    /**
     * Receives into buf: a stream's bytes (0 at its end), or a datagram's length, which may exceed
     * len (the rest is dropped); the sender's address into {@code from[0]}.
     */
    int receive(byte[] buf, int off, int len, boolean nonBlocking, boolean peek, InetSocketAddress[] from)
            throws IOException, InterruptedException {
        long deadline = deadline(timeout(true));
        if (type == UnixSocketFile.SOCK_DGRAM) {
            DatagramChannel d = datagram();
            while (true) {
                int n = takeDatagram(d, buf, off, len, peek, from);
                if (n >= 0) return n;
                if (nonBlocking) throw new LinuxError(Errno.EAGAIN);
                await(d, SelectionKey.OP_READ, deadline, Errno.EAGAIN);
            }
        }
        SocketChannel c = connected();
        while (true) {
            synchronized (this) {
                if (peeked.hasRemaining()) {
                    int n = Math.min(len, peeked.remaining());
                    ByteBuffer src = peek ? peeked.duplicate() : peeked;
                    src.get(buf, off, n);
                    return n;
                }
            }
            ByteBuffer b = ByteBuffer.wrap(buf, off, len);
            int n = c.read(b);
            if (n < 0) return 0;
            if (n > 0) {
                if (peek) {
                    synchronized (this) {
                        peeked = ByteBuffer.wrap(java.util.Arrays.copyOfRange(buf, off, off + n));
                    }
                }
                return n;
            }
            if (len == 0) return 0;
            if (nonBlocking) throw new LinuxError(Errno.EAGAIN);
            await(c, SelectionKey.OP_READ, deadline, Errno.EAGAIN);
        }
    }

    /** Where a datagram is received whole, so that its length is known when it does not fit (one per socket). */
    private ByteBuffer received;

    /**
     * The next datagram (a peeked one first) into buf, at most len bytes of it, its sender into
     * from[0]; returns its whole length, or -1 when none waits.
     */
    private synchronized int takeDatagram(DatagramChannel d, byte[] buf, int off, int len, boolean peek, InetSocketAddress[] from)
            throws IOException {
        if (peeked.hasRemaining()) {
            int n = peeked.remaining();
            peeked.duplicate().get(buf, off, Math.min(n, len));
            if (from != null) from[0] = peekedFrom;
            if (!peek) peeked = ByteBuffer.allocate(0);
            return n;
        }
        if (received == null) received = ByteBuffer.allocate(65536);
        received.clear();
        SocketAddress sender = d.receive(received);
        if (sender == null) return -1;
        int n = received.position();
        System.arraycopy(received.array(), 0, buf, off, Math.min(n, len));
        if (from != null) from[0] = (InetSocketAddress) sender;
        if (peek) {
            peeked = ByteBuffer.wrap(java.util.Arrays.copyOf(received.array(), n));
            peekedFrom = (InetSocketAddress) sender;
        }
        return n;
    }

    void shutdown(int how) throws IOException {
        if (how < 0 || how > 2) throw new LinuxError(Errno.EINVAL);
        if (type == UnixSocketFile.SOCK_DGRAM) {
            if (!datagram().isConnected()) throw new LinuxError(Errno.ENOTCONN);
            return;
        }
        SocketChannel c = connected();
        if (how != 1) c.shutdownInput();
        if (how != 0) c.shutdownOutput();
    }

    InetSocketAddress localAddress() throws IOException {
        NetworkChannel ch = channel();
        SocketAddress a = ch != null ? ch.getLocalAddress() : null;
        if (a == null) {
            synchronized (this) {
                a = local;
            }
        }
        return a != null ? (InetSocketAddress) a : new InetSocketAddress(family == AF_INET6 ? "::" : "0.0.0.0", 0);
    }

    InetSocketAddress remoteAddress() throws IOException {
        SocketAddress a = type == UnixSocketFile.SOCK_DGRAM ? (datagram == null ? null : datagram.getRemoteAddress())
                : connected().getRemoteAddress();
        if (a == null) throw new LinuxError(Errno.ENOTCONN);
        return (InetSocketAddress) a;
    }

    /**
     * Waits until {@code ch} may be ready for {@code op}, a tenth of a second at most (the caller
     * looks again); {@code errno} once {@code deadline} (SO_RCVTIMEO's or SO_SNDTIMEO's; 0: none) has passed.
     */
    private void await(SelectableChannel ch, int op, long deadline, int errno) throws IOException, InterruptedException {
        long wait = 100;
        if (deadline != 0) {
            long left = deadline - System.nanoTime();
            if (left <= 0) throw new LinuxError(errno);
            wait = Math.max(1, Math.min(wait, left / 1_000_000L));
        }
        Selector s = selectorFor(ch, op);
        s.select(wait);
        if (Thread.interrupted()) throw new InterruptedException();
    }

    private synchronized Selector selectorFor(SelectableChannel ch, int op) throws IOException {
        if (selector == null) selector = Selector.open();
        SelectionKey k = ch.keyFor(selector);
        if (k == null) k = ch.register(selector, op);
        else k.interestOps(op);
        selector.selectedKeys().clear();
        return selector;
    }

    private synchronized void forgetSelector() throws IOException {
        if (selector != null) selector.close();
        selector = null;
    }

    @Override
    int read(byte[] buf, int off, int len) throws IOException {
        return SignalWaits.await(() -> Math.min(len, receive(buf, off, len, nonBlocking(), false, null)));
    }

    @Override
    int write(byte[] buf, int off, int len) throws IOException {
        return SignalWaits.await(() -> send(buf, off, len, nonBlocking(), null));
    }

    @Override
    boolean pollable() {
        return true;
    }

    /** Readiness from the channel's own state: a connection waiting, data or its end, room to write, a finished connect. */
    @Override
    int poll(int events) throws IOException {
        boolean connectingNow;
        synchronized (this) {
            connectingNow = connecting;
        }
        if (connectingNow) checkConnect();
        SelectableChannel ch;
        int ops;
        synchronized (this) {
            if (pendingError != 0) return (events & (POLLIN | POLLOUT)) | POLLERR;
            if (peeked.hasRemaining()) return events & POLLIN | (events & POLLOUT);
            if (listening) {
                ch = server;
                ops = SelectionKey.OP_ACCEPT;
            } else if (type == UnixSocketFile.SOCK_DGRAM) {
                ch = datagram();
                ops = SelectionKey.OP_READ | SelectionKey.OP_WRITE;
            } else if (stream != null) {
                ch = stream;
                ops = connecting ? SelectionKey.OP_CONNECT : SelectionKey.OP_READ | SelectionKey.OP_WRITE;
            } else {
                return (events & POLLOUT) | POLLHUP; // not connected, as Linux's TCP_CLOSE
            }
        }
        Selector s = selectorFor(ch, ops);
        s.selectNow();
        SelectionKey k = ch.keyFor(s);
        int ready = k == null || !k.isValid() ? 0 : k.readyOps();
        int r = 0;
        if ((ready & (SelectionKey.OP_READ | SelectionKey.OP_ACCEPT)) != 0) r |= POLLIN;
        if ((ready & (SelectionKey.OP_WRITE | SelectionKey.OP_CONNECT)) != 0) r |= POLLOUT;
        return events & r;
    }

    /** Calls of {@link #edges}, the count it reports. */
    private long edgeCalls;

    /**
     * The host's arrivals are not seen one by one here, so a socket that is ready counts as ready
     * anew at every look: edge-triggered epoll reports it as level-triggered would (more wake-ups,
     * none lost; a program that reads until EAGAIN, as such programs do, sees the same data).
     */
    @Override
    long edges(int events) {
        try {
            if (poll(events) == 0) {
                synchronized (this) {
                    return edgeCalls;
                }
            }
        } catch (IOException e) {
            // an error is readiness too: reported below
        }
        synchronized (this) {
            return ++edgeCalls;
        }
    }

    @Override
    FileStat stat() {
        return FileStat.socket(ino, 0, 0);
    }

    @Override
    synchronized void close() throws IOException {
        forgetSelector();
        for (java.io.Closeable c : new java.io.Closeable[] {stream, server, datagram}) {
            if (c != null) c.close();
        }
    }
}
