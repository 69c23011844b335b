package org.kasou.linux;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * An eventfd: a 64-bit counter. A write of 8 bytes adds to it (waiting while it would pass
 * 2^64 - 2; the value 2^64 - 1 is EINVAL); a read of 8 or more bytes waits while it is 0, then
 * returns it and resets it to 0, or with EFD_SEMAPHORE returns 1 and takes 1 off. O_NONBLOCK
 * gives EAGAIN instead of waiting. Readable while not 0, writable while 1 can still be added.
 */
final class EventFile extends OpenFile {
    static final int EFD_SEMAPHORE = 1;
    /** The counter's largest value, 2^64 - 2, unsigned. */
    private static final long MAX = 0xFFFFFFFFFFFFFFFEL;

    private final boolean semaphore;
    private final long ino;
    private long count;
    /** Reads and writes so far: edge-triggered epoll reports again after each. */
    private long reads, writes;

    EventFile(long initial, boolean semaphore, boolean nonBlocking, long ino) {
        this.count = initial;
        this.semaphore = semaphore;
        this.ino = ino;
        this.statusFlags = FileSyscalls.O_RDWR | (nonBlocking ? FileSyscalls.O_NONBLOCK : 0);
    }

    @Override
    int read(byte[] buf, int off, int len) throws java.io.IOException {
        if (len < 8) throw new LinuxError(Errno.EINVAL);
        long v = SignalWaits.await(() -> {
            synchronized (this) {
                while (count == 0) {
                    if (nonBlocking()) throw new LinuxError(Errno.EAGAIN);
                    wait();
                }
                long got = semaphore ? 1 : count;
                count -= got;
                reads++;
                notifyAll();
                return got;
            }
        });
        ByteBuffer.wrap(buf, off, 8).order(ByteOrder.LITTLE_ENDIAN).putLong(v);
        return 8;
    }

    @Override
    int write(byte[] buf, int off, int len) throws java.io.IOException {
        if (len < 8) throw new LinuxError(Errno.EINVAL);
        long v = ByteBuffer.wrap(buf, off, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
        if (v == -1L) throw new LinuxError(Errno.EINVAL);
        SignalWaits.await(() -> {
            synchronized (this) {
                while (Long.compareUnsigned(v, MAX - count) > 0) {
                    if (nonBlocking()) throw new LinuxError(Errno.EAGAIN);
                    wait();
                }
                count += v;
                writes++;
                notifyAll();
                return null;
            }
        });
        return 8;
    }

    @Override
    boolean pollable() {
        return true;
    }

    @Override
    synchronized int poll(int events) {
        return (count != 0 ? events & POLLIN : 0) | (Long.compareUnsigned(count, MAX) < 0 ? events & POLLOUT : 0);
    }

    @Override
    synchronized long edges(int events) {
        return ((events & POLLIN) != 0 ? writes : 0) + ((events & POLLOUT) != 0 ? reads : 0);
    }

    /** An anonymous inode, as Linux's eventfd: no file type bits, read and write for the owner. */
    @Override
    FileStat stat() {
        return FileStat.anonymous(ino);
    }
}
