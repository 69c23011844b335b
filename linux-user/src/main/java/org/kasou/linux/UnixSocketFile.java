package org.kasou.linux;

import java.util.ArrayDeque;

/**
 * An AF_UNIX socket, in memory: made by socket() (unconnected), bound to a name (a path, or a
 * name in the abstract namespace: {@link UnixNames}), listening for connections, or connected to
 * a peer, by socketpair, connect or accept. A connection is a byte stream (SOCK_STREAM) or
 * messages (SOCK_DGRAM, SOCK_SEQPACKET) each way, and descriptors passed with SCM_RIGHTS travel
 * with the data ({@link FdPassing}). The two ends share two directions, each written at one end
 * and read at the other; closing an end or shutting it down closes its side of both, as Linux's
 * unix sockets do. A SOCK_DGRAM socket made by socket() has a queue of its own that any datagram
 * socket sends to by its name (sendto, or connect and send), each message with its sender's name.
 */
final class UnixSocketFile extends OpenFile {
    static final int SOCK_STREAM = 1, SOCK_DGRAM = 2, SOCK_SEQPACKET = 5;
    static final int MSG_PEEK = 2, MSG_TRUNC = 0x20, MSG_DONTWAIT = 0x40, MSG_WAITALL = 0x100, MSG_NOSIGNAL = 0x4000;
    static final int SHUT_RD = 0, SHUT_WR = 1, SHUT_RDWR = 2;
    static final int POLLRDHUP = 0x2000;

    final int type;
    private final long ino;
    /**
     * What this end reads and what it writes (the peer's out and in), and the descriptors passed
     * each way: null until connected, but a datagram socket's own queue, which it reads from the
     * start. Guarded by this.
     */
    private OneWay in, out;
    private FdPassing inFds, outFds;
    /** The socket a SOCK_DGRAM socket's connect chose (its sends go to its queue); null otherwise. Guarded by this. */
    private UnixSocketFile target;
    /** The name bound to this socket and the peer's (null: unnamed); guarded by this. */
    private UnixName name, peer;
    /** Listening: connections waiting for accept (their server ends); null otherwise. Guarded by this. */
    private ArrayDeque<UnixSocketFile> pending;
    /** Connections queued and taken (edge-triggered epoll on a listener); guarded by this. */
    private long arrivals;
    /** Shut down for writing (SHUT_WR): sending fails with EPIPE; guarded by this. */
    private boolean writeShut;
    /** SO_SNDBUF and SO_RCVBUF as set (Linux doubles what it is given); guarded by this. */
    private int sendBuffer = Datagrams.MAX_MESSAGE;
    int receiveBuffer = Datagrams.MAX_MESSAGE;

    private UnixSocketFile(int type, long ino) {
        this.type = type;
        this.ino = ino;
        this.statusFlags = 2; // O_RDWR
    }

    /** A new socket of {@code type}, unconnected and unnamed (socket()); a datagram socket with its queue. */
    static UnixSocketFile unconnected(int type, long ino) {
        UnixSocketFile s = new UnixSocketFile(type, ino);
        if (type == SOCK_DGRAM) {
            s.in = new Datagrams(false);
            s.inFds = new FdPassing();
        }
        return s;
    }

    /** Both ends of a new pair of the given type (SOCK_STREAM, SOCK_DGRAM or SOCK_SEQPACKET). */
    static UnixSocketFile[] pair(int type, long ino) {
        UnixSocketFile a = new UnixSocketFile(type, ino), b = new UnixSocketFile(type, ino + 1);
        join(a, b);
        return new UnixSocketFile[] {a, b};
    }

    /** Connects a and b (new sockets, or a connecting one and its new server end) through two new directions. */
    private static void join(UnixSocketFile a, UnixSocketFile b) {
        OneWay ab = direction(a.type), ba = direction(a.type);
        FdPassing abFds = new FdPassing(), baFds = new FdPassing();
        synchronized (a) {
            a.in = ba;
            a.out = ab;
            a.inFds = baFds;
            a.outFds = abFds;
            a.out.setSendBuffer(a.sendBuffer);
        }
        synchronized (b) {
            b.in = ab;
            b.out = ba;
            b.inFds = abFds;
            b.outFds = baFds;
        }
    }

    private static OneWay direction(int type) {
        return type == SOCK_STREAM ? PipeFile.Buffer.stream(Datagrams.MAX_MESSAGE) : new Datagrams(type == SOCK_SEQPACKET);
    }

    synchronized boolean connected() {
        return out != null;
    }

    synchronized boolean listening() {
        return pending != null;
    }

    synchronized UnixName name() {
        return name;
    }

    /** The peer's name (null: unnamed); ENOTCONN when not connected. */
    synchronized UnixName peer() {
        if (out == null) throw new LinuxError(Errno.ENOTCONN);
        return peer;
    }

    /** bind: this socket takes {@code n}; EINVAL when it has a name already. The registry is the caller's (UnixNames). */
    synchronized void named(UnixName n) {
        if (name != null) throw new LinuxError(Errno.EINVAL);
        name = n;
    }

