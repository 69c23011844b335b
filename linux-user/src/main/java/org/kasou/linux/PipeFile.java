package org.kasou.linux;

/**
 * One end of a pipe made by pipe/pipe2. Both ends share a {@link Buffer}; processes on other
 * threads (after fork) may hold either end. A read of an empty pipe waits while a writer is open
 * and returns 0 (end of file) once none is; a write with no reader left fails with EPIPE (the
 * caller raises SIGPIPE); a write to a full pipe waits for its reader (EAGAIN when non-blocking).
 */
final class PipeFile extends OpenFile {
    /**
     * The bytes in flight one way, through a pipe or a stream socket pair, in the pieces Linux
     * keeps them in, so that a writer meets a full buffer where Linux's does: a pipe is a ring of
     * page buffers (16 unless F_SETPIPE_SZ says otherwise), a write first merges its sub-page
     * remainder into the last page when it fits there and then takes a page per 4 KiB; a stream
     * socket's sender is charged each piece's bytes and an overhead until its send buffer is
     * used up. Its monitor guards everything.
     */
    static final class Buffer implements OneWay {
        static final int PAGE = 4096;
        /** A pipe's pages unless F_SETPIPE_SZ changes it (Linux's PIPE_DEF_BUFFERS). */
        static final int DEFAULT_PAGES = 16;
        /**
         * What Linux charges a socket's sender per queued piece beyond its bytes (the socket
         * buffer's own structures, about: Linux's figure follows its allocator's size classes).
         */
        static final int PIECE_OVERHEAD = 576;

        private byte[] data = new byte[PAGE];
        private int start, end;
        /** The queued pieces: offset in its page (pipes), bytes left, bytes it was written with. */
        private final java.util.ArrayDeque<int[]> pieces = new java.util.ArrayDeque<>();
        /** A pipe (pages), or a stream socket's direction (a send buffer). */
        private final boolean pipe;
        /** A pipe's pages (F_SETPIPE_SZ), or the writing socket's SO_SNDBUF. */
        private int limit;
        /** A socket's charge: the pieces' bytes and overheads. */
        private long charged;
        private boolean writerOpen = true, readerOpen = true;
        /** Writes (new input for the read end) and reads (new room for the write end), ends closing counting as both. */
        private long writes, reads;

        private Buffer(boolean pipe, int limit) {
            this.pipe = pipe;
            this.limit = limit;
        }

        static Buffer pipe() {
            return new Buffer(true, DEFAULT_PAGES);
        }

        static Buffer stream(int sendBuffer) {
            return new Buffer(false, sendBuffer);
        }

        @Override
        public synchronized int read(byte[] buf, int off, int len, boolean nonBlocking, boolean peek) throws InterruptedException {
            while (end == start && writerOpen && readerOpen && len > 0) {
                if (nonBlocking) throw new LinuxError(Errno.EAGAIN);
                wait(100);
            }
            int n = Math.min(len, end - start);
            System.arraycopy(data, start, buf, off, n);
            if (peek) return n;
            start += n;
            if (start == end) start = end = 0;
            for (int left = n; left > 0; ) { // a piece taken whole gives its room back
                int[] p = pieces.peekFirst();
                int t = Math.min(p[1], left);
                p[0] += t;
                p[1] -= t;
                left -= t;
                if (p[1] == 0) {
                    pieces.removeFirst();
                    if (!pipe) charged -= p[2] + PIECE_OVERHEAD;
                }
            }
            if (n > 0) {
                reads++;
                notifyAll();
            }
            return n;
        }

        @Override
        public synchronized boolean hasData() {
            return end > start;
        }

        @Override
        public synchronized boolean readShut() {
            return !writerOpen || !readerOpen;
        }

        @Override
        public synchronized boolean readerOpen() {
            return readerOpen;
        }

        private boolean full() {
            return pipe ? pieces.size() >= limit : charged >= limit;
        }

        /** POLLOUT: a free page (pipe_poll), or at most a quarter of the send buffer charged (unix_writable). */
        @Override
        public synchronized boolean writable() {
            return pipe ? !full() : charged * 4 <= limit;
        }

        /**
         * Writes len bytes, waiting for room as Linux's pipe_write and unix_stream_sendmsg do; a
         * non-blocking write that finds no room fails with EAGAIN or stops short, and so does a
         * write that a signal interrupts after some bytes went (before any: InterruptedException).
         * A pipe write of at most a page is all or nothing.
         */
        @Override
        public synchronized int write(byte[] buf, int off, int len, boolean nonBlocking) throws InterruptedException {
            if (!readerOpen) throw new LinuxError(Errno.EPIPE);
            int done = 0;
            int[] last = pieces.peekLast();
            int rest = len & (PAGE - 1);
            if (pipe && rest != 0 && last != null && last[0] + last[1] + rest <= PAGE) {
                append(buf, off, rest);
                last[1] += rest;
                done = rest;
            }
            while (done < len) {
                if (!readerOpen) {
                    if (done > 0 && !pipe) break; // a socket's send: the bytes sent, no SIGPIPE (unix_stream_sendmsg)
                    throw new LinuxError(Errno.EPIPE, done);
                }
                if (full()) {
                    if (nonBlocking) {
                        if (done > 0) break;
                        throw new LinuxError(Errno.EAGAIN);
                    }
                    try {
                        wait(100);
                    } catch (InterruptedException e) {
                        if (done > 0) break;
                        throw e;
                    }
                    continue;
                }
                // a page, or what a socket buffer piece holds at most (Linux: half the send buffer less 64)
                int n = Math.min(len - done, pipe ? PAGE : Math.max(1, limit / 2 - 64));
                append(buf, off + done, n);
                pieces.addLast(new int[] {0, n, n});
                if (!pipe) charged += n + PIECE_OVERHEAD;
                done += n;
            }
            return done;
        }

