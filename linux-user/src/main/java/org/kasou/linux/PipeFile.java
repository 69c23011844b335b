package org.kasou.linux;

/**
 * One end of a pipe made by pipe/pipe2. The two ends share a growing buffer; with one guest
 * thread a read of an empty pipe whose writer is open would wait forever, so it fails with EAGAIN.
 */
final class PipeFile extends OpenFile {
    /** The bytes in flight, shared by both ends. */
    static final class Buffer {
        byte[] data = new byte[4096];
        int start, end;
        boolean writerOpen = true, readerOpen = true;
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
        int n = Math.min(len, buffer.end - buffer.start);
        if (n == 0 && len > 0 && buffer.writerOpen) throw new LinuxError(Errno.EAGAIN);
        System.arraycopy(buffer.data, buffer.start, buf, off, n);
        buffer.start += n;
        return n;
    }

    @Override
    int write(byte[] buf, int off, int len) {
        if (readEnd) throw new LinuxError(Errno.EBADF);
        if (!buffer.readerOpen) throw new LinuxError(Errno.EPIPE);
        Buffer b = buffer;
        if (b.end + len > b.data.length) {
            int live = b.end - b.start;
            byte[] d = b.data.length >= live + len ? b.data : new byte[Math.max(b.data.length * 2, live + len)];
            System.arraycopy(b.data, b.start, d, 0, live);
            b.data = d;
            b.start = 0;
            b.end = live;
        }
        System.arraycopy(buf, off, b.data, b.end, len);
        b.end += len;
        return len;
    }

    @Override
    int available() {
        return readEnd ? buffer.end - buffer.start : 0;
    }

    @Override
    FileStat stat() {
        return FileStat.pipe(ino, 0, 0);
    }

    @Override
    void close() {
        if (readEnd) buffer.readerOpen = false;
        else buffer.writerOpen = false;
    }
}