    /** listen: EINVAL unless bound (Linux does not bind on listen) or when connected; EOPNOTSUPP for datagrams. */
    synchronized void listen() {
        if (type == SOCK_DGRAM) throw new LinuxError(Errno.EOPNOTSUPP);
        if (name == null || in != null) throw new LinuxError(Errno.EINVAL);
        if (pending == null) pending = new ArrayDeque<>();
    }

    /**
     * connect: joins this socket to {@code listener}, whose accept then takes the other end:
     * EISCONN when connected already, EINVAL when listening, ECONNREFUSED when the listener no
     * longer listens or is of another type.
     */
    void connectTo(UnixSocketFile listener, long serverIno) {
        synchronized (this) {
            if (in != null) throw new LinuxError(Errno.EISCONN);
            if (pending != null) throw new LinuxError(Errno.EINVAL);
        }
        UnixSocketFile server = new UnixSocketFile(type, serverIno);
        synchronized (listener) {
            if (listener.pending == null || listener.type != type) throw new LinuxError(Errno.ECONNREFUSED);
            join(this, server);
            synchronized (this) {
                peer = listener.name;
            }
            synchronized (server) {
                server.name = listener.name;
                server.peer = name();
            }
            listener.pending.addLast(server);
            listener.arrivals++;
            listener.notifyAll();
        }
    }

    /** connect of a SOCK_DGRAM socket: its sends without an address go to {@code t} (again and again: a later connect changes it). */
    void connectDatagram(UnixSocketFile t) {
        OneWay q;
        FdPassing fds;
        UnixName n;
        synchronized (t) {
            q = t.in;
            fds = t.inFds;
            n = t.name;
        }
        synchronized (this) {
            target = t;
            out = q;
            outFds = fds;
            peer = n;
        }
    }

    /** accept: the next connection's server end, waiting for one unless non-blocking (EAGAIN); EINVAL when not listening. */
    synchronized UnixSocketFile accept(boolean nonBlocking) throws InterruptedException {
        while (true) {
            if (pending == null) throw new LinuxError(Errno.EINVAL);
            UnixSocketFile next = pending.pollFirst();
            if (next != null) {
                arrivals++;
                return next;
            }
            if (nonBlocking) throw new LinuxError(Errno.EAGAIN);
            wait(100);
        }
    }

    private synchronized OneWay in() {
        if (in == null) throw new LinuxError(pending != null ? Errno.EINVAL : Errno.ENOTCONN);
        return in;
    }

    private synchronized OneWay out() {
        if (out == null) throw new LinuxError(Errno.ENOTCONN);
        return out;
    }

    synchronized int sendBuffer() {
        return sendBuffer;
    }

    /** SO_SNDBUF: bounds what this end's sends may leave waiting for the peer (not a connected datagram socket's target's queue, which others send to too). */
    synchronized void setSendBuffer(int bytes) {
        sendBuffer = bytes;
        if (out != null && target == null) out.setSendBuffer(bytes);
    }

    /**
     * Receives into buf: for a stream the bytes read (0 at its end), for messages the length of
     * the message taken, which may exceed len (what did not fit is dropped); 0 at the end. The
     * descriptors passed with what was taken go to {@code passed[0]} (null: none), or are closed
     * when {@code passed} is null (read(), recv()). A stream read stops short of bytes that
     * brought descriptors, so that they come with the first of those bytes.
     */
    int receive(byte[] buf, int off, int len, int flags, OpenFile[][] passed) {
        return receive(buf, off, len, flags, passed, null);
    }

    /** {@link #receive}, and a message's sender's name into {@code from[0]} (null: unnamed). */
    int receive(byte[] buf, int off, int len, int flags, OpenFile[][] passed, UnixName[] from) {
        OneWay in = in();
        FdPassing fds;
        synchronized (this) {
            fds = inFds;
        }
        boolean nonBlocking = (flags & MSG_DONTWAIT) != 0 || (statusFlags & FileSyscalls.O_NONBLOCK) != 0;
        boolean peek = (flags & MSG_PEEK) != 0;
        boolean stream = type == SOCK_STREAM;
        int want = stream ? fds.limit(len) : len;
        int got = SignalWaits.awaitQuietly(() -> in instanceof Datagrams d ? d.read(buf, off, want, nonBlocking, peek, from)
                : in.read(buf, off, want, nonBlocking, peek));
        // MSG_WAITALL (streams): on until len bytes, the end of the stream, or a signal after some bytes
        while (stream && (flags & MSG_WAITALL) != 0 && !peek && !nonBlocking && got > 0 && got < want && !fds.waitingAt(got)) {
            int done = got;
            int n;
            try {
                n = SignalWaits.awaitQuietly(() -> in.read(buf, off + done, want - done, false, false));
            } catch (LinuxError e) {
                break; // interrupted: what arrived so far
            }
            if (n == 0) break;
            got += n;
        }
        if (!peek) {
            boolean tookMessage = !stream && (got > 0 || !in.readShut());
            OpenFile[] files = fds.take(stream ? got : tookMessage ? 1 : 0);
            if (passed != null) passed[0] = files;
            else FdPassing.close(files);
        }
        return got;
    }

