package org.kasou.linux;

/**
 * One end of a connected pair of AF_UNIX sockets (socketpair): a byte stream (SOCK_STREAM) or
 * messages (SOCK_DGRAM, SOCK_SEQPACKET) each way, in memory. The two ends share two directions,
 * each written at one end and read at the other; closing an end or shutting it down closes its
 * side of both, as Linux's unix sockets do.
 */
final class SocketPairFile extends OpenFile {
    static final int SOCK_STREAM = 1, SOCK_DGRAM = 2, SOCK_SEQPACKET = 5;
    static final int MSG_PEEK = 2, MSG_TRUNC = 0x20, MSG_DONTWAIT = 0x40, MSG_WAITALL = 0x100, MSG_NOSIGNAL = 0x4000;
    static final int SHUT_RD = 0, SHUT_WR = 1, SHUT_RDWR = 2;
    static final int POLLRDHUP = 0x2000;

    final int type;
    private final long ino;
    /** What this end reads and what it writes: the peer's out and in. */
    private final OneWay in, out;
    /** Shut down for writing (SHUT_WR): sending fails with EPIPE; guarded by this. */
    private boolean writeShut;
    /** SO_SNDBUF and SO_RCVBUF as set (Linux doubles what it is given); guarded by this. */
    private int sendBuffer = Datagrams.MAX_MESSAGE;
    int receiveBuffer = Datagrams.MAX_MESSAGE;

    private SocketPairFile(int type, long ino, OneWay in, OneWay out) {
        this.type = type;
        this.ino = ino;
        this.in = in;
        this.out = out;
        this.statusFlags = 2; // O_RDWR
    }

    /** Both ends of a new pair of the given type (SOCK_STREAM, SOCK_DGRAM or SOCK_SEQPACKET). */
    static SocketPairFile[] pair(int type, long ino) {
        OneWay ab = direction(type), ba = direction(type);
        return new SocketPairFile[] {new SocketPairFile(type, ino, ba, ab), new SocketPairFile(type, ino + 1, ab, ba)};
    }

    private static OneWay direction(int type) {
        return type == SOCK_STREAM ? PipeFile.Buffer.stream(Datagrams.MAX_MESSAGE) : new Datagrams(type == SOCK_SEQPACKET);
    }

    synchronized int sendBuffer() {
        return sendBuffer;
    }

    /** SO_SNDBUF: bounds what this end's sends may leave waiting for the peer. */
    synchronized void setSendBuffer(int bytes) {
        sendBuffer = bytes;
        out.setSendBuffer(bytes);
    }

    /**
     * Receives into buf: for a stream the bytes read (0 at its end), for messages the length of
     * the message taken, which may exceed len (what did not fit is dropped); 0 at the end.
     */
    int receive(byte[] buf, int off, int len, int flags) {
        boolean nonBlocking = (flags & MSG_DONTWAIT) != 0 || (statusFlags & FileSyscalls.O_NONBLOCK) != 0;
        boolean peek = (flags & MSG_PEEK) != 0;
        int got = SignalWaits.awaitQuietly(() -> in.read(buf, off, len, nonBlocking, peek));
        // MSG_WAITALL (streams): on until len bytes, the end of the stream, or a signal after some bytes
        while (type == SOCK_STREAM && (flags & MSG_WAITALL) != 0 && !peek && !nonBlocking && got > 0 && got < len) {
            int done = got;
            int n;
            try {
                n = SignalWaits.awaitQuietly(() -> in.read(buf, off + done, len - done, false, false));
            } catch (LinuxError e) {
                break; // interrupted: what arrived so far
            }
            if (n == 0) break;
            got += n;
        }
        return got;
    }

    /**
     * Sends len bytes (one message for the message types), waiting for room unless MSG_DONTWAIT
     * or O_NONBLOCK says not to; EPIPE once this end or the peer has shut.
     */
    int send(byte[] buf, int off, int len, int flags) {
        synchronized (this) {
            if (writeShut) throw new LinuxError(Errno.EPIPE);
        }
        boolean nonBlocking = (flags & MSG_DONTWAIT) != 0 || (statusFlags & FileSyscalls.O_NONBLOCK) != 0;
        return SignalWaits.awaitQuietly(() -> out.write(buf, off, len, nonBlocking));
    }

    void shutdown(int how) {
        if (how < SHUT_RD || how > SHUT_RDWR) throw new LinuxError(Errno.EINVAL);
        if (how != SHUT_WR) in.close(true);
        if (how != SHUT_RD) {
            synchronized (this) {
                writeShut = true;
            }
            out.close(false);
        }
    }

    @Override
    int read(byte[] buf, int off, int len) {
        return Math.min(len, receive(buf, off, len, 0));
    }

    @Override
    int write(byte[] buf, int off, int len) {
        return send(buf, off, len, 0);
    }

    @Override
    int available() {
        return in.available();
    }

    @Override
    boolean pollable() {
        return true;
    }

    /** As Linux's unix_poll: readable with data or once reading is shut, writable while the send buffer has room, hung up once both ways are shut. */
    @Override
    int poll(int events) {
        boolean readShut = in.readShut();
        boolean writeShut;
        synchronized (this) {
            writeShut = this.writeShut;
        }
        int ready = (readShut || in.hasData() ? POLLIN : 0) | (readShut ? POLLRDHUP : 0) | (out.writable() ? POLLOUT : 0);
        return (events & ready) | (readShut && (writeShut || !out.readerOpen()) ? POLLHUP : 0);
    }

    @Override
    long edges(int events) {
        return in.edges(events & POLLIN) + out.edges(events & POLLOUT);
    }

    @Override
    FileStat stat() {
        return FileStat.socket(ino, 0, 0);
    }

    @Override
    void close() {
        in.close(true);
        out.close(false);
    }
}