        private void append(byte[] buf, int off, int len) {
            if (end + len > data.length) {
                int live = end - start;
                byte[] d = data.length >= live + len ? data : new byte[Math.max(data.length * 2, live + len)];
                System.arraycopy(data, start, d, 0, live);
                data = d;
                start = 0;
                end = live;
            }
            System.arraycopy(buf, off, data, end, len);
            end += len;
            writes++;
            notifyAll();
        }

        @Override
        public synchronized int available() {
            return end - start;
        }

        @Override
        public synchronized void setSendBuffer(int bytes) {
            if (!pipe) {
                limit = bytes;
                notifyAll();
            }
        }

        /** F_GETPIPE_SZ: the pipe's capacity in bytes. */
        synchronized int capacity() {
            return limit * PAGE;
        }

        /**
         * F_SETPIPE_SZ (Linux's pipe_set_size): a power of two of pages, at least one; EBUSY when the
         * pipe holds more pages than that, EPERM past 1 MiB unless privileged. Returns the new size.
         */
        synchronized int resize(int bytes, boolean privileged) {
            if (bytes < 0) throw new LinuxError(Errno.EINVAL);
            long size = bytes <= PAGE ? PAGE : Long.highestOneBit(bytes - 1L) << 1;
            if (size > MAX_SIZE && size > capacity() && !privileged) throw new LinuxError(Errno.EPERM);
            if (size > 1L << 30) throw new LinuxError(Errno.ENOMEM); // what kasou lets a guest queue at most
            int pages = (int) (size / PAGE);
            if (pages < pieces.size()) throw new LinuxError(Errno.EBUSY);
            limit = pages;
            notifyAll();
            return (int) size;
        }

        /** Linux's /proc/sys/fs/pipe-max-size default: the largest pipe an unprivileged process may ask for. */
        static final int MAX_SIZE = 1 << 20;

        synchronized int poll(boolean readEnd, int events) {
            if (readEnd) return (end > start ? events & POLLIN : 0) | (writerOpen ? 0 : POLLHUP);
            return readerOpen ? (writable() ? events & POLLOUT : 0) : POLLERR;
        }

        @Override
        public synchronized void close(boolean readEnd) {
            if (readEnd) readerOpen = false;
            else writerOpen = false;
            writes++;
            reads++;
            notifyAll();
        }

        @Override
        public synchronized long edges(int events) {
            return ((events & POLLIN) != 0 ? writes : 0) + ((events & POLLOUT) != 0 ? reads : 0);
        }
    }

    private final Buffer buffer;
    private final boolean readEnd;
    private final long ino;

    PipeFile(Buffer buffer, boolean readEnd, long ino) {
        this.buffer = buffer;
        this.readEnd = readEnd;
        this.ino = ino;
        this.statusFlags = readEnd ? 0 : 1;
    }

    @Override
    int read(byte[] buf, int off, int len) {
        if (!readEnd) throw new LinuxError(Errno.EBADF);
        boolean nonBlocking = (statusFlags & FileSyscalls.O_NONBLOCK) != 0;
        return SignalWaits.awaitQuietly(() -> buffer.read(buf, off, len, nonBlocking, false)); // a signal: ERESTARTSYS
    }

    @Override
    int write(byte[] buf, int off, int len) {
        if (readEnd) throw new LinuxError(Errno.EBADF);
        boolean nonBlocking = (statusFlags & FileSyscalls.O_NONBLOCK) != 0;
        return SignalWaits.awaitQuietly(() -> buffer.write(buf, off, len, nonBlocking)); // a signal before any byte: ERESTARTSYS
    }

    /** F_GETPIPE_SZ. */
    int capacity() {
        return buffer.capacity();
    }

    /** F_SETPIPE_SZ. */
    int resize(int bytes, boolean privileged) {
        return buffer.resize(bytes, privileged);
    }

    /** What the pipe holds, asked at either end (as Linux's pipe_ioctl). */
    @Override
    int available() {
        return buffer.available();
    }

    @Override
    boolean pollable() {
        return true;
    }

    @Override
    long edges(int events) {
        return buffer.edges(events);
    }

    @Override
    int poll(int events) {
        return buffer.poll(readEnd, events);
    }

    @Override
    FileStat stat() {
        return FileStat.pipe(ino, 0, 0);
    }

    @Override
    void close() {
        buffer.close(readEnd);
    }
}