    /**
     * Sends len bytes (one message for the message types), with {@code files} (null: none)
     * passed along, waiting for room unless MSG_DONTWAIT or O_NONBLOCK says not to; EPIPE once
     * this end or the peer has shut. The files' references go with the data, or back to them on
     * failure.
     */
    int send(byte[] buf, int off, int len, int flags, OpenFile[] files) {
        OneWay out;
        FdPassing fds;
        synchronized (this) {
            if (writeShut) {
                FdPassing.close(files);
                throw new LinuxError(Errno.EPIPE);
            }
            if (this.out == null) FdPassing.close(files);
            out = out();
            fds = outFds;
        }
        return sendVia(out, fds, buf, off, len, flags, files);
    }

    /** sendto an address: one message to {@code to}'s queue (a datagram socket's, bound to that address). */
    int sendTo(UnixSocketFile to, byte[] buf, int off, int len, int flags, OpenFile[] files) {
        OneWay q;
        FdPassing fds;
        synchronized (to) {
            q = to.in;
            fds = to.inFds;
        }
        if (q == null || to.type != SOCK_DGRAM) {
            FdPassing.close(files);
            throw new LinuxError(Errno.ECONNREFUSED);
        }
        return sendVia(q, fds, buf, off, len, flags, files);
    }

    private int sendVia(OneWay out, FdPassing fds, byte[] buf, int off, int len, int flags, OpenFile[] files) {
        boolean nonBlocking = (flags & MSG_DONTWAIT) != 0 || (statusFlags & FileSyscalls.O_NONBLOCK) != 0;
        UnixName from = name();
        Object slot = files == null ? null : fds.attach(files, len);
        try {
            int n = SignalWaits.awaitQuietly(() -> out instanceof Datagrams d ? d.write(buf, off, len, nonBlocking, from)
                    : out.write(buf, off, len, nonBlocking));
            fds.sent(type == SOCK_STREAM ? n : 1, slot);
            return n;
        } catch (RuntimeException e) {
            if (slot != null) fds.cancel(slot);
            throw e;
        }
    }

    void shutdown(int how) {
        if (how < SHUT_RD || how > SHUT_RDWR) throw new LinuxError(Errno.EINVAL);
        OneWay in, out;
        boolean ownsOut;
        synchronized (this) {
            if (this.out == null) throw new LinuxError(Errno.ENOTCONN);
            in = this.in;
            out = this.out;
            ownsOut = target == null;
            if (how != SHUT_RD) writeShut = true;
        }
        if (how != SHUT_WR) in.close(true);
        if (how != SHUT_RD && ownsOut) out.close(false);
    }

    @Override
    int read(byte[] buf, int off, int len) {
        return Math.min(len, receive(buf, off, len, 0, null));
    }

    @Override
    int write(byte[] buf, int off, int len) {
        return send(buf, off, len, 0, null);
    }

    @Override
    int available() {
        return in().available();
    }

    @Override
    boolean pollable() {
        return true;
    }

    /**
     * As Linux's unix_poll: a listener is readable with a connection waiting; a connection is
     * readable with data or once reading is shut, writable while the send buffer has room, hung up
     * once both ways are shut; an unconnected stream or packet socket is writable and hung up.
     */
    @Override
    int poll(int events) {
        OneWay in, out;
        boolean writeShut;
        synchronized (this) {
            if (pending != null) return events & (pending.isEmpty() ? 0 : POLLIN);
            if (this.in == null) return (events & POLLOUT) | POLLHUP;
            if (this.out == null) return events & ((this.in.hasData() ? POLLIN : 0) | POLLOUT); // an unconnected datagram socket
            in = this.in;
            out = this.out;
            writeShut = this.writeShut;
        }
        boolean readShut = in.readShut();
        int ready = (readShut || in.hasData() ? POLLIN : 0) | (readShut ? POLLRDHUP : 0) | (out.writable() ? POLLOUT : 0);
        return (events & ready) | (readShut && (writeShut || !out.readerOpen()) ? POLLHUP : 0);
    }

    @Override
    long edges(int events) {
        OneWay in, out;
        synchronized (this) {
            if (pending != null || this.in == null) return arrivals;
            if (this.out == null) return this.in.edges(events & POLLIN);
            in = this.in;
            out = this.out;
        }
        return in.edges(events & POLLIN) + out.edges(events & POLLOUT);
    }

    @Override
    FileStat stat() {
        return FileStat.socket(ino, 0, 0);
    }

    /** The last descriptor went: the connection's sides close, a listener's waiting connections too, and its name is free again. */
    @Override
    void close() {
        OneWay in, out;
        FdPassing inFds;
        ArrayDeque<UnixSocketFile> waiting;
        UnixName n;
        synchronized (this) {
            in = this.in;
            out = target == null ? this.out : null; // a datagram socket's target keeps its queue
            inFds = this.inFds;
            waiting = pending;
            pending = null;
            n = name;
        }
        if (in != null) {
            in.close(true);
            inFds.discard();
        }
        if (out != null) out.close(false);
        if (waiting != null) {
            for (UnixSocketFile s : waiting) s.close();
        }
        if (n != null) UnixNames.unbind(n, this);
    }
}
