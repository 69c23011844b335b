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
    /** SOCK_STREAM's directions (the others null). */
    private final PipeFile.Buffer streamIn, streamOut;
    /** The message types' directions (the others null). */
    private final Datagrams messagesIn, messagesOut;
    /** Shut down for writing (SHUT_WR): sending fails with EPIPE; guarded by this. */
    private boolean writeShut;
    /** SO_SNDBUF and SO_RCVBUF as set (Linux doubles what it is given); guarded by this. */
    int sendBuffer = Datagrams.MAX_MESSAGE, receiveBuffer = Datagrams.MAX_MESSAGE;

    private SocketPairFile(int type, long ino, PipeFile.Buffer streamIn, PipeFile.Buffer streamOut, Datagrams messagesIn,
            Datagrams messagesOut) {
        this.type = type;
        this.ino = ino;
        this.streamIn = streamIn;
        this.streamOut = streamOut;
        this.messagesIn = messagesIn;
        this.messagesOut = messagesOut;
        this.statusFlags = 2; // O_RDWR
    }

    /** Both ends of a new pair of the given type (SOCK_STREAM, SOCK_DGRAM or SOCK_SEQPACKET). */
    static SocketPairFile[] pair(int type, long ino) {
        if (type == SOCK_STREAM) {
            PipeFile.Buffer ab = new PipeFile.Buffer(), ba = new PipeFile.Buffer();
            return new SocketPairFile[] {new SocketPairFile(type, ino, ba, ab, null, null), new SocketPairFile(type, ino + 1, ab, ba, null, null)};
        }
        Datagrams ab = new Datagrams(), ba = new Datagrams();
        return new SocketPairFile[] {new SocketPairFile(type, ino, null, null, ba, ab), new SocketPairFile(type, ino + 1, null, null, ab, ba)};
    }

    private boolean stream() {
        return type == SOCK_STREAM;
    }

    /**
     * Receives into buf: for a stream the bytes read (0 at its end), for messages the length of
     * the message taken, which may exceed len (what did not fit is dropped); 0 at the end.
     */
    int receive(byte[] buf, int off, int len, int flags) {
        boolean nonBlocking = (flags & MSG_DONTWAIT) != 0 || (statusFlags & FileSyscalls.O_NONBLOCK) != 0;
        boolean peek = (flags & MSG_PEEK) != 0;
        if (!stream()) {
            int n = SignalWaits.awaitQuietly(() -> messagesIn.read(buf, off, len, nonBlocking, peek, type == SOCK_SEQPACKET));
            return Math.max(n, 0);
        }
        int got = SignalWaits.awaitQuietly(() -> streamIn.read(buf, off, len, nonBlocking, peek));
        // MSG_WAITALL: on until len bytes, the end of the stream, or a signal after some bytes
        while ((flags & MSG_WAITALL) != 0 && !peek && !nonBlocking && got > 0 && got < len) {
            int done = got;
            int n;
            try {
                n = SignalWaits.awaitQuietly(() -> streamIn.read(buf, off + done, len - done, false, false));
            } catch (LinuxError e) {
                break; // interrupted: what arrived so far
            }
            if (n == 0) break;
            got += n;
        }
        return got;
    }

    /** Sends len bytes (one message for the message types); EPIPE once this end or the peer has shut. */
    int send(byte[] buf, int off, int len) {
        synchronized (this) {
            if (writeShut) throw new LinuxError(Errno.EPIPE);
        }
        if (stream()) return streamOut.write(buf, off, len);
        return messagesOut.write(buf, off, len, type == SOCK_SEQPACKET);
    }

    void shutdown(int how) {
        if (how < SHUT_RD || how > SHUT_RDWR) throw new LinuxError(Errno.EINVAL);
        if (how != SHUT_WR) closeReading();
        if (how != SHUT_RD) {
            synchronized (this) {
                writeShut = true;
            }
            closeWriting();
        }
    }

    private void closeReading() {
        if (stream()) streamIn.close(true);
        else messagesIn.close(true);
    }

    private void closeWriting() {
        if (stream()) streamOut.close(false);
        else messagesOut.close(false);
    }

    @Override
    int read(byte[] buf, int off, int len) {
        return Math.min(len, receive(buf, off, len, 0));
    }

    @Override
    int write(byte[] buf, int off, int len) {
        return send(buf, off, len);
    }

    @Override
    int available() {
        return stream() ? streamIn.available() : messagesIn.available();
    }

    @Override
    boolean pollable() {
        return true;
    }

    @Override
    int poll(int events) {
        boolean data = stream() ? streamIn.hasData() : messagesIn.hasData();
        boolean peerWrites = stream() ? streamIn.writerOpen() : messagesIn.writerOpen() || type == SOCK_DGRAM;
        boolean reading = stream() ? streamIn.readerOpen() : messagesIn.readerOpen();
        boolean peerReads = stream() ? streamOut.readerOpen() : messagesOut.readerOpen();
        boolean writing;
        synchronized (this) {
            writing = !writeShut;
        }
        boolean readShut = !peerWrites || !reading;
        int ready = (data || readShut ? POLLIN : 0) | (readShut ? POLLRDHUP : 0) | POLLOUT;
        return (events & ready) | (readShut && (!writing || !peerReads) ? POLLHUP : 0);
    }

    @Override
    long edges(int events) {
        return stream() ? streamIn.edges(events & POLLIN) + streamOut.edges(events & POLLOUT)
                : messagesIn.edges(events & POLLIN) + messagesOut.edges(events & POLLOUT);
    }

    @Override
    FileStat stat() {
        return FileStat.socket(ino, 0, 0);
    }

    @Override
    void close() {
        closeReading();
        closeWriting();
    }
}
