package org.kasou.linux;

import java.util.ArrayDeque;

/**
 * One direction of a connected pair of AF_UNIX message sockets (SOCK_DGRAM, SOCK_SEQPACKET): what
 * one end sends and the other receives, message by message. A read takes one whole message and
 * drops what does not fit. Its monitor guards everything.
 */
final class Datagrams {
    /** Linux's default for a unix socket's send buffer (net.core.wmem_default): no message is larger. */
    static final int MAX_MESSAGE = 212_992;

    private final ArrayDeque<byte[]> messages = new ArrayDeque<>();
    private boolean writerOpen = true, readerOpen = true;
    /** Messages sent and taken, ends closing counting as both (edge-triggered epoll). */
    private long writes, reads;

    /**
     * The next message, at most len bytes of it, waiting for one while both ends are open and
     * {@code eofOnClose} (SOCK_SEQPACKET) or while the reader is (SOCK_DGRAM, whose reader waits
     * even when the sender has gone). Returns the message's whole length; with {@code peek} the
     * message stays queued. -1 at the end (no message will come).
     */
    synchronized int read(byte[] buf, int off, int len, boolean nonBlocking, boolean peek, boolean eofOnClose)
            throws InterruptedException {
        while (messages.isEmpty() && readerOpen && (writerOpen || !eofOnClose)) {
            if (nonBlocking) throw new LinuxError(Errno.EAGAIN);
            wait(100);
        }
        byte[] m = peek ? messages.peekFirst() : messages.pollFirst();
        if (m == null) return -1;
        System.arraycopy(m, 0, buf, off, Math.min(len, m.length));
        if (!peek) {
            reads++;
            notifyAll();
        }
        return m.length;
    }

    /** Queues one message; EPIPE (SOCK_SEQPACKET) or ECONNREFUSED (SOCK_DGRAM) once the reader has gone. */
    synchronized int write(byte[] buf, int off, int len, boolean seqpacket) {
        if (!readerOpen) throw new LinuxError(seqpacket ? Errno.EPIPE : Errno.ECONNREFUSED);
        if (len > MAX_MESSAGE) throw new LinuxError(Errno.EMSGSIZE);
        messages.addLast(java.util.Arrays.copyOfRange(buf, off, off + len));
        writes++;
        notifyAll();
        return len;
    }

    /** The length of the next message (FIONREAD on a message socket), 0 when none. */
    synchronized int available() {
        byte[] m = messages.peekFirst();
        return m == null ? 0 : m.length;
    }

    synchronized boolean hasData() {
        return !messages.isEmpty();
    }

    synchronized boolean writerOpen() {
        return writerOpen;
    }

    synchronized boolean readerOpen() {
        return readerOpen;
    }

    synchronized void close(boolean readEnd) {
        if (readEnd) {
            readerOpen = false;
            messages.clear();
        } else {
            writerOpen = false;
        }
        writes++;
        reads++;
        notifyAll();
    }

    synchronized long edges(int events) {
        return ((events & OpenFile.POLLIN) != 0 ? writes : 0) + ((events & OpenFile.POLLOUT) != 0 ? reads : 0);
    }
}
