package org.kasou.linux;

import java.util.ArrayDeque;

/**
 * One direction of a connected pair of AF_UNIX message sockets (SOCK_DGRAM, SOCK_SEQPACKET): what
 * one end sends and the other receives, message by message. A read takes one whole message and
 * drops what does not fit. Its monitor guards everything.
 */
final class Datagrams implements OneWay {
    /** Linux's default for a unix socket's send buffer (net.core.wmem_default): no message is larger. */
    static final int MAX_MESSAGE = 212_992;

    /** SOCK_SEQPACKET: the reader sees its end when the writer goes, a send to a gone reader is EPIPE. */
    private final boolean seqpacket;
    private final ArrayDeque<byte[]> messages = new ArrayDeque<>();
    /** Each message's sender's name (null: unnamed), in step with messages. */
    private final ArrayDeque<java.util.Optional<UnixName>> senders = new ArrayDeque<>();
    private boolean writerOpen = true, readerOpen = true;
    /** The writing end's SO_SNDBUF, and what the queued messages are charged against it (as PipeFile.Buffer's pieces). */
    private int sendBuffer = MAX_MESSAGE;
    private long charged;
    /** Messages sent and taken, ends closing counting as both (edge-triggered epoll). */
    private long writes, reads;

    Datagrams(boolean seqpacket) {
        this.seqpacket = seqpacket;
    }

    /**
     * The next message, at most len bytes of it, waiting while one may come: a SOCK_DGRAM reader
     * waits even when the sender has gone, as on Linux. Returns the message's whole length, 0 at
     * the end; with {@code peek} the message stays queued.
     */
    @Override
    public int read(byte[] buf, int off, int len, boolean nonBlocking, boolean peek) throws InterruptedException {
        return read(buf, off, len, nonBlocking, peek, null);
    }

    /** {@link #read}, and the message's sender's name into {@code from[0]} (null: unnamed). */
    synchronized int read(byte[] buf, int off, int len, boolean nonBlocking, boolean peek, UnixName[] from) throws InterruptedException {
        while (messages.isEmpty() && !readShut()) {
            if (nonBlocking) throw new LinuxError(Errno.EAGAIN);
            wait(100);
        }
        byte[] m = peek ? messages.peekFirst() : messages.pollFirst();
        java.util.Optional<UnixName> sender = peek ? senders.peekFirst() : senders.pollFirst();
        if (from != null && sender != null) from[0] = sender.orElse(null);
        if (m == null) return 0;
        System.arraycopy(m, 0, buf, off, Math.min(len, m.length));
        if (!peek) {
            reads++;
            charged -= m.length + PipeFile.Buffer.PIECE_OVERHEAD;
            notifyAll();
        }
        return m.length;
    }

    /**
     * Queues one message, waiting while the sender's buffer is used up (Linux's
     * sock_alloc_send_pskb; EAGAIN when non-blocking); EMSGSIZE for a message larger than the
     * buffer less 32 bytes (unix_dgram_sendmsg), EPIPE (SOCK_SEQPACKET) or ECONNREFUSED
     * (SOCK_DGRAM) once the reader has gone.
     */
    @Override
    public int write(byte[] buf, int off, int len, boolean nonBlocking) throws InterruptedException {
        return write(buf, off, len, nonBlocking, null);
    }

    /** {@link #write} of a message from the socket named {@code from} (null: unnamed). */
    synchronized int write(byte[] buf, int off, int len, boolean nonBlocking, UnixName from) throws InterruptedException {
        if (len > sendBuffer - 32) throw new LinuxError(Errno.EMSGSIZE);
        while (true) {
            if (!readerOpen) throw new LinuxError(seqpacket ? Errno.EPIPE : Errno.ECONNREFUSED);
            if (charged < sendBuffer) break;
            if (nonBlocking) throw new LinuxError(Errno.EAGAIN);
            wait(100);
        }
        messages.addLast(java.util.Arrays.copyOfRange(buf, off, off + len));
        senders.addLast(java.util.Optional.ofNullable(from));
        charged += len + PipeFile.Buffer.PIECE_OVERHEAD;
        writes++;
        notifyAll();
        return len;
    }

    /** POLLOUT: at most a quarter of the send buffer charged (Linux's unix_writable). */
    @Override
    public synchronized boolean writable() {
        return charged * 4 <= sendBuffer;
    }

    @Override
    public synchronized void setSendBuffer(int bytes) {
        sendBuffer = bytes;
        notifyAll();
    }

    /** The length of the next message (FIONREAD on a message socket), 0 when none. */
    @Override
    public synchronized int available() {
        byte[] m = messages.peekFirst();
        return m == null ? 0 : m.length;
    }

    @Override
    public synchronized boolean hasData() {
        return !messages.isEmpty();
    }

    @Override
    public synchronized boolean readShut() {
        return !readerOpen || (seqpacket && !writerOpen);
    }

    @Override
    public synchronized boolean readerOpen() {
        return readerOpen;
    }

    @Override
    public synchronized void close(boolean readEnd) {
        if (readEnd) {
            readerOpen = false;
            messages.clear();
            senders.clear();
            charged = 0;
        } else {
            writerOpen = false;
        }
        writes++;
        reads++;
        notifyAll();
    }

    @Override
    public synchronized long edges(int events) {
        return ((events & OpenFile.POLLIN) != 0 ? writes : 0) + ((events & OpenFile.POLLOUT) != 0 ? reads : 0);
    }
}
