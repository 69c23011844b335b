package org.kasou.linux;

/**
 * One end of a pipe made by pipe/pipe2. Both ends share a {@link Buffer}; processes on other
 * threads (after fork) may hold either end. A read of an empty pipe waits while a writer is open
 * and returns 0 (end of file) once none is; a write with no reader left fails with EPIPE (the
 * caller raises SIGPIPE). The buffer grows rather than blocking writers.
 */
final class PipeFile extends OpenFile {
    /** The bytes in flight, shared by both ends; its monitor guards everything. */
    static final class Buffer implements OneWay {
        private byte[] data = new byte[4096];
        private int start, end;
        private boolean writerOpen = true, readerOpen = true;
        /** Writes (new input for the read end) and reads (new room for the write end), ends closing counting as both. */
        private long writes, reads;

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
            if (n > 0) reads++;
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

        @Override
        public synchronized int write(byte[] buf, int off, int len) {
            if (!readerOpen) throw new LinuxError(Errno.EPIPE);
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
            return len;
        }

        @Override
        public synchronized int available() {
            return end - start;
        }

        synchronized int poll(boolean readEnd, int events) {
            if (readEnd) return (end > start ? events & POLLIN : 0) | (writerOpen ? 0 : POLLHUP);
            return readerOpen ? events & POLLOUT : POLLERR;
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
        return buffer.write(buf, off, len);
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
